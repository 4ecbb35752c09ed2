package dev.mlops.drift.stream;

/**
 * ADWIN, adaptive windowing (Bifet &amp; Gavaldà, "Learning from Time-Changing Data with Adaptive
 * Windowing", SIAM SDM 2007): keeps the longest recent window in which no split into an older part
 * {@code W0} and a newer part {@code W1} has means that differ by more than
 *
 * <pre>
 *   eps_cut = sqrt(2 / m * var(W) * ln(2 / delta')) + 2 / (3 m) * ln(2 / delta')
 *   1 / m   = 1 / (|W0| - minWindowLength + 1) + 1 / (|W1| - minWindowLength + 1)
 *   delta'  = delta / ln |W|
 * </pre>
 *
 * where {@code var(W)} is the population variance of the whole window. When a split exceeds it, the
 * oldest bucket is dropped and the check repeats until no split does; the update that dropped anything
 * reports {@link DetectorState#DRIFT}. The window is stored as ADWIN2's exponential histogram: at most
 * {@code maxBuckets} buckets of each size 1, 2, 4, ..., so memory and time per check are
 * {@code O(maxBuckets * log |W|)}, and the candidate splits are the bucket boundaries (the paper's
 * approximation; with {@code maxBuckets} at least the stream length every split is checked, as in the
 * paper's exact ADWIN). Sums and variances of buckets are merged exactly, so {@link #mean()} and
 * {@link #variance()} are those of the last {@link #width()} values.
 *
 * <p>Defaults are River's ({@code river.drift.ADWIN}): delta 0.002, clock 32 (check every 32 values),
 * max buckets 5, min window length 5, grace period 10 (no check until the window is longer). Unlike
 * River's Cython loop, every bucket boundary is a candidate split (River skips the newest bucket of
 * each size, online-ml/river#1539); MOA's Java implementation checks them all too.
 */
public interface Adwin extends StreamingDetector {

    /** Starts a builder with River's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Number of values in the current window. */
    long width();

    /** Mean of the current window; 0 when it is empty. */
    double mean();

    /** Population variance of the current window; 0 when it holds fewer than two values. */
    double variance();

    /** Number of updates that shrank the window since the detector was built or reset. */
    long detections();

    /** Parameters of an {@link Adwin}; every setter checks its value. */
    final class Builder {
        private double delta = 0.002;
        private int clock = 32;
        private int maxBuckets = 5;
        private int minWindowLength = 5;
        private int gracePeriod = 10;

        private Builder() {
        }

        /** Confidence: the bound on the probability of a false cut per check; in (0, 1), default 0.002. */
        public Builder delta(double delta) {
            this.delta = Inputs.open01("delta", delta);
            return this;
        }

        /** Check for a change every {@code clock} values; >= 1, default 32. */
        public Builder clock(int clock) {
            this.clock = Inputs.atLeast("clock", clock, 1);
            return this;
        }

        /** Buckets of each size kept before two are merged; >= 1, default 5. */
        public Builder maxBuckets(int maxBuckets) {
            this.maxBuckets = Inputs.atLeast("maxBuckets", maxBuckets, 1);
            return this;
        }

        /** Smallest size of either part of a split; >= 1, default 5. */
        public Builder minWindowLength(int minWindowLength) {
            this.minWindowLength = Inputs.atLeast("minWindowLength", minWindowLength, 1);
            return this;
        }

        /** No check until the window holds more than this many values; >= 0, default 10. */
        public Builder gracePeriod(int gracePeriod) {
            this.gracePeriod = Inputs.atLeast("gracePeriod", gracePeriod, 0);
            return this;
        }

        public Adwin build() {
            return new AdwinDetector(delta, clock, maxBuckets, minWindowLength, gracePeriod);
        }
    }
}
