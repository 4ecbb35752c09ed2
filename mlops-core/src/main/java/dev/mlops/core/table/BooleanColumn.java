package dev.mlops.core.table;

import java.util.Arrays;

/** A column of {@code boolean}s. Null cells read as {@code false}: check {@link #isNull(int)}. */
public final class BooleanColumn extends AbstractColumn implements Column {

    private final long[] bits;

    private BooleanColumn(String name, long[] bits, int size, long[] nulls) {
        super(name, size, nulls);
        this.bits = bits;
    }

    /** A column holding {@code values}, with no nulls. */
    public static BooleanColumn of(String name, boolean... values) {
        Builder b = builder(name);
        for (boolean v : values) {
            b.add(v);
        }
        return b.build();
    }

    /** A column holding {@code values}; {@code null} elements become null cells. */
    public static BooleanColumn ofBoxed(String name, Boolean... values) {
        Builder b = builder(name);
        for (Boolean v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public ColumnType type() {
        return ColumnType.BOOLEAN;
    }

    /** The value at {@code row}; {@code false} for a null cell. */
    public boolean get(int row) {
        return !isNull(row) && NullMask.get(bits, row);
    }

    /** The number of non-null {@code true} cells. */
    public int trueCount() {
        return NullMask.count(bits);
    }

    /** The values as 1.0 / 0.0; null cells become {@code NaN}. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = isNull(i) ? Double.NaN : (NullMask.get(bits, i) ? 1.0 : 0.0);
        }
        return out;
    }

    @Override
    public Boolean value(int row) {
        return isNull(row) ? null : NullMask.get(bits, row);
    }

    @Override
    public BooleanColumn rename(String newName) {
        return new BooleanColumn(newName, bits, size, nulls);
    }

    @Override
    public BooleanColumn take(int[] rows) {
        checkRows(rows);
        return new BooleanColumn(name, NullMask.take(bits, rows), rows.length, NullMask.take(nulls, rows));
    }

    @Override
    public BooleanColumn slice(int from, int to) {
        checkSlice(from, to);
        return new BooleanColumn(name, NullMask.slice(bits, from, to), to - from, NullMask.slice(nulls, from, to));
    }

    @Override
    String format(int row) {
        return Boolean.toString(NullMask.get(bits, row));
    }

    @Override
    boolean cellEquals(int row, Object other, int otherRow) {
        return NullMask.get(bits, row) == NullMask.get(((BooleanColumn) other).bits, otherRow);
    }

    @Override
    int cellHash(int row) {
        return NullMask.get(bits, row) ? 1231 : 1237;
    }

    /** Appends cells one at a time; not thread-safe. */
    public static final class Builder {
        private final String name;
        private long[] bits;
        private long[] nulls;
        private int size;

        private Builder(String name) {
            this.name = name;
        }

        public Builder add(boolean value) {
            if (value) {
                bits = NullMask.set(bits, size);
            }
            size++;
            return this;
        }

        public Builder addNull() {
            nulls = NullMask.set(nulls, size);
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public BooleanColumn build() {
            long[] b = NullMask.trim(bits, size);
            return new BooleanColumn(name, b == null ? null : b, size, nulls == null ? null : Arrays.copyOf(nulls, nulls.length));
        }
    }
}
