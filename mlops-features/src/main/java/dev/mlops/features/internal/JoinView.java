package dev.mlops.features.internal;

import dev.mlops.core.table.Table;
import java.util.List;
import java.util.Objects;

/**
 * One feature view as the join engine sees it.
 *
 * @param name          the view name, prefix of the output columns
 * @param table         the feature rows
 * @param keyColumn     the join key column in {@code table}
 * @param eventColumn   the event timestamp column
 * @param createdColumn the created timestamp column, or {@code null} when the rows have none
 * @param features      the feature columns to return
 * @param ttlMicros     the TTL in microseconds, 0 for unbounded
 * @param source        what to call the rows in error messages (a file path or a view name)
 */
public record JoinView(String name, Table table, String keyColumn, String eventColumn, String createdColumn,
                       List<String> features, long ttlMicros, String source) {
    public JoinView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(keyColumn, "keyColumn");
        Objects.requireNonNull(eventColumn, "eventColumn");
        features = List.copyOf(features);
        if (ttlMicros < 0) {
            throw new IllegalArgumentException("ttl must be >= 0 (0 = unbounded), got " + ttlMicros + " us for view '" + name + "'");
        }
    }
}
