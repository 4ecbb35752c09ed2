package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import java.time.Duration;
import java.util.Objects;

/**
 * A windowed aggregation of one feature of a view, over the events of an entity whose event time is in
 * {@code (t - window, t]} (in as-known-at mode also {@code created_ts <= t}); each row is one event and
 * null values are skipped. Referenced as {@code "view:name"}. The same code computes it offline (for each
 * entity row) and online (at the clock's time, from the events kept in the online store).
 *
 * @param name    the output feature name, unique in the view
 * @param feature the view feature aggregated
 * @param kind    the function
 * @param window  the window length, > 0, whole microseconds
 */
public record Aggregation(String name, String feature, Kind kind, Duration window) {

    /** The aggregation functions. */
    public enum Kind {
        /** Number of non-null values (LONG; 0 for an empty window). */
        COUNT,
        /** Sum of the values (DOUBLE; null for an empty window). */
        SUM,
        /** Arithmetic mean (DOUBLE; null for an empty window). */
        MEAN,
        /** Smallest value (DOUBLE). */
        MIN,
        /** Largest value (DOUBLE). */
        MAX,
        /** The value of the newest event (greatest event_ts, then created_ts), of the feature's type. */
        LAST
    }

    public Aggregation {
        Names.check("aggregation name", name);
        Names.check("feature name", feature);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || window.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("window of aggregation '" + name + "' must be > 0 whole microseconds, got " + window);
        }
    }

    /** The output type for a source feature of {@code type}. */
    public ColumnType outputType(ColumnType type) {
        return switch (kind) {
            case COUNT -> ColumnType.LONG;
            case LAST -> type;
            default -> ColumnType.DOUBLE;
        };
    }

    long windowMicros() {
        return Math.multiplyExact(window.getSeconds(), 1_000_000L) + window.getNano() / 1000;
    }
}
