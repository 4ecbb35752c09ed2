package dev.mlops.core.table;

import java.util.Arrays;

/** A column of {@code double}s. Null cells read as {@code NaN}; {@code NaN} itself is a value. */
public final class DoubleColumn extends AbstractColumn implements Column {

    private final double[] values;

    private DoubleColumn(String name, double[] values, int size, long[] nulls) {
        super(name, size, nulls);
        this.values = values;
    }

    /** A column holding a copy of {@code values}, with no nulls. */
    public static DoubleColumn of(String name, double... values) {
        return new DoubleColumn(name, values.clone(), values.length, null);
    }

    /** A column holding a copy of {@code values}; {@code null} elements become null cells. */
    public static DoubleColumn ofBoxed(String name, Double... values) {
        Builder b = builder(name, values.length);
        for (Double v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    /** A builder for a column of unknown length. */
    public static Builder builder(String name) {
        return new Builder(name, 16);
    }

    /** A builder sized for {@code expectedSize} cells. */
    public static Builder builder(String name, int expectedSize) {
        return new Builder(name, expectedSize);
    }

    @Override
    public ColumnType type() {
        return ColumnType.DOUBLE;
    }

    /** The value at {@code row}; {@code NaN} for a null cell. */
    public double get(int row) {
        return isNull(row) ? Double.NaN : values[row];
    }

    /** A copy of the values; null cells become {@code NaN}. */
    public double[] toDoubleArray() {
        double[] out = Arrays.copyOf(values, size);
        if (nulls != null) {
            for (int i = 0; i < size; i++) {
                if (NullMask.get(nulls, i)) {
                    out[i] = Double.NaN;
                }
            }
        }
        return out;
    }

    @Override
    public Double value(int row) {
        return isNull(row) ? null : values[row];
    }

    @Override
    public DoubleColumn rename(String newName) {
        return new DoubleColumn(newName, values, size, nulls);
    }

    @Override
    public DoubleColumn take(int[] rows) {
        checkRows(rows);
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new DoubleColumn(name, out, rows.length, NullMask.take(nulls, rows));
    }

    @Override
    public DoubleColumn slice(int from, int to) {
        checkSlice(from, to);
        return new DoubleColumn(name, Arrays.copyOfRange(values, from, to), to - from, NullMask.slice(nulls, from, to));
    }

    @Override
    String format(int row) {
        return Double.toString(values[row]);
    }

    @Override
    boolean cellEquals(int row, Object other, int otherRow) {
        return Double.compare(values[row], ((DoubleColumn) other).values[otherRow]) == 0;
    }

    @Override
    int cellHash(int row) {
        return Double.hashCode(values[row]);
    }

    /** Appends cells one at a time; not thread-safe; {@link #build()} may be called once. */
    public static final class Builder {
        private final String name;
        private double[] values;
        private long[] nulls;
        private int size;

        private Builder(String name, int expectedSize) {
            this.name = name;
            this.values = new double[Math.max(expectedSize, 4)];
        }

        public Builder add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            return this;
        }

        public Builder addNull() {
            nulls = NullMask.set(nulls, size);
            return add(Double.NaN);
        }

        public int size() {
            return size;
        }

        public DoubleColumn build() {
            return new DoubleColumn(name, values.length == size ? values : Arrays.copyOf(values, size), size, nulls);
        }
    }
}
