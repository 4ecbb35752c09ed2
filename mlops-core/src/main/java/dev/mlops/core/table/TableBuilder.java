package dev.mlops.core.table;

import java.time.Instant;
import java.util.Objects;

/**
 * Builds a {@link Table} row by row. Either pass a whole row to {@link #addRow(Object...)}, or
 * set cells without boxing ({@link #setDouble}, {@link #setLong}, ...) and finish each row with
 * {@link #endRow()}. A row is checked as a whole when it ends: a row that fails (a wrong type, a
 * null in a non-nullable column, a missing cell) is not added, so the builder never holds half a
 * row. Not thread-safe; {@link #build()} may be called more than once.
 */
public final class TableBuilder {

    private static final byte UNSET = 0;
    private static final byte VALUE = 1;
    private static final byte NULL = 2;

    private final Schema schema;
    private final ColumnType[] types;
    private final Object[] builders;
    private final byte[] state;
    private final double[] doubles;
    private final long[] longs;
    private final String[] strings;
    private int rows;

    TableBuilder(Schema schema, int expectedRows) {
        this.schema = Objects.requireNonNull(schema, "schema");
        int n = schema.size();
        types = new ColumnType[n];
        builders = new Object[n];
        state = new byte[n];
        doubles = new double[n];
        longs = new long[n];
        strings = new String[n];
        for (int i = 0; i < n; i++) {
            Field f = schema.field(i);
            types[i] = f.type();
            builders[i] = switch (f.type()) {
                case DOUBLE -> DoubleColumn.builder(f.name(), expectedRows);
                case LONG -> LongColumn.builder(f.name(), expectedRows);
                case BOOLEAN -> BooleanColumn.builder(f.name());
                case STRING -> StringColumn.builder(f.name(), expectedRows);
                case TIMESTAMP -> TimestampColumn.builder(f.name(), expectedRows);
            };
        }
    }

    public Schema schema() {
        return schema;
    }

    /** Rows added so far. */
    public int rowCount() {
        return rows;
    }

    public TableBuilder setDouble(int column, double value) {
        expect(column, ColumnType.DOUBLE);
        doubles[column] = value;
        return mark(column, VALUE);
    }

    public TableBuilder setLong(int column, long value) {
        expect(column, ColumnType.LONG);
        longs[column] = value;
        return mark(column, VALUE);
    }

    public TableBuilder setBoolean(int column, boolean value) {
        expect(column, ColumnType.BOOLEAN);
        longs[column] = value ? 1 : 0;
        return mark(column, VALUE);
    }

    /** Sets a string cell; {@code null} sets a null cell. */
    public TableBuilder setString(int column, String value) {
        expect(column, ColumnType.STRING);
        if (value == null) {
            return setNull(column);
        }
        strings[column] = value;
        return mark(column, VALUE);
    }

    public TableBuilder setEpochMicros(int column, long epochMicros) {
        expect(column, ColumnType.TIMESTAMP);
        longs[column] = epochMicros;
        return mark(column, VALUE);
    }

    /** Sets a timestamp cell; {@code null} sets a null cell. */
    public TableBuilder setTimestamp(int column, Instant value) {
        expect(column, ColumnType.TIMESTAMP);
        if (value == null) {
            return setNull(column);
        }
        try {
            longs[column] = TimestampColumn.toEpochMicros(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column '" + schema.field(column).name() + "', row " + rows + ": " + e.getMessage(), e);
        }
        return mark(column, VALUE);
    }

    public TableBuilder setNull(int column) {
        Objects.checkIndex(column, types.length);
        return mark(column, NULL);
    }

    /**
     * Sets a cell from a boxed value: any {@link Number} for {@code DOUBLE}; {@link Long},
     * {@link Integer}, {@link Short} or {@link Byte} for {@code LONG}; {@link Boolean};
     * {@link CharSequence} for {@code STRING}; {@link Instant} for {@code TIMESTAMP}; or {@code null}.
     */
    public TableBuilder set(int column, Object value) {
        Objects.checkIndex(column, types.length);
        if (value == null) {
            return setNull(column);
        }
        switch (types[column]) {
            case DOUBLE -> {
                if (value instanceof Number n) {
                    return setDouble(column, n.doubleValue());
                }
            }
            case LONG -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                    return setLong(column, ((Number) value).longValue());
                }
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    return setBoolean(column, b);
                }
            }
            case STRING -> {
                if (value instanceof CharSequence s) {
                    return setString(column, s.toString());
                }
            }
            case TIMESTAMP -> {
                if (value instanceof Instant i) {
                    return setTimestamp(column, i);
                }
            }
        }
        throw new IllegalArgumentException("column '" + schema.field(column).name() + "' is " + types[column]
                + " but row " + rows + " gives a " + value.getClass().getSimpleName() + " (" + abbreviate(value) + ")");
    }

    /** Sets the cell of the column called {@code name}; see {@link #set(int, Object)}. */
    public TableBuilder set(String name, Object value) {
        return set(schema.position(name), value);
    }

    /** Adds one row from boxed values, one per column in schema order; see {@link #set(int, Object)}. */
    public TableBuilder addRow(Object... values) {
        if (values.length != types.length) {
            throw new IllegalArgumentException("row " + rows + " has " + values.length + " values but the schema has "
                    + types.length + " columns " + schema.names());
        }
        try {
            for (int i = 0; i < values.length; i++) {
                set(i, values[i]);
            }
        } catch (RuntimeException e) {
            clearRow();
            throw e;
        }
        return endRow();
    }

    /**
     * Ends the current row. Cells left unset are null when their column is nullable; otherwise
     * the row is refused and discarded.
     */
    public TableBuilder endRow() {
        for (int i = 0; i < types.length; i++) {
            if (state[i] != VALUE && !schema.field(i).nullable()) {
                String what = state[i] == UNSET ? "has no value" : "is null";
                clearRow();
                throw new IllegalArgumentException("row " + rows + ": column '" + schema.field(i).name() + "' " + what
                        + " but is declared non-nullable; give it a value or declare it with Field.nullable");
            }
        }
        for (int i = 0; i < types.length; i++) {
            boolean isNull = state[i] != VALUE;
            switch (types[i]) {
                case DOUBLE -> {
                    DoubleColumn.Builder b = (DoubleColumn.Builder) builders[i];
                    if (isNull) { b.addNull(); } else { b.add(doubles[i]); }
                }
                case LONG -> {
                    LongColumn.Builder b = (LongColumn.Builder) builders[i];
                    if (isNull) { b.addNull(); } else { b.add(longs[i]); }
                }
                case BOOLEAN -> {
                    BooleanColumn.Builder b = (BooleanColumn.Builder) builders[i];
                    if (isNull) { b.addNull(); } else { b.add(longs[i] != 0); }
                }
                case STRING -> ((StringColumn.Builder) builders[i]).add(isNull ? null : strings[i]);
                case TIMESTAMP -> {
                    TimestampColumn.Builder b = (TimestampColumn.Builder) builders[i];
                    if (isNull) { b.addNull(); } else { b.addEpochMicros(longs[i]); }
                }
            }
        }
        clearRow();
        rows++;
        return this;
    }

    /** Discards the cells set for the current row. */
    public TableBuilder clearRow() {
        java.util.Arrays.fill(state, UNSET);
        java.util.Arrays.fill(strings, null);
        return this;
    }

    /** Adds every row of {@code table}, whose columns must match this builder's by position and type. */
    public TableBuilder addRows(Table table) {
        if (table.columnCount() != types.length) {
            throw new IllegalArgumentException("table has " + table.columnCount() + " columns but the builder has " + types.length);
        }
        for (int i = 0; i < types.length; i++) {
            if (table.column(i).type() != types[i]) {
                throw new IllegalArgumentException("column " + i + " is " + table.column(i).type() + " but the builder expects " + types[i]);
            }
        }
        for (int r = 0; r < table.rowCount(); r++) {
            for (int i = 0; i < types.length; i++) {
                Column c = table.column(i);
                if (c.isNull(r)) {
                    setNull(i);
                } else {
                    switch (c) {
                        case DoubleColumn d -> setDouble(i, d.get(r));
                        case LongColumn l -> setLong(i, l.get(r));
                        case BooleanColumn b -> setBoolean(i, b.get(r));
                        case StringColumn s -> setString(i, s.get(r));
                        case TimestampColumn t -> setEpochMicros(i, t.epochMicros(r));
                    }
                }
            }
            endRow();
        }
        return this;
    }

    /** The table of the rows ended so far. */
    public Table build() {
        Column[] cols = new Column[types.length];
        for (int i = 0; i < types.length; i++) {
            cols[i] = switch (types[i]) {
                case DOUBLE -> ((DoubleColumn.Builder) builders[i]).build();
                case LONG -> ((LongColumn.Builder) builders[i]).build();
                case BOOLEAN -> ((BooleanColumn.Builder) builders[i]).build();
                case STRING -> ((StringColumn.Builder) builders[i]).build();
                case TIMESTAMP -> ((TimestampColumn.Builder) builders[i]).build();
            };
        }
        return Table.of(schema, java.util.List.of(cols));
    }

    private void expect(int column, ColumnType type) {
        Objects.checkIndex(column, types.length);
        if (types[column] != type) {
            throw new IllegalArgumentException("column '" + schema.field(column).name() + "' is " + types[column]
                    + ", not " + type + " (row " + rows + ")");
        }
    }

    private TableBuilder mark(int column, byte s) {
        state[column] = s;
        return this;
    }

    private static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
