package dev.mlops.core.table;

import java.time.Instant;

/**
 * A view of one row of a {@link Table}, with typed accessors by column name or position. Holds no
 * copy of the data; reading a numeric cell does not box.
 */
public final class Row {

    private final Table table;
    private final int index;

    Row(Table table, int index) {
        this.table = table;
        this.index = index;
    }

    /** The row's index in its table. */
    public int index() {
        return index;
    }

    public boolean isNull(String column) {
        return table.column(column).isNull(index);
    }

    public double getDouble(String column) {
        return table.doubleColumn(column).get(index);
    }

    public long getLong(String column) {
        return table.longColumn(column).get(index);
    }

    public boolean getBoolean(String column) {
        return table.booleanColumn(column).get(index);
    }

    public String getString(String column) {
        return table.stringColumn(column).get(index);
    }

    public Instant getInstant(String column) {
        return table.timestampColumn(column).get(index);
    }

    /** The cell boxed, or {@code null}. */
    public Object value(String column) {
        return table.column(column).value(index);
    }

    /** The cell at column {@code position} boxed, or {@code null}. */
    public Object value(int position) {
        return table.column(position).value(index);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row ").append(index).append(" {");
        for (int c = 0; c < table.columnCount(); c++) {
            sb.append(c == 0 ? "" : ", ").append(table.schema().field(c).name()).append('=').append(value(c));
        }
        return sb.append('}').toString();
    }
}
