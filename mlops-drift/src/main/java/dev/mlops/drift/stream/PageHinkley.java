package dev.mlops.drift.stream;

import java.util.Objects;

/**
 * The Page-Hinkley test (Page, "Continuous Inspection Schemes", Biometrika 41, 1954; in the drift form
 * of Mouss, Mouss, Mouss &amp; Sefouhi, "Test of Page-Hinkley, an approach for fault detection in an
 * agro-alimentary production system", 2004). With {@code xbar_t} the mean of the values since the
 * last restart (including {@code x_t}), it keeps two fading cumulative sums
 *
 * <pre>
 *   U_t = alpha * U_{t-1} + (x_t - xbar_t - delta)      m_t = min(U_1..U_t)
 *   L_t = alpha * L_{t-1} + (x_t - xbar_t + delta)      M_t = max(L_1..L_t)
 * </pre>
 *
 * and, once at least {@code minInstances} values have been seen, reports a drift when
 * {@code U_t - m_t > threshold} (an increase; mode {@link Mode#UP} or {@link Mode#BOTH}) or
 * {@code M_t - L_t > threshold} (a decrease; {@link Mode#DOWN} or {@link Mode#BOTH}). The update after
 * a drift starts over. {@code threshold} and {@code delta} are in the units of the stream: the defaults
 * suit streams with a standard deviation up to about 0.3, and with {@code alpha < 1} the sum {@code U}
 * settles around {@code -delta / (1 - alpha)} with spread {@code sigma / sqrt(2 (1 - alpha))}, so on
 * streams much longer than {@code 1 / (1 - alpha)} values scale {@code threshold} with the spread or set
 * {@code alpha} to 1 (see {@code docs/drift-streaming.md}).
 *
 * <p>Defaults are River's ({@code river.drift.PageHinkley}): min instances 30, delta 0.005, threshold
 * 50, alpha 1 - 0.0001, mode both. River starts {@code M} at -1 rather than at the first {@code L};
 * this class follows the definition above.
 */
public interface PageHinkley extends StreamingDetector {

    /** Which direction of change is tested. */
    enum Mode {
        /** Increases of the mean only. */
        UP,
        /** Decreases of the mean only. */
        DOWN,
        /** Either direction. */
        BOTH
    }

    /** Starts a builder with River's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** {@code U_t - m_t}, the statistic for an increase; 0 before any value. */
    double increaseStatistic();

    /** {@code M_t - L_t}, the statistic for a decrease; 0 before any value. */
    double decreaseStatistic();

    /** Mean of the values since the last restart (build, reset or drift); 0 before any. */
    double mean();

    /** Parameters of a {@link PageHinkley}; every setter checks its value. */
    final class Builder {
        private int minInstances = 30;
        private double delta = 0.005;
        private double threshold = 50.0;
        private double alpha = 1 - 0.0001;
        private Mode mode = Mode.BOTH;

        private Builder() {
        }

        /** Values needed since the last restart before a drift can be reported; >= 1, default 30. */
        public Builder minInstances(int minInstances) {
            this.minInstances = Inputs.atLeast("minInstances", minInstances, 1);
            return this;
        }

        /** Magnitude of change tolerated, in stream units; finite, >= 0, default 0.005. */
        public Builder delta(double delta) {
            this.delta = Inputs.nonNegative("delta", delta);
            return this;
        }

        /** Detection threshold lambda, in stream units; finite, > 0, default 50. */
        public Builder threshold(double threshold) {
            this.threshold = Inputs.positive("threshold", threshold);
            return this;
        }

        /** Forgetting factor of the cumulative sums; in (0, 1], default 0.9999. */
        public Builder alpha(double alpha) {
            if (!(alpha > 0.0 && alpha <= 1.0)) {
                throw new IllegalArgumentException("alpha must be in (0, 1], but was " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** Direction of change to detect; default {@link Mode#BOTH}. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public PageHinkley build() {
            return new PageHinkleyDetector(minInstances, delta, threshold, alpha, mode);
        }
    }
}
