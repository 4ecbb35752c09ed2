package dev.mlops.core.io;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import org.apache.commons.csv.CSVRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Infers a schema from every record of a CSV source. A column takes the first type, in the order LONG,
 * DOUBLE, BOOLEAN, TIMESTAMP, that all its non-null values parse as ({@link Cells}), else STRING; a column
 * with no values at all is STRING. It is nullable when any cell is null, or, for a non-STRING column, a
 * quoted empty string (which reads as null there).
 */
final class SchemaInference implements CsvRecords.Visitor {

    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int BOOLEAN = 4;
    private static final int TIMESTAMP = 8;

    private final List<String> names;
    private final Set<String> nullValues;
    private final int[] possible;
    private final boolean[] sawNull;
    private final boolean[] sawEmpty;
    private final boolean[] sawValue;

    SchemaInference(List<String> names, Set<String> nullValues) {
        this.names = names;
        this.nullValues = nullValues;
        int n = names.size();
        possible = new int[n];
        java.util.Arrays.fill(possible, LONG | DOUBLE | BOOLEAN | TIMESTAMP);
        sawNull = new boolean[n];
        sawEmpty = new boolean[n];
        sawValue = new boolean[n];
    }

    @Override
    public void record(CSVRecord record, long line) {
        for (int i = 0; i < possible.length; i++) {
            String v = record.get(i);
            if (Cells.isNull(v, nullValues)) {
                sawNull[i] = true;
            } else if (v.isEmpty()) {
                sawEmpty[i] = true;
            } else {
                sawValue[i] = true;
                int m = possible[i];
                if (m != 0) {
                    possible[i] = narrow(m, v);
                }
            }
        }
    }

    /** The types in {@code m} that {@code v} still fits. */
    private static int narrow(int m, String v) {
        if ((m & LONG) != 0 && !Cells.isLong(v)) {
            m &= ~LONG;
        }
        if ((m & (LONG | DOUBLE)) == DOUBLE && !Cells.isDouble(v)) { // a long is always a double
            m &= ~DOUBLE;
        }
        if ((m & BOOLEAN) != 0 && !Cells.isBoolean(v)) {
            m &= ~BOOLEAN;
        }
        if ((m & TIMESTAMP) != 0 && !Cells.isTimestamp(v)) {
            m &= ~TIMESTAMP;
        }
        return m;
    }

    Schema schema() {
        List<Field> fields = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            int m = sawValue[i] ? possible[i] : 0;
            ColumnType type = (m & LONG) != 0 ? ColumnType.LONG
                    : (m & DOUBLE) != 0 ? ColumnType.DOUBLE
                    : (m & BOOLEAN) != 0 ? ColumnType.BOOLEAN
                    : (m & TIMESTAMP) != 0 ? ColumnType.TIMESTAMP
                    : ColumnType.STRING;
            boolean nullable = sawNull[i] || (sawEmpty[i] && type != ColumnType.STRING);
            fields.add(new Field(names.get(i), type, nullable));
        }
        return Schema.of(fields);
    }
}
