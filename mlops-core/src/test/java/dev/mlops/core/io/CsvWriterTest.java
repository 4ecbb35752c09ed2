package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvWriterTest {

    static final Schema SCHEMA = Schema.builder()
            .add("id", ColumnType.LONG)
            .addNullable("d", ColumnType.DOUBLE)
            .addNullable("n", ColumnType.LONG)
            .addNullable("b", ColumnType.BOOLEAN)
            .addNullable("s", ColumnType.STRING)
            .addNullable("t", ColumnType.TIMESTAMP)
            .build();

    /** Every column type, nulls in each, and the values that are easiest to get wrong. */
    static Table awkwardTable() {
        return Table.builder(SCHEMA)
                .addRow(1L, Double.NaN, Long.MIN_VALUE, true, "漢字 かな 한글", Instant.parse("1969-12-31T23:59:59.999999Z"))
                .addRow(2L, Double.POSITIVE_INFINITY, Long.MAX_VALUE, false, "emoji 😀👍🏽 family 👨‍👩‍👧",
                        Instant.parse("1900-01-01T00:00:00.000001Z"))
                .addRow(3L, Double.NEGATIVE_INFINITY, 0L, null, "e\u0301 combining n\u0303", Instant.parse("2024-02-29T23:59:59.5Z"))
                .addRow(4L, -0.0, null, true, "עברית العربية \u202Ertl\u202C", null)
                .addRow(5L, Double.MIN_VALUE, -1L, false, "a,b;c\td", Instant.parse("+10000-01-01T00:00:00Z"))
                .addRow(6L, Double.MAX_VALUE, 42L, true, "say \"hi\" \"", Instant.parse("-1000-06-15T12:00:00.123Z"))
                .addRow(7L, null, 7L, false, "line1\nline2\r\nline3\rend\n", Instant.EPOCH)
                .addRow(8L, 0.1, 8L, true, "", Instant.parse("2024-03-01T12:00:00.000010Z"))
                .addRow(9L, 1e-300, 9L, false, null, Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(10L, -123456.789e10, 10L, true, "  padded  ", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(11L, 4.35, 11L, true, ",", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(12L, 1.0, 12L, true, "NaN", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(13L, 2.0, 13L, true, "\"", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(14L, 3.0, 14L, true, "#not a comment", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(15L, null, null, null, null, null)
                .build();
    }

    @TempDir
    Path dir;

    private static Table readBack(Path file, Schema schema) {
        return CsvReader.builder().schema(schema).build().read(file);
    }

    @Test
    void write_thenRead_givesAnEqualTable() {
        Path file = dir.resolve("awkward.csv");
        Table original = awkwardTable();

        CsvWriter.builder().build().write(original, file);

        assertThat(readBack(file, SCHEMA)).isEqualTo(original);
    }

    @Test
    void write_thenRead_withOtherDelimiterAndCrLf() {
        Path file = dir.resolve("awkward.tsv");
        Table original = awkwardTable();

        CsvWriter.builder().delimiter('\t').lineSeparator("\r\n").build().write(original, file);

        assertThat(CsvReader.builder().schema(SCHEMA).delimiter('\t').build().read(file)).isEqualTo(original);
    }

    @Test
    void write_thenRead_randomTables() {
        Random random = new Random(20240301);
        String alphabet = "ab ,;\"\r\n\t#é漢😀\u0301\u05d0";
        for (int round = 0; round < 20; round++) {
            TableBuilder b = Table.builder(SCHEMA);
            for (int r = 0; r < 200; r++) {
                StringBuilder s = new StringBuilder();
                for (int k = random.nextInt(6); k > 0; k--) {
                    s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                            random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                }
                b.addRow((long) r,
                        random.nextInt(10) == 0 ? null : Double.longBitsToDouble(random.nextLong()),
                        random.nextInt(10) == 0 ? null : random.nextLong(),
                        random.nextInt(10) == 0 ? null : random.nextBoolean(),
                        random.nextInt(10) == 0 ? null : s.toString(),
                        random.nextInt(10) == 0 ? null : Instant.EPOCH.plusNanos(random.nextLong() / 1000 * 1000));
            }
            Table original = b.build();
            Path file = dir.resolve("random" + round + ".csv");

            CsvWriter.builder().build().write(original, file);

            assertThat(readBack(file, SCHEMA)).as("round %d", round).isEqualTo(original);
        }
    }

    @Test
    void read_csvWrittenByRelease0_1_stillLoads() throws Exception {
        Path fixture = Path.of(CsvWriterTest.class.getResource("awkward-0.1.csv").toURI());

        assertThat(readBack(fixture, SCHEMA)).isEqualTo(awkwardTable());
    }

    @Test
    void write_oneColumnTable_nullAndEmptyStringSurvive() {
        Schema s = Schema.of(Field.nullable("s", ColumnType.STRING));
        Table original = Table.builder(s).addRow("a").addRow((Object) null).addRow("").addRow((Object) null).build();
        Path file = dir.resolve("one.csv");

        CsvWriter.builder().build().write(original, file);

        assertThat(readBack(file, s)).isEqualTo(original);
    }

    @Test
    void write_format_nullsEmptyUnquoted_emptyStringQuoted_shortestDoubles_isoTimestamps() {
        Table t = Table.builder(SCHEMA)
                .addRow(1L, 0.1, 5L, true, "", Instant.parse("2024-03-01T12:00:00.000001Z"))
                .addRow(2L, null, null, null, null, null)
                .addRow(3L, 1e-5, -5L, false, "a \"b\"", Instant.parse("1969-12-31T23:59:59Z"))
                .build();
        StringWriter out = new StringWriter();

        CsvWriter.builder().build().write(t, out);

        assertThat(out.toString()).isEqualTo("""
                id,d,n,b,s,t
                1,0.1,5,true,"",2024-03-01T12:00:00.000001Z
                2,,,,,
                3,1.0E-5,-5,false,"a ""b\""\",1969-12-31T23:59:59Z
                """);
    }

    @Test
    void write_replacesAnExistingFile_andLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("out.csv");
        Files.writeString(file, "old content");

        CsvWriter.builder().build().write(awkwardTable(), file);

        assertThat(readBack(file, SCHEMA)).isEqualTo(awkwardTable());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void write_unpairedSurrogate_failsAndLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("out.csv");
        Files.writeString(file, "old content");
        Table bad = Table.builder(SCHEMA).addRow(1L, 1.0, 1L, true, "cut \uD83D", null).build();

        assertThatThrownBy(() -> CsvWriter.builder().build().write(bad, file))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("column 's'")
                .hasMessageContaining("unpaired UTF-16 surrogate at index 4");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("old content");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void write_intoMissingDirectory_failsNamingIt() {
        Path file = dir.resolve("nope").resolve("out.csv");

        assertThatThrownBy(() -> CsvWriter.builder().build().write(awkwardTable(), file))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("directory '" + dir.resolve("nope") + "' not found");
    }

    @Test
    void builder_refusesBadSettings() {
        assertThatThrownBy(() -> CsvWriter.builder().lineSeparator("\r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lineSeparator");
        assertThatThrownBy(() -> CsvWriter.builder().delimiter('\n')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvWriter.builder().build().write(Table.of(), new StringWriter()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no columns");
    }
}
