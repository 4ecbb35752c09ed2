package dev.mlops.drift;

import java.util.Locale;
import java.util.Objects;

/**
 * The Page-Hinkley change detector with River's defaults and semantics ({@code river.drift.PageHinkley}):
 * with the running mean m_t of the values since the last reset,
 * <pre>
 *   up:   S_t = alpha S_{t-1} + (x_t - m_t) - delta,   drift when S_t - min S  > threshold
 *   down: T_t = alpha T_{t-1} + (x_t - m_t) + delta,   drift when max T - T_t  > threshold
 * </pre>
 * tested only once {@code minInstances} values were seen; after a detection the next value starts afresh.
 * Defaults: {@code minInstances} 30, {@code delta} 0.005, {@code threshold} 50, {@code alpha} 1 - 0.0001,
 * mode both. Not thread-safe.
 *
 * <pre>{@code
 * StreamingDetector ph = PageHinkley.builder().threshold(20).build();
 * for (double error : errors) {
 *     if (ph.update(error)) { alert(); }
 * }
 * }</pre>
 */
public final class PageHinkley implements StreamingDetector {

    /** Which changes to detect. */
    public enum Mode {
        /** increases of the mean */
        UP,
        /** decreases of the mean */
        DOWN,
        /** both */
        BOTH
    }

    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final Mode mode;

    private long n;
    private double mean;
    private double sumIncrease;
    private double minIncrease;
    private double sumDecrease;
    private double maxDecrease;
    private boolean drift;

    private PageHinkley(Builder b) {
        this.minInstances = b.minInstances;
        this.delta = b.delta;
        this.threshold = b.threshold;
        this.alpha = b.alpha;
        this.mode = b.mode;
        reset();
    }

    /** A builder with River's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private void reset() {
        n = 0;
        mean = 0;
        sumIncrease = 0;
        minIncrease = Double.POSITIVE_INFINITY;
        sumDecrease = 0;
        maxDecrease = Double.NEGATIVE_INFINITY;
        drift = false;
    }

    @Override
    public boolean update(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("PageHinkley takes finite values, got " + value + " after " + n + " values");
        }
        if (drift) {
            reset();
        }
        n++;
        mean += (value - mean) / n;
        double dev = value - mean;
        sumIncrease = alpha * sumIncrease + dev - delta;
        sumDecrease = alpha * sumDecrease + dev + delta;
        minIncrease = Math.min(minIncrease, sumIncrease);
        maxDecrease = Math.max(maxDecrease, sumDecrease);
        if (n >= minInstances) {
            boolean up = mode != Mode.DOWN && sumIncrease - minIncrease > threshold;
            boolean down = mode != Mode.UP && maxDecrease - sumDecrease > threshold;
            drift = up || down;
        }
        return drift;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public long count() {
        return n;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "PageHinkley[n=%d, mean=%g, up=%g, down=%g, drift=%s]", n, mean,
                sumIncrease - minIncrease, maxDecrease - sumDecrease, drift);
    }

    /** Settings of a {@link PageHinkley}; setters fail fast. */
    public static final class Builder {
        private int minInstances = 30;
        private double delta = 0.005;
        private double threshold = 50.0;
        private double alpha = 1 - 0.0001;
        private Mode mode = Mode.BOTH;

        private Builder() {
        }

        /** Values needed before the first test; >= 1, default 30. */
        public Builder minInstances(int minInstances) {
            if (minInstances < 1) {
                throw new IllegalArgumentException("minInstances must be >= 1, was " + minInstances);
            }
            this.minInstances = minInstances;
            return this;
        }

        /** Tolerated change of the mean per value; >= 0, default 0.005. */
        public Builder delta(double delta) {
            if (!(delta >= 0) || Double.isInfinite(delta)) {
                throw new IllegalArgumentException("delta must be finite and >= 0, was " + delta);
            }
            this.delta = delta;
            return this;
        }

        /** Cumulative deviation that signals a change (lambda); > 0, default 50. */
        public Builder threshold(double threshold) {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be finite and > 0, was " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /** Forgetting factor of the cumulative sums, in (0, 1]; default 1 - 0.0001. */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** Direction of the changes to detect; default both. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public PageHinkley build() {
            return new PageHinkley(this);
        }
    }
}
