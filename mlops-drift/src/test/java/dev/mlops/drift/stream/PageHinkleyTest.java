package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageHinkleyTest {

    /**
     * The Page-Hinkley test from its closed form, recomputed from scratch at every value: with
     * xbar_i the mean of the values since the last restart up to i,
     * U_t = sum_i alpha^(t-i) (x_i - xbar_i - delta), L_t = the same with + delta, m_t = min U,
     * M_t = max L; drift when U_t - m_t > lambda (up) or M_t - L_t > lambda (down), once
     * t >= minInstances; the value after a drift starts a new segment. O(t^2) per value.
     */
    static List<Integer> reference(double[] x, int minInstances, double delta, double lambda, double alpha,
                                   PageHinkley.Mode mode) {
        List<Integer> drifts = new ArrayList<>();
        int segmentStart = 0;
        for (int t = 0; t < x.length; t++) {
            int len = t - segmentStart + 1;
            double[] u = new double[len];
            double[] l = new double[len];
            for (int s = 0; s < len; s++) { // U and L at every time s of the segment, from the definition
                double su = 0;
                double sl = 0;
                for (int i = 0; i <= s; i++) {
                    double mean = 0;
                    for (int k = 0; k <= i; k++) {
                        mean += x[segmentStart + k];
                    }
                    mean /= i + 1;
                    double w = Math.pow(alpha, s - i);
                    su += w * (x[segmentStart + i] - mean - delta);
                    sl += w * (x[segmentStart + i] - mean + delta);
                }
                u[s] = su;
                l[s] = sl;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < len; s++) {
                min = Math.min(min, u[s]);
                max = Math.max(max, l[s]);
            }
            boolean upDrift = u[len - 1] - min > lambda;
            boolean downDrift = max - l[len - 1] > lambda;
            boolean drift = len >= minInstances
                    && ((mode != PageHinkley.Mode.DOWN && upDrift) || (mode != PageHinkley.Mode.UP && downDrift));
            if (drift) {
                drifts.add(t);
                segmentStart = t + 1;
            }
        }
        return drifts;
    }

    @Test
    void detectionsEqualTheClosedFormRecomputedNaively() {
        // short streams (the reference is O(n^4)) with thresholds scaled so that several drifts occur
        record Case(double[] x, int min, double delta, double lambda, double alpha, PageHinkley.Mode mode) {
        }
        double[] up = Streams.gaussian(1, 160, 60, 0, 1, 2, 1);
        double[] down = Streams.gaussian(2, 160, 60, 0, 1, -2, 1);
        double[] errors = Streams.bernoulli(3, 160, 50, 0.1, 0.6);
        List<Case> cases = List.of(
                new Case(up, 30, 0.005, 10, 1 - 0.0001, PageHinkley.Mode.BOTH),
                new Case(up, 10, 0.05, 5, 0.95, PageHinkley.Mode.UP),
                new Case(up, 10, 0.05, 5, 0.95, PageHinkley.Mode.DOWN),
                new Case(down, 30, 0.005, 10, 1 - 0.0001, PageHinkley.Mode.BOTH),
                new Case(down, 5, 0.1, 3, 0.9, PageHinkley.Mode.DOWN),
                new Case(errors, 30, 0.005, 4, 1 - 0.0001, PageHinkley.Mode.BOTH),
                new Case(errors, 1, 0.0, 2, 1.0, PageHinkley.Mode.UP));
        int withDrift = 0;
        for (Case c : cases) {
            PageHinkley ph = PageHinkley.builder().minInstances(c.min()).delta(c.delta()).threshold(c.lambda())
                    .alpha(c.alpha()).mode(c.mode()).build();
            List<Integer> expected = reference(c.x(), c.min(), c.delta(), c.lambda(), c.alpha(), c.mode());
            assertThat(Streams.detections(ph, c.x())).as(c.toString()).isEqualTo(expected);
            withDrift += expected.isEmpty() ? 0 : 1;
        }
        assertThat(withDrift).as("cases that exercise detection").isGreaterThanOrEqualTo(5);
    }

    @Test
    void statisticsAreExposed() {
        PageHinkley ph = PageHinkley.builder().build();
        assertThat(ph.increaseStatistic()).isZero();
        // values 0, 0, 3: means 0, 0, 1; deviations 0, 0, 2; U = 0 - d, -2d(alpha) ..., computed by hand
        double d = 0.005;
        double a = 1 - 0.0001;
        ph.update(0);
        ph.update(0);
        ph.update(3);
        double u1 = -d;
        double u2 = a * u1 - d;
        double u3 = a * u2 + 2 - d;
        assertThat(ph.increaseStatistic()).isCloseTo(u3 - u2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(ph.mean()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void builderRejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> PageHinkley.builder().minInstances(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minInstances");
        assertThatThrownBy(() -> PageHinkley.builder().delta(-1)).hasMessageContaining("delta").hasMessageContaining("-1");
        assertThatThrownBy(() -> PageHinkley.builder().threshold(0)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> PageHinkley.builder().threshold(Double.POSITIVE_INFINITY)).hasMessageContaining("threshold");
        assertThatThrownBy(() -> PageHinkley.builder().alpha(0)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> PageHinkley.builder().alpha(1.01)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> PageHinkley.builder().mode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void nonFiniteValueIsRefusedAndChangesNothing() {
        double[] x = Streams.gaussian(4, 1500, 700, 0, 0.25, 0.5, 0.25);
        PageHinkley a = PageHinkley.builder().build();
        PageHinkley b = PageHinkley.builder().build();
        List<Integer> da = new ArrayList<>();
        List<Integer> db = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i == 300) {
                assertThatThrownBy(() -> a.update(Double.POSITIVE_INFINITY)).isInstanceOf(DataFormatException.class)
                        .hasMessageContaining("Page-Hinkley stream:301").hasMessageContaining("Infinity");
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

    @Test
    void resetForgetsEverythingAndDriftRestarts() {
        double[] x = Streams.gaussian(9, 2000, 1000, 0, 0.25, 0.5, 0.25);
        PageHinkley ph = PageHinkley.builder().build();
        List<Integer> first = Streams.detections(ph, x);
        assertThat(first).isNotEmpty();
        ph.reset();
        assertThat(ph.count()).isZero();
        assertThat(ph.mean()).isZero();
        assertThat(Streams.detections(ph, x)).isEqualTo(first);
    }
}
