package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KswinTest {

    /**
     * KSWIN (Raab et al. 2020) written plainly: the window is a list; once it holds windowSize values,
     * R is its newest statSize values and W is statSize values of the older part picked by the documented
     * sampling (a partial Fisher-Yates shuffle of the identity driven by SplittableRandom(seed)); D is the
     * largest |#{W <= v} - #{R <= v}| / n over every value v (counted, no sorting), and the p-value is
     * P(D_{n,n} >= D) by counting lattice paths that stay inside |i - j| < nD (not the reflection sum the
     * production class uses). A drift (p <= alpha and D > minStatistic) keeps R only.
     */
    static List<Integer> reference(double[] x, double alpha, int windowSize, int statSize, double minStatistic,
                                   long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> window = new ArrayList<>();
        List<Integer> drifts = new ArrayList<>();
        int older = windowSize - statSize;
        for (int t = 0; t < x.length; t++) {
            window.add(x[t]);
            if (window.size() > windowSize) {
                window.remove(0);
            }
            if (window.size() < windowSize) {
                continue;
            }
            int[] idx = new int[older];
            for (int i = 0; i < older; i++) {
                idx[i] = i;
            }
            double[] w = new double[statSize];
            for (int i = 0; i < statSize; i++) {
                int j = i + random.nextInt(older - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                w[i] = window.get(idx[i]);
            }
            double[] r = new double[statSize];
            for (int i = 0; i < statSize; i++) {
                r[i] = window.get(older + i);
            }
            int h = 0;
            for (double[] side : new double[][] {w, r}) {
                for (double v : side) {
                    int cw = 0;
                    int cr = 0;
                    for (double a : w) {
                        cw += a <= v ? 1 : 0;
                    }
                    for (double a : r) {
                        cr += a <= v ? 1 : 0;
                    }
                    h = Math.max(h, Math.abs(cw - cr));
                }
            }
            double p = latticePValue(statSize, h);
            if (p <= alpha && (double) h / statSize > minStatistic) {
                drifts.add(t);
                List<Double> recent = new ArrayList<>(window.subList(older, windowSize));
                window.clear();
                window.addAll(recent);
            }
        }
        return drifts;
    }

    /** P(D_{n,n} >= h/n) = 1 - (paths from (0,0) to (n,n) with |i - j| < h) / C(2n, n); exact in long for n <= 30. */
    static double latticePValue(int n, int h) {
        if (h == 0) {
            return 1.0;
        }
        long[][] paths = new long[n + 1][n + 1];
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
                if (Math.abs(i - j) >= h) {
                    paths[i][j] = 0;
                } else if (i == 0 && j == 0) {
                    paths[i][j] = 1;
                } else {
                    paths[i][j] = (i > 0 ? paths[i - 1][j] : 0) + (j > 0 ? paths[i][j - 1] : 0);
                }
            }
        }
        long total = 1;
        for (int i = 1; i <= n; i++) {
            total = total * (n + i) / i;
        }
        return (double) (total - paths[n][n]) / total;
    }

    @Test
    void detectionsEqualTheReferenceWithTheSameSeed() {
        int compared = 0;
        for (long seed = 1; seed <= 3; seed++) {
            double[] shift = Streams.gaussian(seed, 1500, 700, 0, 1, 1.5, 1);
            double[] ties = new double[1500];
            double[] g = Streams.gaussian(seed + 50, 1500, 600, 0, 1, 0.7, 2);
            for (int i = 0; i < ties.length; i++) {
                ties[i] = Math.round(g[i]); // many ties
            }
            for (double[] x : List.of(shift, ties)) {
                List<Integer> expected = reference(x, 0.005, 100, 30, 0.1, seed);
                Kswin k = Kswin.builder().seed(seed).build();
                assertThat(Streams.detections(k, x)).as("seed %d", seed).isEqualTo(expected);
                compared += expected.size();
            }
            // other sizes and a level that alarms often
            List<Integer> expected = reference(shift, 0.05, 60, 20, 0.0, seed);
            Kswin k = Kswin.builder().alpha(0.05).windowSize(60).statSize(20).minStatistic(0).seed(seed).build();
            assertThat(Streams.detections(k, shift)).isEqualTo(expected);
            compared += expected.size();
        }
        assertThat(compared).as("detections compared").isGreaterThanOrEqualTo(20);
    }

    @Test
    void sameSeedSameDetectionsAndResetReplays() {
        double[] x = Streams.gaussian(17, 3000, 1500, 0, 1, 0.4, 1);
        Kswin a = Kswin.builder().seed(99).build();
        List<Integer> first = Streams.detections(a, x);
        assertThat(Streams.detections(Kswin.builder().seed(99).build(), x)).isEqualTo(first);
        a.reset();
        assertThat(a.pValue()).isNaN();
        assertThat(a.windowLength()).isZero();
        assertThat(Streams.detections(a, x)).isEqualTo(first);
        // the sample is what the seed changes: p-values differ between seeds on the same stream
        Kswin b = Kswin.builder().seed(100).build();
        Kswin c = Kswin.builder().seed(99).build();
        int differ = 0;
        for (double v : x) {
            b.update(v);
            c.update(v);
            differ += c.windowLength() == 100 && b.pValue() != c.pValue() ? 1 : 0;
        }
        assertThat(differ).isGreaterThan(100);
    }

    @Test
    void driftKeepsTheNewestStatSizeValues() {
        Kswin k = Kswin.builder().seed(1).build();
        double[] x = Streams.gaussian(2, 400, 200, 0, 1, 10, 1); // an unmistakable shift
        int at = -1;
        for (int i = 0; i < x.length && at < 0; i++) {
            if (k.update(x[i]) == DetectorState.DRIFT) {
                at = i;
            }
        }
        assertThat(at).isBetween(200, 230);
        assertThat(k.windowLength()).isEqualTo(30);
        assertThat(k.pValue()).isLessThanOrEqualTo(0.005);
        assertThat(k.statistic()).isGreaterThan(0.1);
        k.update(10);
        assertThat(k.driftDetected()).isFalse();
        assertThat(k.windowLength()).isEqualTo(31);
    }

    @Test
    void builderRejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> Kswin.builder().alpha(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> Kswin.builder().windowSize(1)).hasMessageContaining("windowSize");
        assertThatThrownBy(() -> Kswin.builder().statSize(0)).hasMessageContaining("statSize");
        assertThatThrownBy(() -> Kswin.builder().statSize(10_001)).hasMessageContaining("10000");
        assertThatThrownBy(() -> Kswin.builder().minStatistic(1)).hasMessageContaining("minStatistic");
        assertThatThrownBy(() -> Kswin.builder().windowSize(50).statSize(30).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("windowSize (50)").hasMessageContaining("statSize (30)");
    }

    @Test
    void nonFiniteValueIsRefusedAndChangesNothing() {
        double[] x = Streams.gaussian(4, 800, 400, 0, 1, 3, 1);
        Kswin a = Kswin.builder().seed(5).build();
        Kswin b = Kswin.builder().seed(5).build();
        List<Integer> da = new ArrayList<>();
        List<Integer> db = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i == 150) {
                assertThatThrownBy(() -> a.update(Double.NaN)).isInstanceOf(DataFormatException.class)
                        .hasMessageContaining("KSWIN stream:151");
            }
            if (a.update(x[i]) == DetectorState.DRIFT) {
                da.add(i);
            }
            if (b.update(x[i]) == DetectorState.DRIFT) {
                db.add(i);
            }
        }
        assertThat(da).isNotEmpty().isEqualTo(db);
    }
}
