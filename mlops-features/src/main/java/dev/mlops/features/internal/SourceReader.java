package dev.mlops.features.internal;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads batch sources: CSV through core's {@link CsvReader}, Parquet through an in-memory DuckDB
 * connection (the only place the SDK touches JDBC).
 */
public final class SourceReader {

    private SourceReader() {
    }

    /**
     * Reads a CSV file; with {@code schema} {@code null} the types are inferred, otherwise the schema's
     * columns are read and other columns ignored.
     */
    public static Table csv(Path file, Schema schema) {
        requireFile(file);
        CsvReader.Builder b = CsvReader.builder();
        if (schema == null) {
            b.inferSchema();
        } else {
            b.schema(schema).ignoreExtraColumns(true);
        }
        return b.build().read(file);
    }

    /** Reads a Parquet file; with {@code schema} non-null, selects and checks those columns. */
    public static Table parquet(Path file, Schema schema) {
        requireFile(file);
        String lit = "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + lit + ")")) {
                while (rs.next()) {
                    names.add(rs.getString("column_name"));
                    types.add(rs.getString("column_type"));
                }
            }
            List<Field> fields = new ArrayList<>();
            List<String> select = new ArrayList<>();
            List<String> wanted = schema == null ? names : schema.names();
            for (String w : wanted) {
                int i = names.indexOf(w);
                if (i < 0) {
                    throw DataFormatException.builder("column '" + w + "' is missing; the file has " + names)
                            .source(file).column(w).fix("add the column to the Parquet file or fix the feature view").build();
                }
                ColumnType t = map(file, w, types.get(i));
                if (schema != null && schema.field(w).type() != t) {
                    throw DataFormatException.builder("column '" + w + "' is " + types.get(i) + ", expected " + schema.field(w).type())
                            .source(file).column(w).value(types.get(i)).fix("write the column with the declared type").build();
                }
                fields.add(Field.nullable(w, t));
                String q = "\"" + w.replace("\"", "\"\"") + "\"";
                select.add(t == ColumnType.TIMESTAMP ? "epoch_us(" + q + ")" : q);
            }
            Schema out = Schema.of(fields);
            TableBuilder tb = Table.builder(out);
            try (ResultSet rs = st.executeQuery("SELECT " + String.join(", ", select) + " FROM read_parquet(" + lit + ")")) {
                while (rs.next()) {
                    for (int i = 0; i < fields.size(); i++) {
                        int col = i + 1;
                        switch (fields.get(i).type()) {
                            case DOUBLE -> {
                                double d = rs.getDouble(col);
                                if (rs.wasNull()) {
                                    tb.setNull(i);
                                } else {
                                    tb.setDouble(i, d);
                                }
                            }
                            case LONG -> {
                                long l = rs.getLong(col);
                                if (rs.wasNull()) {
                                    tb.setNull(i);
                                } else {
                                    tb.setLong(i, l);
                                }
                            }
                            case BOOLEAN -> {
                                boolean v = rs.getBoolean(col);
                                if (rs.wasNull()) {
                                    tb.setNull(i);
                                } else {
                                    tb.setBoolean(i, v);
                                }
                            }
                            case STRING -> tb.setString(i, rs.getString(col));
                            case TIMESTAMP -> {
                                long us = rs.getLong(col);
                                if (rs.wasNull()) {
                                    tb.setNull(i);
                                } else {
                                    tb.setEpochMicros(i, us);
                                }
                            }
                        }
                    }
                    tb.endRow();
                }
            }
            return tb.build();
        } catch (SQLException e) {
            throw DataFormatException.builder("cannot read Parquet: " + e.getMessage()).source(file)
                    .fix("check that the file is a valid Parquet file").cause(e).build();
        }
    }

    private static ColumnType map(Path file, String column, String duckType) {
        String t = duckType.toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "VARCHAR" -> ColumnType.STRING;
            case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT" -> ColumnType.LONG;
            case "DOUBLE", "FLOAT", "REAL" -> ColumnType.DOUBLE;
            case "BOOLEAN" -> ColumnType.BOOLEAN;
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> ColumnType.TIMESTAMP;
            case "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S", "DATE" -> throw DataFormatException
                    .builder("timestamp without a zone (Parquet type " + duckType + ")").source(file).column(column).value(duckType)
                    .fix("write UTC-adjusted timestamps (TIMESTAMP WITH TIME ZONE, isAdjustedToUTC=true)").build();
            default -> throw DataFormatException.builder("unsupported Parquet column type " + duckType).source(file).column(column)
                    .value(duckType).fix("cast it to BIGINT, DOUBLE, BOOLEAN, VARCHAR or TIMESTAMPTZ").build();
        };
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            Path dir = file.toAbsolutePath().getParent();
            List<String> siblings = new ArrayList<>();
            if (dir != null && Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.limit(50).forEach(p -> siblings.add(p.getFileName().toString()));
                } catch (java.io.IOException e) {
                    throw new ResourceUnavailableException(dir.toString(), "cannot list the directory", e);
                }
            }
            throw new NotFoundException("source file", file.toString(), siblings);
        }
    }

    /** Reads {@code file} as CSV or Parquet by its extension. */
    public static Table read(Path file, Schema schema, boolean parquet) {
        return parquet ? parquet(file, schema) : csv(file, schema);
    }

    /** Whether {@code file}'s name ends with {@code .parquet}. */
    public static boolean isParquet(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet");
    }

    static {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
