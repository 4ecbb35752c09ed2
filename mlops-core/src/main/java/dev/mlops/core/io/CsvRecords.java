package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.ResourceUnavailableException;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One pass over a CSV source: the header, then each record with the physical line it starts on. Checks
 * what does not depend on the schema: a header is present, its names are non-empty and unique, and every
 * record has as many fields as the header. A blank line is skipped unless the header has one column, where
 * it is a null cell.
 *
 * <p>Commons CSV runs in {@link QuoteMode#ALL_NON_NULL} with no null string: that mode is what makes it
 * return {@code null} for an empty unquoted field and {@code ""} for a quoted empty one.
 */
final class CsvRecords implements AutoCloseable {

    /** Receives each record; {@code line} is the 1-based physical line the record starts on. */
    interface Visitor {
        void record(CSVRecord record, long line);
    }

    private final CSVParser parser;
    private final String source;
    private final List<String> header;
    private final Iterator<CSVRecord> records;
    private final String delimiter;
    private long line = 1; // where the record being read starts

    CsvRecords(InputStream in, String source, char delimiter, Charset charset, int maxLineLength) {
        this.source = source;
        this.delimiter = String.valueOf(delimiter);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setQuoteMode(QuoteMode.ALL_NON_NULL)
                .setNullString(null)
                .setIgnoreEmptyLines(false)
                .get();
        try {
            this.parser = CSVParser.builder()
                    .setReader(new TrackingReader(in, charset, source, maxLineLength))
                    .setFormat(format)
                    .get();
        } catch (IOException e) {
            throw unavailable(e); // the builder does no I/O, but declares it
        }
        this.records = parser.iterator();
        this.header = readHeader();
    }

    /** The column names of the header row, in file order. */
    List<String> header() {
        return header;
    }

    /** Passes every record after the header to {@code visitor}. */
    void forEach(Visitor visitor) {
        int width = header.size();
        while (next()) {
            CSVRecord r = records.next();
            if (r.size() != width) {
                if (r.size() == 1 && r.get(0) == null) { // a blank line
                    continue;
                }
                throw DataFormatException.builder("expected " + width + " fields as in the header, found " + r.size())
                        .source(source).line(line).value(join(r))
                        .fix(r.size() > width
                                ? "quote values that contain the delimiter '" + delimiter
                                + "', or add the missing column names to the header"
                                : "add the missing values (an empty field is null) or check the delimiter")
                        .build();
            }
            visitor.record(r, line);
        }
    }

    private List<String> readHeader() {
        if (!next()) {
            throw DataFormatException.builder("the input is empty; a header row is required")
                    .source(source).line(1)
                    .fix("make the first line the column names, separated by '" + delimiter + "'")
                    .build();
        }
        CSVRecord r = records.next();
        List<String> names = new ArrayList<>(r.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < r.size(); i++) {
            String name = r.get(i);
            if (name == null || name.isEmpty()) {
                throw DataFormatException.builder("column " + (i + 1) + " of the header has no name")
                        .source(source).line(1).value(join(r))
                        .fix("name every column in the first line")
                        .build();
            }
            Integer before = seen.putIfAbsent(name, i);
            if (before != null) {
                throw DataFormatException.builder("duplicate column name in the header (columns " + (before + 1)
                                + " and " + (i + 1) + ")")
                        .source(source).line(1).column(name)
                        .fix("give every column a unique name")
                        .build();
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** Advances to the next record, turning parser failures into {@link DataFormatException}s. */
    private boolean next() {
        line = parser.getCurrentLineNumber() + 1;
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException c) {
                throw DataFormatException.builder("malformed CSV in the record that starts here: " + c.getMessage())
                        .source(source).line(line)
                        .fix("check the quotes on this line: a quoted value must end with '\"' "
                                + "right before the delimiter or the line end, and a '\"' inside it is written '\"\"'")
                        .cause(c)
                        .build();
            }
            throw unavailable(e.getCause());
        }
    }

    private String join(CSVRecord r) {
        return String.join(delimiter, r.stream().map(v -> v == null ? "" : v).toList());
    }

    private ResourceUnavailableException unavailable(IOException e) {
        return new ResourceUnavailableException(source, "reading it failed (" + e + ")", e);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }
}
