package dev.mlops.drift;

/**
 * The outcome of a {@link PerformanceDriftDetector} check.
 *
 * @param metric     the metric
 * @param reference  its value on the reference window
 * @param current    its value on the current window
 * @param difference {@code current - reference}
 * @param lower      lower end of the bootstrap percentile interval of the difference
 * @param upper      upper end
 * @param drift      the interval lies entirely on the worse side of 0 beyond the tolerance: {@code upper < -tolerance}
 *                   for a higher-is-better metric, {@code lower > tolerance} for RMSE
 */
public record PerformanceDriftResult(PerformanceMetric metric, double reference, double current, double difference,
                                     double lower, double upper, boolean drift) {
}
