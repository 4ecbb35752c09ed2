package dev.mlops.features.internal;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Table;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link Table} as Parquet through DuckDB: the table goes to a temporary CSV, DuckDB reads it with
 * the exact column types (TIMESTAMP as UTC-adjusted {@code TIMESTAMPTZ}) and copies it to a temporary
 * Parquet file in the target's directory, which is then renamed over the target.
 */
public final class ParquetOutput {

    private ParquetOutput() {
    }

    public static void write(Table table, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path csv = null;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            csv = Files.createTempFile(dir, "." + target.getFileName(), ".csv");
            tmp = dir.resolve("." + target.getFileName() + "." + System.nanoTime() + ".parquet.tmp");
            CsvWriter.builder().build().write(table, csv);
            List<String> cols = new ArrayList<>();
            for (Field f : table.schema()) {
                String type = switch (f.type()) {
                    case DOUBLE -> "DOUBLE";
                    case LONG -> "BIGINT";
                    case BOOLEAN -> "BOOLEAN";
                    case STRING -> "VARCHAR";
                    case TIMESTAMP -> "TIMESTAMPTZ";
                };
                cols.add(lit(f.name()) + ": " + lit(type));
            }
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
                st.execute("COPY (SELECT * FROM read_csv(" + lit(csv.toString()) + ", header = true, auto_detect = false, "
                        + "quote = '\"', escape = '\"', columns = {" + String.join(", ", cols) + "})) TO "
                        + lit(tmp.toString()) + " (FORMAT parquet)");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new ResourceUnavailableException(target.toString(), "cannot write: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw DataFormatException.builder("DuckDB could not write Parquet: " + e.getMessage()).source(target)
                    .fix("check the disk and the table's values").cause(e).build();
        } finally {
            for (Path p : new Path[] {csv, tmp}) {
                if (p != null) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // best effort: a stray temporary file is harmless
                    }
                }
            }
        }
    }

    private static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
