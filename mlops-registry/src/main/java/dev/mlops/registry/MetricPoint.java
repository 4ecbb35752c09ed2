package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a metric series.
 *
 * @param key       the metric name
 * @param value     the value as logged; NaN and infinities are kept
 * @param step      the step it was logged at, {@code >= 0}
 * @param timestamp when it was logged, from the registry's clock (millisecond precision)
 */
public record MetricPoint(String key, double value, long step, Instant timestamp) {
    public MetricPoint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
