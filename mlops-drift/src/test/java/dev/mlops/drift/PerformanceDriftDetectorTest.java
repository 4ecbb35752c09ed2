package dev.mlops.drift;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link PerformanceDriftDetector}: point values against brute-force counts written here (AUC over all
 * positive-negative pairs, F1 from TP/FP/FN, RMSE from its definition) and a small
 * hand-worked case; drift on a degraded model, none on a model of equal quality.
 */
class PerformanceDriftDetectorTest {

    /** Truths 0/1 and scores that separate them with the given signal strength. */
    private static double[][] window(int n, double signal, long seed) {
        Random rnd = new Random(seed);
        double[] y = new double[n];
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextBoolean() ? 1 : 0;
            s[i] = signal * y[i] + rnd.nextGaussian();
        }
        return new double[][] {y, s};
    }

    private static double[] labels(double[] scores, double cut) {
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i] > cut ? 1 : 0;
        }
        return out;
    }

    @Test
    void pointValuesMatchBruteForce() {
        double[][] w = window(200, 1.0, 1);
        double[] y = w[0];
        double[] s = w[1];
        double wins = 0;
        long pairs = 0;
        int tp = 0, fp = 0, fn = 0;
        double sq = 0;
        double[] p = labels(s, 0.5);
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
            tp += y[i] == 1 && p[i] == 1 ? 1 : 0;
            fp += y[i] == 0 && p[i] == 1 ? 1 : 0;
            fn += y[i] == 1 && p[i] == 0 ? 1 : 0;
            sq += (y[i] - s[i]) * (y[i] - s[i]);
        }
        PerformanceDriftResult auc = PerformanceDriftDetector.builder().metric(PerformanceMetric.AUC).build().compare(y, s, y, s);
        assertThat(auc.reference()).isCloseTo(wins / pairs, within(1e-12));
        PerformanceDriftResult f1 = PerformanceDriftDetector.builder().metric(PerformanceMetric.F1).build().compare(y, p, y, p);
        assertThat(f1.current()).isCloseTo(2.0 * tp / (2.0 * tp + fp + fn), within(1e-12));
        PerformanceDriftResult rmse = PerformanceDriftDetector.builder().metric(PerformanceMetric.RMSE).build().compare(y, s, y, s);
        assertThat(rmse.current()).isCloseTo(Math.sqrt(sq / y.length), within(1e-12));
        assertThat(auc.difference()).isZero();
    }

    @Test
    void smallCaseMatchesSklearn() {
        // worked by hand (sklearn is not installed here): positives 0.35, 0.8, 0.4 vs negatives 0.1, 0.4 win
        // 1 + 0 + 1 + 1 + 1 + 0.5 (the 0.4 tie) = 4.5 of 6 pairs -> AUC 0.75; predictions 0,1,0,1,1 against
        // truths 0,0,1,1,1: TP 2, FP 1, FN 1 -> F1 4/6; 3 of 5 right -> accuracy 0.6
        double[] y = {0, 0, 1, 1, 1};
        assertThat(PerformanceMetric.AUC.of(y, new double[] {0.1, 0.4, 0.35, 0.8, 0.4}, new int[] {0, 1, 2, 3, 4}))
                .isCloseTo(0.75, within(1e-15));
        assertThat(PerformanceMetric.F1.of(y, new double[] {0, 1, 0, 1, 1}, new int[] {0, 1, 2, 3, 4}))
                .isCloseTo(2.0 / 3, within(1e-15));
        assertThat(PerformanceMetric.ACCURACY.of(y, new double[] {0, 1, 0, 1, 1}, new int[] {0, 1, 2, 3, 4}))
                .isCloseTo(0.6, within(1e-15));
    }

    @Test
    void aDegradedModelDriftsAndAnEqualOneDoesNot() {
        double[][] ref = window(500, 2.0, 2);
        double[][] same = window(500, 2.0, 3);
        double[][] worse = window(500, 0.5, 4);
        for (PerformanceMetric m : new PerformanceMetric[] {PerformanceMetric.AUC, PerformanceMetric.ACCURACY, PerformanceMetric.F1}) {
            // tolerance 0.05: two samples of 500 from the same model differ by up to ~0.03 in AUC (2 standard
            // errors), which a 95% interval without tolerance flags in about 1 of 20 draws
            PerformanceDriftDetector d = PerformanceDriftDetector.builder().metric(m).bootstrapSamples(300)
                    .tolerance(0.05).build();
            boolean scores = m == PerformanceMetric.AUC;
            double[] rp = scores ? ref[1] : labels(ref[1], 1.0);
            PerformanceDriftResult bad = d.compare(ref[0], rp, worse[0], scores ? worse[1] : labels(worse[1], 0.25));
            assertThat(bad.drift()).as(m.name()).isTrue();
            assertThat(bad.upper()).as(m.name()).isLessThan(0);
            PerformanceDriftResult ok = d.compare(ref[0], rp, same[0], scores ? same[1] : labels(same[1], 1.0));
            assertThat(ok.drift()).as(m.name() + " " + ok).isFalse();
            assertThat(ok.lower()).as(m.name()).isLessThan(ok.difference());
            assertThat(ok.upper()).as(m.name()).isGreaterThan(ok.difference());
        }
    }

    @Test
    void rmseDriftsUpwards() {
        double[][] ref = window(300, 0, 5);
        double[][] cur = window(300, 0, 6);
        double[] noisy = cur[1].clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] *= 2;
        }
        PerformanceDriftDetector d = PerformanceDriftDetector.builder().metric(PerformanceMetric.RMSE).build();
        assertThat(d.compare(ref[0], ref[1], cur[0], noisy).drift()).isTrue();
        assertThat(d.compare(ref[0], ref[1], cur[0], cur[1]).drift()).isFalse();
        assertThat(d.compare(ref[0], ref[1], cur[0], noisy)).isEqualTo(d.compare(ref[0], ref[1], cur[0], noisy));
    }

    @Test
    void badInputFailsPrecisely() {
        PerformanceDriftDetector auc = PerformanceDriftDetector.builder().metric(PerformanceMetric.AUC).build();
        assertThatThrownBy(() -> auc.compare(new double[] {0, 1}, new double[] {1}, new double[] {0, 1}, new double[] {1, 2}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("2 truths but 1 predictions");
        assertThatThrownBy(() -> auc.compare(new double[] {0, 2}, new double[] {1, 2}, new double[] {0, 1}, new double[] {1, 2}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("truth 2.0 at row 1");
        assertThatThrownBy(() -> auc.compare(new double[] {0, 1}, new double[] {1, 2}, new double[] {1, 1}, new double[] {1, 2}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("only positive");
        assertThatThrownBy(() -> auc.compare(new double[] {0, 1}, new double[] {Double.NaN, 2}, new double[] {0, 1}, new double[] {1, 2}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("row 0");
    }
}
