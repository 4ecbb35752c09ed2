package dev.mlops.core.validation;

import dev.mlops.core.table.Table;

/**
 * A test of one row given as its table and index: a custom rule that reads typed cells without allocating a
 * {@link dev.mlops.core.table.Row} per row.
 *
 * <pre>{@code
 * RowPredicate areaPositive = (table, row) -> table.doubleColumn("area").get(row) > 0;
 * }</pre>
 */
@FunctionalInterface
public interface RowPredicate {

    /** Whether row {@code row} of {@code table} passes. */
    boolean test(Table table, int row);
}
