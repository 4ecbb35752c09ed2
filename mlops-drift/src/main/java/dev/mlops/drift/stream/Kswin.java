package dev.mlops.drift.stream;

/**
 * KSWIN, Kolmogorov-Smirnov windowing (Raab, Heusinger &amp; Schleif, "Reactive Soft Prototype Computing
 * for Concept Drift Streams", Neurocomputing 416, 2020). It keeps a sliding window of the last
 * {@code windowSize} values; once the window is full, every update compares the newest
 * {@code statSize} values {@code R} with {@code statSize} values {@code W} drawn without replacement
 * from the older {@code windowSize - statSize} by the two-sample Kolmogorov-Smirnov test, and reports
 * a drift when the p-value is {@code <= alpha} and the statistic is {@code > minStatistic}. After a
 * drift the window keeps only {@code R}, so the next test waits for {@code windowSize - statSize} new
 * values.
 *
 * <p>The statistic and p-value are those of {@code scipy.stats.ks_2samp(W, R)} (two-sided,
 * {@code method='auto'}, which is exact for these sample sizes): {@code D = max |F_W - F_R|} over all
 * values, ties included, and the exact {@code P(D_{n,n} >= D)} of two samples of equal size {@code n}.
 *
 * <p>Sampling is seeded ({@link Builder#seed(long)}): the {@code statSize} indices into the older part
 * are a partial Fisher-Yates shuffle of {@code 0 .. windowSize - statSize - 1} driven by
 * {@link java.util.SplittableRandom#nextInt(int)}, starting from the identity each time, so a seed fixes
 * every sample.
 *
 * <p>Defaults are River's ({@code river.drift.KSWIN}): alpha 0.005, window size 100, stat size 30, the
 * statistic floor 0.1 that River applies; River's seed defaults to none (random), and so does this one.
 * River empties the whole window on the update after a drift; this class keeps {@code R}, as the
 * paper describes. With alpha 0.005 a test on a stationary stream fails with probability up to 0.005,
 * and one runs per value: expect false alarms on long streams (see {@code docs/drift-streaming.md}).
 */
public interface Kswin extends StreamingDetector {

    /** Largest {@code statSize}: up to this scipy's {@code method='auto'} is exact. */
    int MAX_STAT_SIZE = 10_000;

    /** Starts a builder with River's defaults and a random seed. */
    static Builder builder() {
        return new Builder();
    }

    /** Two-sample KS statistic of the last test; NaN before the first. */
    double statistic();

    /** Exact two-sided p-value of the last test; NaN before the first. */
    double pValue();

    /** Number of values in the window. */
    int windowLength();

    /** Parameters of a {@link Kswin}; every setter checks its value, {@link #build()} their consistency. */
    final class Builder {
        private double alpha = 0.005;
        private int windowSize = 100;
        private int statSize = 30;
        private double minStatistic = 0.1;
        private long seed = new java.util.SplittableRandom().nextLong();

        private Builder() {
        }

        /** Significance level of each test; in (0, 1), default 0.005. */
        public Builder alpha(double alpha) {
            this.alpha = Inputs.open01("alpha", alpha);
            return this;
        }

        /** Values in the sliding window; at least {@code 2 * statSize}, default 100. */
        public Builder windowSize(int windowSize) {
            this.windowSize = Inputs.atLeast("windowSize", windowSize, 2);
            return this;
        }

        /** Size of each of the two samples tested; in [1, 10000], default 30. */
        public Builder statSize(int statSize) {
            Inputs.atLeast("statSize", statSize, 1);
            if (statSize > MAX_STAT_SIZE) {
                throw new IllegalArgumentException("statSize must be <= " + MAX_STAT_SIZE + ", but was " + statSize);
            }
            this.statSize = statSize;
            return this;
        }

        /** A drift also needs the statistic to exceed this; in [0, 1), default 0.1 (River's). */
        public Builder minStatistic(double minStatistic) {
            if (!(minStatistic >= 0.0 && minStatistic < 1.0)) {
                throw new IllegalArgumentException("minStatistic must be in [0, 1), but was " + minStatistic);
            }
            this.minStatistic = minStatistic;
            return this;
        }

        /** Seed of the sampling; the same seed and stream give the same detections. Default: random. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @throws IllegalStateException if {@code windowSize < 2 * statSize}: the older part of the
         *         window must hold at least {@code statSize} values to sample from
         */
        public Kswin build() {
            if (windowSize < 2 * statSize) {
                throw new IllegalStateException("windowSize (" + windowSize + ") must be at least 2 * statSize ("
                        + statSize + "): the sample W is drawn without replacement from the oldest "
                        + "windowSize - statSize values");
            }
            return new KswinDetector(alpha, windowSize, statSize, minStatistic, seed);
        }
    }
}
