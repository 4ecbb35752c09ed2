package dev.mlops.core.table;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.SchemaMismatchException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * An immutable, columnar, typed table: the data type every module of the SDK exchanges.
 *
 * <p>Columns are {@link DoubleColumn}, {@link LongColumn}, {@link BooleanColumn},
 * {@link StringColumn} (dictionary-encoded) and {@link TimestampColumn} (UTC, microseconds); nulls
 * are tracked per cell. Reading a numeric column costs no boxing:
 *
 * <pre>{@code
 * Table t = Table.builder(Schema.builder().add("x", ColumnType.DOUBLE).addNullable("label", ColumnType.STRING).build())
 *         .addRow(1.5, "a")
 *         .addRow(2.5, null)
 *         .build();
 * DoubleColumn x = t.doubleColumn("x");
 * double sum = 0;
 * for (int i = 0; i < t.rowCount(); i++) {
 *     sum += x.get(i);
 * }
 * Table big = t.filter(i -> x.get(i) > 2);
 * }</pre>
 *
 * <p>Every operation returns a new table; a table is safe to share between threads.
 */
public final class Table {

    private final Schema schema;
    private final List<Column> columns;
    private final int rowCount;

    private Table(Schema schema, List<Column> columns, int rowCount) {
        this.schema = schema;
        this.columns = columns;
        this.rowCount = rowCount;
    }

    /**
     * A table of the given columns; a column is nullable in the derived schema exactly when it
     * holds a null.
     */
    public static Table of(Column... columns) {
        List<Field> fields = new ArrayList<>(columns.length);
        for (Column c : columns) {
            fields.add(new Field(c.name(), c.type(), c.nullCount() > 0));
        }
        return of(Schema.of(fields), List.of(columns));
    }

    /**
     * A table of {@code columns} under {@code schema}.
     *
     * @throws SchemaMismatchException if names, types or lengths disagree, or a non-nullable
     *                                 column holds nulls
     */
    public static Table of(Schema schema, List<? extends Column> columns) {
        if (columns.size() != schema.size()) {
            throw new SchemaMismatchException(null, schema.size() + " columns " + schema.names(),
                    columns.size() + " columns", "pass one column per schema field, in schema order");
        }
        int rows = columns.isEmpty() ? 0 : columns.get(0).size();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            Field f = schema.field(i);
            if (!c.name().equals(f.name()) || c.type() != f.type()) {
                throw new SchemaMismatchException(f.name(), "'" + f.name() + "' " + f.type() + " at position " + i,
                        "'" + c.name() + "' " + c.type(), "pass the columns in schema order with the schema's types");
            }
            if (c.size() != rows) {
                throw new SchemaMismatchException(c.name(), rows + " rows (like column '" + columns.get(0).name() + "')",
                        c.size() + " rows", "give every column the same length");
            }
            if (!f.nullable() && c.nullCount() > 0) {
                throw new SchemaMismatchException(c.name(), "no nulls (declared non-nullable)", c.nullCount() + " null(s)",
                        "declare the column with Field.nullable or remove the nulls");
            }
        }
        return new Table(schema, List.copyOf(columns), rows);
    }

    /** An empty table with {@code schema}. */
    public static Table empty(Schema schema) {
        return builder(schema).build();
    }

    /** A row-by-row builder for a table with {@code schema}. */
    public static TableBuilder builder(Schema schema) {
        return new TableBuilder(schema, 16);
    }

    /** A row-by-row builder sized for about {@code expectedRows} rows (a hint, not a limit). */
    public static TableBuilder builder(Schema schema, int expectedRows) {
        if (expectedRows < 0) {
            throw new IllegalArgumentException("expectedRows must be >= 0, was " + expectedRows);
        }
        return new TableBuilder(schema, expectedRows);
    }

    public Schema schema() {
        return schema;
    }

    public int rowCount() {
        return rowCount;
    }

    public int columnCount() {
        return columns.size();
    }

    public List<Column> columns() {
        return columns;
    }

    public Column column(int position) {
        return columns.get(position);
    }

    /** The column called {@code name}; throws {@link dev.mlops.core.ColumnNotFoundException} listing the columns. */
    public Column column(String name) {
        return columns.get(schema.position(name));
    }

    public DoubleColumn doubleColumn(String name) {
        return typed(name, ColumnType.DOUBLE, DoubleColumn.class);
    }

    public LongColumn longColumn(String name) {
        return typed(name, ColumnType.LONG, LongColumn.class);
    }

    public BooleanColumn booleanColumn(String name) {
        return typed(name, ColumnType.BOOLEAN, BooleanColumn.class);
    }

    public StringColumn stringColumn(String name) {
        return typed(name, ColumnType.STRING, StringColumn.class);
    }

    public TimestampColumn timestampColumn(String name) {
        return typed(name, ColumnType.TIMESTAMP, TimestampColumn.class);
    }

    private <C extends Column> C typed(String name, ColumnType type, Class<C> cls) {
        Column c = column(name);
        if (c.type() != type) {
            throw new SchemaMismatchException(name, type.toString(), c.type().toString(),
                    "read it with " + accessorFor(c.type()) + "(\"" + name + "\")");
        }
        return cls.cast(c);
    }

    private static String accessorFor(ColumnType t) {
        return switch (t) {
            case DOUBLE -> "doubleColumn";
            case LONG -> "longColumn";
            case BOOLEAN -> "booleanColumn";
            case STRING -> "stringColumn";
            case TIMESTAMP -> "timestampColumn";
        };
    }

    /**
     * The values of a numeric column ({@code DOUBLE}, {@code LONG} or {@code BOOLEAN} as 1/0) as
     * doubles, nulls as {@code NaN}.
     */
    public double[] toDoubleArray(String name) {
        return switch (column(name)) {
            case DoubleColumn d -> d.toDoubleArray();
            case LongColumn l -> l.toDoubleArray();
            case BooleanColumn b -> b.toDoubleArray();
            case Column c -> throw new SchemaMismatchException(name, "a DOUBLE, LONG or BOOLEAN column", c.type().toString(),
                    "only numeric columns can be read as doubles; encode the column first");
        };
    }

    /** A view of row {@code index}; cheap, holds no copy. */
    public Row row(int index) {
        Objects.checkIndex(index, rowCount);
        return new Row(this, index);
    }

    /** The cell at ({@code row}, {@code column}) boxed, or {@code null}. */
    public Object value(int row, String column) {
        return column(column).value(row);
    }

    public boolean isNull(int row, String column) {
        return column(column).isNull(row);
    }

    /** A table of the named columns, in the order given. */
    public Table select(String... names) {
        return select(List.of(names));
    }

    public Table select(List<String> names) {
        Schema s = schema.select(names);
        List<Column> cols = new ArrayList<>(names.size());
        for (String n : names) {
            cols.add(column(n));
        }
        return new Table(s, List.copyOf(cols), rowCount);
    }

    /** This table without the named columns; every name must exist. */
    public Table drop(String... names) {
        List<String> keep = new ArrayList<>(schema.names());
        for (String n : names) {
            schema.position(n);
            keep.remove(n);
        }
        return select(keep);
    }

    /**
     * This table with {@code column} added at the end, or replacing the column of the same name
     * in place. The column must have {@link #rowCount()} cells.
     */
    public Table withColumn(Column column) {
        if (!columns.isEmpty() && column.size() != rowCount) {
            throw new SchemaMismatchException(column.name(), rowCount + " rows (the table's)", column.size() + " rows",
                    "give the column one cell per row");
        }
        List<Column> cols = new ArrayList<>(columns);
        List<Field> fields = new ArrayList<>(schema.fields());
        Field f = new Field(column.name(), column.type(), column.nullCount() > 0);
        int at = schema.indexOf(column.name());
        if (at >= 0) {
            cols.set(at, column);
            fields.set(at, f);
        } else {
            cols.add(column);
            fields.add(f);
        }
        return new Table(Schema.of(fields), List.copyOf(cols), column.size());
    }

    /** The rows for which {@code rowPredicate} (given a row index) is true, in order. */
    public Table filter(IntPredicate rowPredicate) {
        int[] keep = new int[rowCount];
        int n = 0;
        for (int i = 0; i < rowCount; i++) {
            if (rowPredicate.test(i)) {
                keep[n++] = i;
            }
        }
        return n == rowCount ? this : take(Arrays.copyOf(keep, n));
    }

    /** The rows at the given indexes, in that order (repeats allowed). */
    public Table take(int[] rows) {
        List<Column> cols = new ArrayList<>(columns.size());
        for (Column c : columns) {
            cols.add(c.take(rows));
        }
        return new Table(schema, List.copyOf(cols), rows.length);
    }

    /** Rows {@code [from, to)}. */
    public Table slice(int from, int to) {
        Objects.checkFromToIndex(from, to, rowCount);
        List<Column> cols = new ArrayList<>(columns.size());
        for (Column c : columns) {
            cols.add(c.slice(from, to));
        }
        return new Table(schema, List.copyOf(cols), to - from);
    }

    /** The first {@code n} rows (fewer if the table is shorter). */
    public Table head(int n) {
        return slice(0, Math.min(n, rowCount));
    }

    /**
     * The rows of {@code tables}, one after the other. All tables need the same column names and
     * types in the same order; a column is nullable in the result when it is in any input.
     */
    public static Table concat(List<Table> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("concat needs at least one table");
        }
        Schema first = tables.get(0).schema;
        List<Field> fields = new ArrayList<>(first.fields());
        int total = 0;
        for (int t = 0; t < tables.size(); t++) {
            Schema s = tables.get(t).schema;
            if (s.size() != first.size()) {
                throw new SchemaMismatchException(null, "columns " + first.names() + " (table 0)",
                        "columns " + s.names() + " (table " + t + ")", "select the same columns in the same order before concat");
            }
            for (int i = 0; i < s.size(); i++) {
                Field a = first.field(i);
                Field b = s.field(i);
                if (!a.name().equals(b.name()) || a.type() != b.type()) {
                    throw new SchemaMismatchException(b.name(), "'" + a.name() + "' " + a.type() + " at position " + i + " (table 0)",
                            "'" + b.name() + "' " + b.type() + " (table " + t + ")", "select the same columns in the same order before concat");
                }
                if (b.nullable()) {
                    fields.set(i, fields.get(i).withNullable(true));
                }
            }
            total = Math.addExact(total, tables.get(t).rowCount);
        }
        TableBuilder b = new TableBuilder(Schema.of(fields), total);
        for (Table t : tables) {
            b.addRows(t);
        }
        return b.build();
    }

    public static Table concat(Table... tables) {
        return concat(List.of(tables));
    }

    /**
     * The SHA-256 fingerprint of this table's content: column names and types in order, the row
     * count, and every cell, column by column, through {@link Fingerprint.Hasher}'s fixed encoding
     * (a null cell is the null marker; {@code NaN} is one value; {@code -0.0} differs from
     * {@code 0.0}; timestamps as epoch microseconds). Nullability declarations and the order of a
     * string column's dictionary do not enter, so equal tables have equal fingerprints, on any
     * machine and in any release. Used for cache keys and data lineage.
     */
    public Fingerprint fingerprint() {
        Fingerprint.Hasher h = Fingerprint.hasher().putString("dev.mlops.table/v1").putInt(columns.size());
        for (Field f : schema) {
            h.putString(f.name()).putString(f.type().name());
        }
        h.putLong(rowCount);
        for (Column c : columns) {
            for (int r = 0; r < rowCount; r++) {
                if (c.isNull(r)) {
                    h.putNull();
                    continue;
                }
                switch (c) {
                    case DoubleColumn d -> h.putDouble(d.get(r));
                    case LongColumn l -> h.putLong(l.get(r));
                    case BooleanColumn b -> h.putBoolean(b.get(r));
                    case StringColumn s -> h.putString(s.get(r));
                    case TimestampColumn t -> h.putLong(t.epochMicros(r));
                }
            }
        }
        return h.finish();
    }

    /** Tables are equal when their schemas and every cell are equal ({@code NaN} equals {@code NaN}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Table t && t.rowCount == rowCount && t.schema.equals(schema) && t.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return schema.hashCode() * 31 + columns.hashCode();
    }

    /** The schema and up to 20 rows, aligned for reading in a log or a test failure. */
    @Override
    public String toString() {
        int shown = Math.min(rowCount, 20);
        String[][] cells = new String[shown + 1][columns.size()];
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            cells[0][c] = schema.field(c).toString();
            String[] text = columns.get(c).slice(0, shown).toStringArray();
            for (int r = 0; r < shown; r++) {
                cells[r + 1][c] = text[r] == null ? "null" : text[r];
            }
            for (int r = 0; r <= shown; r++) {
                width[c] = Math.max(width[c], Math.min(cells[r][c].length(), 40));
            }
        }
        StringBuilder sb = new StringBuilder("Table[").append(rowCount).append(" rows x ")
                .append(columns.size()).append(" columns]\n");
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                String v = row[c].length() > 40 ? row[c].substring(0, 37) + "..." : row[c];
                sb.append(c == 0 ? "" : " | ").append(v).append(" ".repeat(width[c] - v.length()));
            }
            sb.append('\n');
        }
        if (shown < rowCount) {
            sb.append("... ").append(rowCount - shown).append(" more rows\n");
        }
        return sb.toString();
    }
}
