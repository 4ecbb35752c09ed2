package dev.mlops.core.table;

import java.util.Objects;

/**
 * One column of a {@link Schema}: its name, its type and whether it may hold nulls.
 *
 * @param name     the column name, non-empty
 * @param type     the column type
 * @param nullable whether cells of the column may be null
 */
public record Field(String name, ColumnType type, boolean nullable) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty (type " + type + ")");
        }
    }

    /** A non-nullable field. */
    public static Field of(String name, ColumnType type) {
        return new Field(name, type, false);
    }

    /** A nullable field. */
    public static Field nullable(String name, ColumnType type) {
        return new Field(name, type, true);
    }

    /** This field with another nullability. */
    public Field withNullable(boolean nullable) {
        return nullable == this.nullable ? this : new Field(name, type, nullable);
    }

    @Override
    public String toString() {
        return name + " " + type + (nullable ? "?" : "");
    }
}
