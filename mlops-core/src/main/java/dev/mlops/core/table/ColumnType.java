package dev.mlops.core.table;

/**
 * The value types a {@link Column} can hold. Each type has one storage layout and no boxing on
 * its access path.
 */
public enum ColumnType {
    /** 64-bit IEEE 754 floating point; NaN is a value, distinct from null. */
    DOUBLE,
    /** 64-bit signed integer. */
    LONG,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Text, dictionary-encoded: suited to categorical columns and identifiers alike. */
    STRING,
    /** A UTC instant with microsecond precision, stored as microseconds since the epoch. */
    TIMESTAMP
}
