package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a {@link Table} as CSV that {@link CsvReader} reads back to an equal table. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * CsvWriter.builder().build().write(table, Path.of("out/scores.csv"));
 * }</pre>
 *
 * <p>The first line is the header. Cells are written as: DOUBLE in shortest round-trip form
 * ({@link Double#toString}: {@code 0.1}, {@code 1.0E-5}, {@code NaN}, {@code Infinity}, {@code -0.0}); LONG
 * and BOOLEAN as Java prints them; TIMESTAMP as ISO-8601 UTC ({@code 2024-03-01T12:00:00.000001Z}); STRING
 * as it is. A null is an empty unquoted field; the empty string is {@code ""}. A field is quoted when it is
 * empty, contains the delimiter, a quote or a line break, or starts or ends with a space or control
 * character; a quote inside is doubled. (Commons CSV's printer leaves an empty string unquoted in the
 * middle of a record, where it would read back as null, so quoting is done here.) Files are UTF-8.
 *
 * <p>{@link #write(Table, Path)} is atomic: it writes a temporary file in the target's directory, forces it
 * to disk and renames it over the target, so readers see the old file or the new one, never half of it.
 */
public final class CsvWriter {

    private final char delimiter;
    private final String lineSeparator;

    private CsvWriter(Builder b) {
        this.delimiter = b.delimiter;
        this.lineSeparator = b.lineSeparator;
    }

    /** A builder with the defaults: ',' delimiter, '\n' line separator. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Writes {@code table} to {@code file} atomically, replacing it if it exists.
     *
     * @throws DataFormatException              if a string is not valid Unicode (an unpaired surrogate)
     * @throws dev.mlops.core.NotFoundException if the directory does not exist
     */
    public void write(Table table, Path file) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
        checkWritable(table, file.toString());
        try {
            AtomicFiles.write(file, stream -> {
                Writer out = new BufferedWriter(Channels.newWriter(Channels.newChannel(stream), StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT), -1), 1 << 16);
                writeRows(table, out);
                out.flush();
            });
        } catch (IOException e) {
            throw IoErrors.of(file, "write", e);
        }
    }

    /**
     * Writes {@code table} to {@code out} and flushes it; {@code out} is left open.
     *
     * @throws ResourceUnavailableException if writing fails
     */
    public void write(Table table, Writer out) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(out, "out");
        checkWritable(table, DataFormatException.STREAM);
        try {
            writeRows(table, out);
            out.flush();
        } catch (IOException e) {
            throw new ResourceUnavailableException(DataFormatException.STREAM, "writing CSV failed (" + e + ")", e);
        }
    }

    private void writeRows(Table table, Writer out) throws IOException {
        int n = table.columnCount();
        for (int c = 0; c < n; c++) {
            if (c > 0) {
                out.write(delimiter);
            }
            writeText(table.schema().field(c).name(), out);
        }
        out.write(lineSeparator);
        Column[] columns = table.columns().toArray(Column[]::new);
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < n; c++) {
                if (c > 0) {
                    out.write(delimiter);
                }
                Column col = columns[c];
                if (col.isNull(r)) {
                    continue;
                }
                switch (col) {
                    case DoubleColumn d -> out.write(Double.toString(d.get(r)));
                    case LongColumn l -> out.write(Long.toString(l.get(r)));
                    case BooleanColumn b -> out.write(b.get(r) ? "true" : "false");
                    case StringColumn s -> writeText(s.get(r), out);
                    case TimestampColumn t -> out.write(TimestampColumn.fromEpochMicros(t.epochMicros(r)).toString());
                }
            }
            out.write(lineSeparator);
        }
    }

    private void writeText(String s, Writer out) throws IOException {
        if (!needsQuotes(s)) {
            out.write(s);
            return;
        }
        out.write('"');
        int from = 0;
        for (int i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) {
            out.write(s, from, i + 1 - from);
            out.write('"');
            from = i + 1;
        }
        out.write(s, from, s.length() - from);
        out.write('"');
    }

    private boolean needsQuotes(String s) {
        if (s.isEmpty() || s.charAt(0) <= ' ' || s.charAt(s.length() - 1) <= ' ') {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    /** Refuses what cannot be written: no columns, or text that is not valid UTF-16 (so not encodable). */
    private static void checkWritable(Table table, String target) {
        if (table.columnCount() == 0) {
            throw new IllegalArgumentException("cannot write a table with no columns as CSV to '" + target
                    + "': the header would be empty. Fix: select at least one column");
        }
        for (Column c : table.columns()) {
            if (c instanceof StringColumn s) {
                for (String v : s.dictionary()) {
                    int bad = unpairedSurrogate(v);
                    if (bad >= 0) {
                        throw DataFormatException.builder("string has an unpaired UTF-16 surrogate at index " + bad
                                        + ", which UTF-8 cannot encode")
                                .source(target).column(s.name()).value(v)
                                .fix("repair the text where it was produced (it was probably cut inside an emoji "
                                        + "or other supplementary character)")
                                .build();
                    }
                }
            }
        }
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }


    /** Settings of a {@link CsvWriter}. Not thread-safe. */
    public static final class Builder {
        private char delimiter = ',';
        private String lineSeparator = "\n";

        private Builder() {
        }

        private Builder(CsvWriter w) {
            delimiter = w.delimiter;
            lineSeparator = w.lineSeparator;
        }

        /** The field separator, {@code ','} by default. */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
                throw new IllegalArgumentException("delimiter must not be a quote or a line break, but was "
                        + (delimiter == '"' ? "'\"'" : "a line break"));
            }
            this.delimiter = delimiter;
            return this;
        }

        /** {@code "\n"} (the default) or {@code "\r\n"}. */
        public Builder lineSeparator(String lineSeparator) {
            if (!"\n".equals(lineSeparator) && !"\r\n".equals(lineSeparator)) {
                throw new IllegalArgumentException("lineSeparator must be \"\\n\" or \"\\r\\n\", but was "
                        + (lineSeparator == null ? "null" : "\"" + lineSeparator.replace("\r", "\\r").replace("\n", "\\n") + "\""));
            }
            this.lineSeparator = lineSeparator;
            return this;
        }

        public CsvWriter build() {
            return new CsvWriter(this);
        }
    }
}
