package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AdwinTest {

    /**
     * ADWIN as defined in Bifet &amp; Gavaldà 2007, written plainly: the window is a list of every value,
     * each check tries every split point (not only bucket boundaries), recomputes the whole window's
     * mean and variance from the values, and drops the oldest value while any split exceeds eps_cut.
     * Same eps_cut, clock, grace period and minimum sub-window length as the production class.
     */
    static final class ExactAdwin {
        final double delta;
        final int clock;
        final int minWindowLength;
        final int gracePeriod;
        final List<Double> window = new ArrayList<>();
        long tick;

        ExactAdwin(double delta, int clock, int minWindowLength, int gracePeriod) {
            this.delta = delta;
            this.clock = clock;
            this.minWindowLength = minWindowLength;
            this.gracePeriod = gracePeriod;
        }

        boolean update(double x) {
            window.add(x);
            tick++;
            boolean drift = false;
            if (tick % clock == 0 && window.size() > gracePeriod) {
                while (anySplitExceedsEpsCut()) {
                    window.remove(0);
                    drift = true;
                }
            }
            return drift;
        }

        boolean anySplitExceedsEpsCut() {
            int w = window.size();
            double mean = 0;
            for (double v : window) {
                mean += v;
            }
            mean /= w;
            double var = 0;
            for (double v : window) {
                var += (v - mean) * (v - mean);
            }
            var /= w;
            double[] prefix = new double[w + 1];
            for (int i = 0; i < w; i++) {
                prefix[i + 1] = prefix[i] + window.get(i);
            }
            double dd = Math.log(2 * Math.log(w) / delta);
            for (int k = 1; k < w; k++) { // W0 = the k oldest values, W1 = the rest
                int n0 = k;
                int n1 = w - k;
                if (n0 < minWindowLength || n1 < minWindowLength) {
                    continue;
                }
                double mu0 = prefix[k] / n0;
                double mu1 = (prefix[w] - prefix[k]) / n1;
                double mRecip = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
                double eps = Math.sqrt(2 * mRecip * var * dd) + 2.0 / 3.0 * dd * mRecip;
                if (Math.abs(mu0 - mu1) > eps) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void assertSameAsExact(double[] x, int clock) {
        Adwin adwin = Adwin.builder().clock(clock).maxBuckets(8192).build(); // no bucket is ever merged
        ExactAdwin exact = new ExactAdwin(0.002, clock, 5, 10);
        List<Integer> ours = new ArrayList<>();
        List<Integer> reference = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (adwin.update(x[i]) == DetectorState.DRIFT) {
                ours.add(i);
            }
            if (exact.update(x[i])) {
                reference.add(i);
            }
            assertThat(adwin.width()).as("width after value %d", i).isEqualTo(exact.window.size());
        }
        assertThat(reference).as("the stream must exercise detection").isNotEmpty();
        assertThat(ours).isEqualTo(reference);
    }

    @Test
    void withoutCompressionDetectionsEqualTheExactAlgorithmOverEverySplit() {
        for (long seed = 1; seed <= 3; seed++) {
            assertSameAsExact(Streams.bernoulli(seed, 3000, 1000, 0.1, 0.4), 32);
            assertSameAsExact(Streams.gaussian(seed, 3000, 1500, 0, 1, 0.8, 1), 32);
        }
        // several changes, checked at every value
        double[] x = new double[2400];
        double[] a = Streams.gaussian(11, 2400, 800, 0, 0.5, 1, 0.5);
        double[] b = Streams.gaussian(12, 2400, 1600, 0, 0.5, -1, 0.5);
        for (int i = 0; i < x.length; i++) {
            x[i] = i < 1600 ? a[i] : b[i];
        }
        assertSameAsExact(x, 1);
    }

    @Test
    void bucketSummariesAreExactForTheLastWidthValues() {
        // the compressed window (default 5 buckets per size) must still hold the sum and variance of
        // exactly the last width() values: recomputed here from the raw stream after every value
        double[] x = Streams.gaussian(5, 4000, 2000, 3, 1, 5, 2);
        Adwin adwin = Adwin.builder().build();
        for (int i = 0; i < x.length; i++) {
            adwin.update(x[i]);
            long w = adwin.width();
            double mean = 0;
            for (int k = i - (int) w + 1; k <= i; k++) {
                mean += x[k];
            }
            mean /= w;
            double var = 0;
            for (int k = i - (int) w + 1; k <= i; k++) {
                var += (x[k] - mean) * (x[k] - mean);
            }
            var /= w;
            assertThat(adwin.mean()).as("mean after %d", i).isCloseTo(mean, within(1e-9));
            assertThat(adwin.variance()).as("variance after %d", i).isCloseTo(var, within(1e-9 * Math.max(1, var)));
        }
        assertThat(adwin.detections()).as("the change at 2000 shrank the window").isPositive();
        assertThat(adwin.width()).isLessThan(2000 + 200);
    }

    @Test
    void compressedAndExactBothFindTheChange() {
        double[] x = Streams.bernoulli(21, 2000, 1000, 0.1, 0.4);
        List<Integer> compressed = Streams.detections(Adwin.builder().build(), x);
        List<Integer> exact = Streams.detections(Adwin.builder().maxBuckets(4096).build(), x);
        // the compressed version checks fewer splits; the paper's approximation may only delay a cut
        assertThat(Streams.firstAtOrAfter(compressed, 1000)).isBetween(1000, 1150);
        assertThat(Streams.firstAtOrAfter(exact, 1000)).isBetween(1000, Streams.firstAtOrAfter(compressed, 1000));
        assertThat(compressed).allMatch(i -> i >= 1000);
    }

    @Test
    void builderRejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> Adwin.builder().delta(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta").hasMessageContaining("0.0");
        assertThatThrownBy(() -> Adwin.builder().delta(1.5)).hasMessageContaining("delta");
        assertThatThrownBy(() -> Adwin.builder().delta(Double.NaN)).hasMessageContaining("delta");
        assertThatThrownBy(() -> Adwin.builder().clock(0)).hasMessageContaining("clock").hasMessageContaining("0");
        assertThatThrownBy(() -> Adwin.builder().maxBuckets(0)).hasMessageContaining("maxBuckets");
        assertThatThrownBy(() -> Adwin.builder().minWindowLength(0)).hasMessageContaining("minWindowLength");
        assertThatThrownBy(() -> Adwin.builder().gracePeriod(-1)).hasMessageContaining("gracePeriod");
    }

    @Test
    void nonFiniteValueIsRefusedAndChangesNothing() {
        double[] x = Streams.bernoulli(3, 1500, 700, 0.1, 0.5);
        Adwin a = Adwin.builder().build();
        Adwin b = Adwin.builder().build();
        List<Integer> da = new ArrayList<>();
        List<Integer> db = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (i == 500) {
                assertThatThrownBy(() -> a.update(Double.NaN)).isInstanceOf(DataFormatException.class)
                        .hasMessageContaining("ADWIN stream:501").hasMessageContaining("NaN")
                        .hasMessageContaining("Fix:");
                assertThatThrownBy(() -> a.update(Double.NEGATIVE_INFINITY)).isInstanceOf(DataFormatException.class);
            }
            if (a.update(x[i]) == DetectorState.DRIFT) {
                da.add(i);
            }
            if (b.update(x[i]) == DetectorState.DRIFT) {
                db.add(i);
            }
        }
        assertThat(da).isNotEmpty().isEqualTo(db);
        assertThat(a.count()).isEqualTo(x.length);
    }

    @Test
    void resetForgetsEverything() {
        double[] x = Streams.gaussian(8, 2000, 1000, 0, 1, 2, 1);
        Adwin adwin = Adwin.builder().build();
        List<Integer> first = Streams.detections(adwin, x);
        adwin.reset();
        assertThat(adwin.width()).isZero();
        assertThat(adwin.count()).isZero();
        assertThat(adwin.detections()).isZero();
        assertThat(adwin.driftDetected()).isFalse();
        assertThat(Streams.detections(adwin, x)).isNotEmpty().isEqualTo(first);
    }
}
