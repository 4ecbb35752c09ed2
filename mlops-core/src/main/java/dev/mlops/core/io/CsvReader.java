package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a CSV file or stream into a {@link Table}. Immutable and thread-safe: build one and use it for any
 * number of reads.
 *
 * <pre>{@code
 * Table t = CsvReader.builder().schema(schema).build().read(Path.of("data/train.csv"));
 * Table u = CsvReader.builder().inferSchema().assumeZone(ZoneOffset.UTC).build().read(in, "upload.csv");
 * }</pre>
 *
 * <h2>Format</h2>
 * RFC 4180 as parsed by Apache Commons CSV: fields separated by the {@linkplain Builder#delimiter delimiter}
 * (default {@code ','}), optionally enclosed in double quotes, a quote inside quotes written twice, records
 * ended by LF, CR LF or CR, and quoted fields free to contain delimiters and line breaks. Text is decoded
 * strictly as UTF-8 (or the {@linkplain Builder#charset charset} given): an invalid byte is an error, never a
 * replacement character. A leading byte-order mark is dropped.
 * <ul>
 *   <li><b>Header.</b> The first record names the columns and is required: an empty input (0 bytes) is an
 *       error; a header alone is a table of 0 rows. Names must be non-empty and unique. Columns are matched
 *       to the schema by name, so their order in the file does not matter. Every schema column must be in
 *       the header; a header column the schema lacks is an error unless
 *       {@linkplain Builder#ignoreExtraColumns(boolean) ignored}.</li>
 *   <li><b>Records.</b> Every record has as many fields as the header. A blank line is skipped, except in a
 *       one-column file, where it is a null cell.</li>
 *   <li><b>Null and empty.</b> An empty <em>unquoted</em> field ({@code a,,b}) is null. A quoted empty
 *       field ({@code a,"",b}) is the empty string in a STRING column and null in any other column. Values
 *       listed in {@linkplain Builder#nullValues nullValues} (none by default) are null too, quoted or not:
 *       Commons CSV does not say whether a field was quoted except for this one empty-field rule. A null in
 *       a non-nullable column is an error.</li>
 *   <li><b>LONG</b>: an optional sign and decimal digits within the 64-bit range.</li>
 *   <li><b>DOUBLE</b>: a decimal number ({@code 3}, {@code -2.5}, {@code 1e-3}), or {@code NaN},
 *       {@code Infinity}, {@code +Infinity}, {@code -Infinity} spelled exactly so; the value is exactly what
 *       {@link Double#parseDouble} gives (computed by the correctly rounding fast parser inside jackson-core).
 *       Java's other forms ({@code 1d}, {@code 0x1p3}, padding spaces) and {@code 1,5} are refused.</li>
 *   <li><b>BOOLEAN</b>: {@code true} or {@code false}, any case.</li>
 *   <li><b>STRING</b>: the field as it is, spaces included.</li>
 *   <li><b>TIMESTAMP</b>: ISO-8601 with an offset, converted to UTC: {@code 2024-03-01T12:00:00Z},
 *       {@code 2024-03-01 13:00:00.123456+01:00}; seconds and fraction are optional, the offset may be
 *       {@code Z}, {@code +01}, {@code +0100} or {@code +01:00}. A value without an offset
 *       ({@code 2011-01-01 00:00:00}, {@code 2011-01-01T00:00}, {@code 2011-01-01}) is refused unless the
 *       reader was told its zone with {@link Builder#assumeZone}; a local time that a daylight-saving change
 *       skips or repeats in that zone is refused too. More than 6 fractional digits (below a microsecond)
 *       are refused unless they are zeros.</li>
 * </ul>
 *
 * <h2>Schema inference</h2>
 * With {@link Builder#inferSchema()} the input is read twice (a stream is first copied to a temporary file,
 * deleted afterwards). Each column gets the first of LONG, DOUBLE, BOOLEAN, TIMESTAMP that <em>all</em> its
 * non-null values parse as, by the rules above, and STRING otherwise; a column with no values is STRING. A
 * column is nullable when any of its cells is null (or, for a non-STRING column, a quoted empty string).
 * Values written as timestamps without an offset still make a TIMESTAMP column, so reading fails with the
 * advice to set a zone rather than silently producing strings; give a schema to read them as STRING.
 *
 * <h2>Errors</h2>
 * A read returns a complete table or throws; nothing is half-read. Bad input throws a
 * {@link DataFormatException} naming the source, the physical line the record starts on (1-based), the
 * column, the value and the fix, e.g.
 * {@code data.csv:7: column 'price': not a number (value: "12,5"). Fix: use '.' as the decimal separator}.
 * A line longer than {@linkplain Builder#maxLineLength(int) maxLineLength} (default 64 Mi characters) fails
 * as soon as the limit is passed, without reading the rest of the line. A missing file throws
 * {@link dev.mlops.core.NotFoundException}; an I/O failure {@link ResourceUnavailableException}.
 */
public final class CsvReader {

    /** The default {@link Builder#maxLineLength(int)}: 64 Mi characters. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024;

    private final Schema schema; // null: infer
    private final char delimiter;
    private final Set<String> nullValues;
    private final ZoneId zone; // null: refuse values without an offset
    private final int maxLineLength;
    private final boolean ignoreExtraColumns;
    private final Charset charset;

    private CsvReader(Builder b) {
        this.schema = b.schema;
        this.delimiter = b.delimiter;
        this.nullValues = b.nullValues;
        this.zone = b.zone;
        this.maxLineLength = b.maxLineLength;
        this.ignoreExtraColumns = b.ignoreExtraColumns;
        this.charset = b.charset;
    }

    /** A builder with the defaults: ',' delimiter, UTF-8, no null markers, no zone, 64 Mi line limit. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this reader's settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads a CSV file.
     *
     * @throws DataFormatException              on bad input, naming the file, line, column and value
     * @throws dev.mlops.core.NotFoundException if the file does not exist
     * @throws IllegalArgumentException         if {@code file} is a directory
     */
    public Table read(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot read '" + file + "' as CSV: it is a directory. "
                    + "Fix: pass the path of a CSV file");
        }
        String source = file.toString();
        Schema s = schema;
        if (s == null) {
            try (InputStream in = open(file)) {
                s = infer(in, source);
            } catch (IOException e) {
                throw IoErrors.of(file, "read", e);
            }
        }
        try (InputStream in = open(file)) {
            return load(in, source, s);
        } catch (IOException e) {
            throw IoErrors.of(file, "read", e);
        }
    }

    /**
     * Reads CSV from a stream, which is left open.
     *
     * @param sourceName what to call the stream in error messages, e.g. an upload's file name, or
     *                   {@link DataFormatException#STREAM}
     * @throws DataFormatException on bad input, naming {@code sourceName}, line, column and value
     */
    public Table read(InputStream in, String sourceName) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        if (schema != null) {
            return load(in, sourceName, schema);
        }
        Path copy = null;
        try {
            copy = Files.createTempFile("mlops-csv-", ".csv");
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            Schema inferred;
            try (InputStream first = Files.newInputStream(copy)) {
                inferred = infer(first, sourceName);
            }
            try (InputStream second = Files.newInputStream(copy)) {
                return load(second, sourceName, inferred);
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(sourceName, "copying it to a temporary file for schema inference "
                    + "failed (" + e + ")", e);
        } finally {
            deleteQuietly(copy);
        }
    }

    private Schema infer(InputStream in, String source) {
        try (CsvRecords records = records(in, source)) {
            SchemaInference inference = new SchemaInference(records.header(), nullValues);
            records.forEach(inference);
            return inference.schema();
        }
    }

    private Table load(InputStream in, String source, Schema s) {
        try (CsvRecords records = records(in, source)) {
            TableLoader loader = new TableLoader(source, records.header(), s, ignoreExtraColumns, nullValues, zone);
            records.forEach(loader);
            return loader.table();
        }
    }

    private CsvRecords records(InputStream in, String source) {
        return new CsvRecords(in, source, delimiter, charset, maxLineLength);
    }

    private static InputStream open(Path file) throws IOException {
        return Files.newInputStream(file);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit(); // a leftover temporary file must not fail a read; try again at exit
            }
        }
    }

    /** Settings of a {@link CsvReader}; every setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private Schema schema;
        private boolean infer;
        private char delimiter = ',';
        private Set<String> nullValues = Set.of();
        private ZoneId zone;
        private int maxLineLength = DEFAULT_MAX_LINE_LENGTH;
        private boolean ignoreExtraColumns;
        private Charset charset = StandardCharsets.UTF_8;

        private Builder() {
        }

        private Builder(CsvReader r) {
            schema = r.schema;
            infer = r.schema == null;
            delimiter = r.delimiter;
            nullValues = r.nullValues;
            zone = r.zone;
            maxLineLength = r.maxLineLength;
            ignoreExtraColumns = r.ignoreExtraColumns;
            charset = r.charset;
        }

        /** Reads columns with these names and types; replaces {@link #inferSchema()}. */
        public Builder schema(Schema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            this.infer = false;
            return this;
        }

        /** Infers the schema from all rows (see {@link CsvReader}); replaces {@link #schema(Schema)}. */
        public Builder inferSchema() {
            this.schema = null;
            this.infer = true;
            return this;
        }

        /** The field separator, {@code ','} by default; {@code '\t'} for TSV. */
        public Builder delimiter(char delimiter) {
            if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
                throw new IllegalArgumentException("delimiter must not be a quote or a line break, but was "
                        + (delimiter == '"' ? "'\"'" : "a line break"));
            }
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Values read as null in every column, besides the empty unquoted field, e.g. {@code "NA"},
         * {@code "null"}; matched exactly, quoted or not. Replaces earlier markers.
         */
        public Builder nullValues(String... markers) {
            Objects.requireNonNull(markers, "markers");
            for (int i = 0; i < markers.length; i++) {
                if (markers[i] == null) {
                    throw new IllegalArgumentException("nullValues[" + i + "] is null; pass the marker text, e.g. \"NA\"");
                }
            }
            this.nullValues = Set.copyOf(Arrays.asList(markers));
            return this;
        }

        /**
         * The zone of timestamps written without an offset, e.g. {@code ZoneOffset.UTC}. Without it such
         * values are refused.
         */
        public Builder assumeZone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The longest physical line accepted, in characters; {@link #DEFAULT_MAX_LINE_LENGTH} by default. */
        public Builder maxLineLength(int maxLineLength) {
            if (maxLineLength < 1) {
                throw new IllegalArgumentException("maxLineLength must be >= 1, but was " + maxLineLength);
            }
            this.maxLineLength = maxLineLength;
            return this;
        }

        /** Whether header columns the schema lacks are skipped ({@code true}) or an error (the default). */
        public Builder ignoreExtraColumns(boolean ignore) {
            this.ignoreExtraColumns = ignore;
            return this;
        }

        /** The text encoding, UTF-8 by default; undecodable bytes are an error in any encoding. */
        public Builder charset(Charset charset) {
            this.charset = Objects.requireNonNull(charset, "charset");
            return this;
        }

        /**
         * @throws IllegalStateException if neither {@link #schema(Schema)} nor {@link #inferSchema()} was called
         */
        public CsvReader build() {
            if (schema == null && !infer) {
                throw new IllegalStateException("no schema: call schema(Schema) to read known columns, "
                        + "or inferSchema() to infer the types from the data");
            }
            return new CsvReader(this);
        }
    }
}
