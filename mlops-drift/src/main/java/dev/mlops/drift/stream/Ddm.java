package dev.mlops.drift.stream;

/**
 * DDM, the drift detection method of Gama, Medas, Castillo &amp; Rodrigues ("Learning with Drift
 * Detection", SBIA 2004), on a stream of errors: 1 for a wrong prediction, 0 for a right one. After
 * {@code i} values with error rate {@code p_i} and {@code s_i = sqrt(p_i (1 - p_i) / i)}, and once
 * {@code i > warmStart}, it records {@code p_min, s_min} at the latest {@code i} where
 * {@code p_i + s_i} is smallest so far ({@code <=}), and reports
 *
 * <pre>
 *   DRIFT    when p_i + s_i > p_min + driftThreshold   * s_min
 *   WARNING  when p_i + s_i > p_min + warningThreshold * s_min   (and not DRIFT)
 * </pre>
 *
 * The update after a drift starts over. Defaults are River's ({@code river.drift.binary.DDM}): warm
 * start 30, warning threshold 2, drift threshold 3. Like every DDM, a stream whose first
 * {@code warmStart + 1} or more values are all 0 gets {@code p_min = s_min = 0}, so the next error is
 * reported as a drift.
 */
public interface Ddm extends StreamingDetector {

    /** Starts a builder with River's defaults. */
    static Builder builder() {
        return new Builder();
    }

    /** Error rate {@code p_i} since the last restart (build, reset or drift); 0 before any value. */
    double errorRate();

    /** {@code p_min}, or NaN while no minimum has been recorded (within the warm start). */
    double minErrorRate();

    /** {@code s_min}, or NaN while no minimum has been recorded (within the warm start). */
    double minStandardDeviation();

    /**
     * Adds an outcome: {@code true} for an error.
     *
     * @see #update(double)
     */
    default DetectorState update(boolean error) {
        return update(error ? 1.0 : 0.0);
    }

    /** Parameters of a {@link Ddm}; every setter checks its value, {@link #build()} their consistency. */
    final class Builder {
        private int warmStart = 30;
        private double warningThreshold = 2.0;
        private double driftThreshold = 3.0;

        private Builder() {
        }

        /** Values needed since the last restart before anything is reported; >= 0, default 30. */
        public Builder warmStart(int warmStart) {
            this.warmStart = Inputs.atLeast("warmStart", warmStart, 0);
            return this;
        }

        /** Multiple of {@code s_min} for the warning zone; finite, > 0, default 2. */
        public Builder warningThreshold(double warningThreshold) {
            this.warningThreshold = Inputs.positive("warningThreshold", warningThreshold);
            return this;
        }

        /** Multiple of {@code s_min} for a drift; finite, > 0, default 3. */
        public Builder driftThreshold(double driftThreshold) {
            this.driftThreshold = Inputs.positive("driftThreshold", driftThreshold);
            return this;
        }

        /**
         * @throws IllegalStateException if the warning threshold is not below the drift threshold
         */
        public Ddm build() {
            if (!(warningThreshold < driftThreshold)) {
                throw new IllegalStateException("warningThreshold (" + warningThreshold
                        + ") must be below driftThreshold (" + driftThreshold + "): no warning could ever show");
            }
            return new DdmDetector(warmStart, warningThreshold, driftThreshold);
        }
    }
}
