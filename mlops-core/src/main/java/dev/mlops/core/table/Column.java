package dev.mlops.core.table;

/**
 * An immutable, typed column of a {@link Table}. Nulls are tracked per cell in a bit set, never by
 * magic values: a null cell reads as a placeholder from the primitive getters ({@code NaN}, {@code 0},
 * {@code false}), so callers that care check {@link #isNull(int)} first.
 *
 * <p>Each type has its own class with unboxed accessors; switch over the sealed hierarchy or over
 * {@link #type()} to reach them.
 */
public sealed interface Column
        permits DoubleColumn, LongColumn, BooleanColumn, StringColumn, TimestampColumn {

    /** The column name. */
    String name();

    /** The value type. */
    ColumnType type();

    /** Number of cells. */
    int size();

    /** Whether the cell at {@code row} is null. */
    boolean isNull(int row);

    /** Number of null cells. */
    int nullCount();

    /**
     * The cell as a boxed value: {@link Double}, {@link Long}, {@link Boolean}, {@link String} or
     * {@link java.time.Instant}, or {@code null}. Convenient, but allocates: prefer the typed getters
     * on hot paths.
     */
    Object value(int row);

    /**
     * The cells as text, the inverse of parsing: doubles in shortest round-trip form, timestamps as
     * ISO-8601 UTC ({@code 2024-03-01T12:00:00Z}); null cells are {@code null}.
     */
    String[] toStringArray();

    /** This column under another name, sharing its storage. */
    Column rename(String newName);

    /** A new column holding the cells at the given row indexes, in that order. */
    Column take(int[] rows);

    /** A new column holding rows {@code [from, to)}. */
    Column slice(int from, int to);
}
