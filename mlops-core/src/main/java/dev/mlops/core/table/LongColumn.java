package dev.mlops.core.table;

import java.util.Arrays;

/** A column of {@code long}s. Null cells read as {@code 0}: check {@link #isNull(int)}. */
public final class LongColumn extends AbstractColumn implements Column {

    private final long[] values;

    private LongColumn(String name, long[] values, int size, long[] nulls) {
        super(name, size, nulls);
        this.values = values;
    }

    /** A column holding a copy of {@code values}, with no nulls. */
    public static LongColumn of(String name, long... values) {
        return new LongColumn(name, values.clone(), values.length, null);
    }

    /** A column holding a copy of {@code values}; {@code null} elements become null cells. */
    public static LongColumn ofBoxed(String name, Long... values) {
        Builder b = builder(name, values.length);
        for (Long v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    public static Builder builder(String name) {
        return new Builder(name, 16);
    }

    public static Builder builder(String name, int expectedSize) {
        return new Builder(name, expectedSize);
    }

    @Override
    public ColumnType type() {
        return ColumnType.LONG;
    }

    /** The value at {@code row}; {@code 0} for a null cell. */
    public long get(int row) {
        return isNull(row) ? 0L : values[row];
    }

    /** A copy of the values; null cells become {@code 0}. */
    public long[] toLongArray() {
        long[] out = Arrays.copyOf(values, size);
        if (nulls != null) {
            for (int i = 0; i < size; i++) {
                if (NullMask.get(nulls, i)) {
                    out[i] = 0L;
                }
            }
        }
        return out;
    }

    /** The values as doubles; null cells become {@code NaN}. Values beyond 2^53 lose precision. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = isNull(i) ? Double.NaN : values[i];
        }
        return out;
    }

    @Override
    public Long value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public LongColumn rename(String newName) {
        return new LongColumn(newName, values, size, nulls);
    }

    @Override
    public LongColumn take(int[] rows) {
        checkRows(rows);
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new LongColumn(name, out, rows.length, NullMask.take(nulls, rows));
    }

    @Override
    public LongColumn slice(int from, int to) {
        checkSlice(from, to);
        return new LongColumn(name, Arrays.copyOfRange(values, from, to), to - from, NullMask.slice(nulls, from, to));
    }

    @Override
    String format(int row) {
        return Long.toString(values[row]);
    }

    @Override
    boolean cellEquals(int row, Object other, int otherRow) {
        return values[row] == ((LongColumn) other).values[otherRow];
    }

    @Override
    int cellHash(int row) {
        return Long.hashCode(values[row]);
    }

    /** Appends cells one at a time; not thread-safe. */
    public static final class Builder {
        private final String name;
        private long[] values;
        private long[] nulls;
        private int size;

        private Builder(String name, int expectedSize) {
            this.name = name;
            this.values = new long[Math.max(expectedSize, 4)];
        }

        public Builder add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            return this;
        }

        public Builder addNull() {
            nulls = NullMask.set(nulls, size);
            return add(0L);
        }

        public int size() {
            return size;
        }

        public LongColumn build() {
            return new LongColumn(name, values.length == size ? values : Arrays.copyOf(values, size), size, nulls);
        }
    }
}
