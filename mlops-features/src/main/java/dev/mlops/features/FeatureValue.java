package dev.mlops.features;

import java.time.Instant;

/**
 * One feature of one entity as read online.
 *
 * @param feature        the reference, {@code view:feature}
 * @param value          the value (Double, Long, Boolean, String or Instant), {@code null} unless PRESENT
 * @param eventTimestamp the event time of the stored row, {@code null} when NOT_FOUND (and for on-demand features)
 * @param status         what was found
 */
public record FeatureValue(String feature, Object value, Instant eventTimestamp, FeatureStatus status) {
}
