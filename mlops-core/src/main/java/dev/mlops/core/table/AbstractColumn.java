package dev.mlops.core.table;

import java.util.Objects;

/** Name, size and null bit set shared by every column type. */
abstract class AbstractColumn {

    final String name;
    final int size;
    /** Null cells, or {@code null} when there are none. */
    final long[] nulls;
    private final int nullCount;

    AbstractColumn(String name, int size, long[] nulls) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
        this.name = name;
        this.size = size;
        this.nulls = NullMask.trim(nulls, size);
        this.nullCount = NullMask.count(this.nulls);
    }

    public final String name() {
        return name;
    }

    public final int size() {
        return size;
    }

    public final boolean isNull(int row) {
        Objects.checkIndex(row, size);
        return nulls != null && NullMask.get(nulls, row);
    }

    public final int nullCount() {
        return nullCount;
    }

    final void checkRows(int[] rows) {
        for (int r : rows) {
            Objects.checkIndex(r, size);
        }
    }

    final void checkSlice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
    }

    public final String[] toStringArray() {
        String[] out = new String[size];
        for (int i = 0; i < size; i++) {
            out[i] = isNull(i) ? null : format(i);
        }
        return out;
    }

    /** The text form of a non-null cell. */
    abstract String format(int row);

    @Override
    public String toString() {
        Column c = (Column) this;
        StringBuilder sb = new StringBuilder(name).append(' ').append(c.type()).append('[').append(size).append("]{");
        for (int i = 0; i < Math.min(size, 8); i++) {
            sb.append(i == 0 ? "" : ", ").append(isNull(i) ? "null" : format(i));
        }
        return sb.append(size > 8 ? ", ...}" : "}").toString();
    }

    /** Whether the non-null cells at {@code row} of this and {@code other} (same type) hold equal values. */
    abstract boolean cellEquals(int row, Object other, int otherRow);

    /** A hash of the non-null cell at {@code row}, consistent with {@link #cellEquals}. */
    abstract int cellHash(int row);

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AbstractColumn other) || other.getClass() != getClass()
                || !other.name.equals(name) || other.size != size || other.nullCount != nullCount) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            boolean n = isNull(i);
            if (n != other.isNull(i) || (!n && !cellEquals(i, other, i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final int hashCode() {
        int h = name.hashCode() * 31 + getClass().hashCode();
        for (int i = 0; i < size; i++) {
            h = h * 31 + (isNull(i) ? 7 : cellHash(i));
        }
        return h;
    }
}
