package dev.mlops.core.io;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import org.apache.commons.csv.CSVRecord;

import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses CSV records into a {@link TableBuilder} under a schema, matching file columns to schema columns by
 * header name. The first bad cell stops the load with a {@link DataFormatException}; the table is only
 * built once every record has been read.
 */
final class TableLoader implements CsvRecords.Visitor {

    private final TableBuilder builder;
    private final String source;
    private final List<String> header;
    private final int[] target;       // per file column: its schema position, or -1 to skip it
    private final ColumnType[] types; // per file column
    private final boolean[] nullable; // per file column
    private final Set<String> nullValues;
    private final ZoneId zone;

    /**
     * @throws DataFormatException if a schema column is missing from the header, or the header has a column
     *                             the schema lacks and {@code ignoreExtraColumns} is false
     */
    TableLoader(String source, List<String> header, Schema schema, boolean ignoreExtraColumns,
                Set<String> nullValues, ZoneId zone) {
        this.source = source;
        this.header = header;
        this.nullValues = nullValues;
        this.zone = zone;
        Set<String> inHeader = new HashSet<>(header);
        for (Field f : schema) {
            if (!inHeader.contains(f.name())) {
                String fix = new ColumnNotFoundException(f.name(), header).suggestion()
                        .map(s -> "did you mean '" + s + "'? Rename it in the header, or remove '" + f.name()
                                + "' from the schema")
                        .orElse("the header has " + quoted(header) + "; add the column to the file, or remove it "
                                + "from the schema");
                throw DataFormatException.builder("the schema's column is missing from the header")
                        .source(source).line(1).column(f.name()).fix(fix)
                        .build();
            }
        }
        int n = header.size();
        target = new int[n];
        types = new ColumnType[n];
        nullable = new boolean[n];
        for (int i = 0; i < n; i++) {
            target[i] = schema.indexOf(header.get(i));
            if (target[i] < 0) {
                if (!ignoreExtraColumns) {
                    throw DataFormatException.builder("the header has a column the schema does not")
                            .source(source).line(1).column(header.get(i))
                            .fix("add it to the schema, or skip it with CsvReader.Builder.ignoreExtraColumns(true)")
                            .build();
                }
                continue;
            }
            Field f = schema.field(target[i]);
            types[i] = f.type();
            nullable[i] = f.nullable();
        }
        this.builder = Table.builder(schema);
    }

    @Override
    public void record(CSVRecord record, long line) {
        for (int i = 0; i < target.length; i++) {
            int c = target[i];
            if (c < 0) {
                continue;
            }
            String v = record.get(i);
            ColumnType type = types[i];
            if (Cells.isNull(v, nullValues) || (v.isEmpty() && type != ColumnType.STRING)) {
                if (!nullable[i]) {
                    throw error(line, i, v, new Cells.BadCell("empty value in a non-nullable column",
                            "fill in the value, or declare the column nullable with Field.nullable"));
                }
                builder.setNull(c);
                continue;
            }
            try {
                switch (type) {
                    case DOUBLE -> builder.setDouble(c, Cells.toDouble(v));
                    case LONG -> builder.setLong(c, Cells.toLong(v));
                    case BOOLEAN -> builder.setBoolean(c, Cells.toBoolean(v));
                    case STRING -> builder.setString(c, v);
                    case TIMESTAMP -> builder.setEpochMicros(c, Cells.toEpochMicros(v, zone));
                }
            } catch (Cells.BadCell e) {
                builder.clearRow();
                throw error(line, i, v, e);
            }
        }
        builder.endRow();
    }

    Table table() {
        return builder.build();
    }

    private DataFormatException error(long line, int column, String value, Cells.BadCell e) {
        return DataFormatException.builder(e.getMessage())
                .source(source).line(line).column(header.get(column)).value(value).fix(e.fix)
                .build();
    }

    private static String quoted(List<String> names) {
        int shown = Math.min(names.size(), 20);
        String list = String.join("', '", names.subList(0, shown));
        return "'" + list + "'" + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
    }
}
