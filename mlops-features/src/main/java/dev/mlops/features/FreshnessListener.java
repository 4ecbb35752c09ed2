package dev.mlops.features;

import java.time.Duration;

/** Told by {@link FeatureStore#checkFreshness} about views whose newest value is too old; methods default to no-op. */
public interface FreshnessListener {

    /** A listener that ignores everything. */
    FreshnessListener NONE = new FreshnessListener() { };

    /** {@code view}'s newest materialized or pushed value is {@code age} old, more than {@code maxAge}. */
    default void stale(String view, Duration age, Duration maxAge) {
    }
}
