package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CsvReaderTest {

    private static final Schema SCHEMA = Schema.builder()
            .add("id", ColumnType.LONG)
            .addNullable("x", ColumnType.DOUBLE)
            .addNullable("ok", ColumnType.BOOLEAN)
            .addNullable("label", ColumnType.STRING)
            .addNullable("ts", ColumnType.TIMESTAMP)
            .build();

    @TempDir
    Path dir;

    private static CsvReader reader(Schema schema) {
        return CsvReader.builder().schema(schema).build();
    }

    private static Table read(CsvReader reader, String csv) {
        return reader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv");
    }

    private static DataFormatException readFails(CsvReader reader, String csv) {
        return catchThrowableOfType(DataFormatException.class, () -> read(reader, csv));
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void read_typedColumns_matchedByHeaderNameInAnyOrder() {
        Table t = read(reader(SCHEMA), """
                ts,label,ok,x,id
                2024-03-01T12:00:00Z,a,true,1.5,1
                2024-03-01T13:00:00.000001+01:00,b,FALSE,-2e3,2
                """);

        Table expected = Table.builder(SCHEMA)
                .addRow(1L, 1.5, true, "a", Instant.parse("2024-03-01T12:00:00Z"))
                .addRow(2L, -2000.0, false, "b", Instant.parse("2024-03-01T12:00:00.000001Z"))
                .build();
        assertThat(t).isEqualTo(expected);
    }

    @Test
    @DisplayName("an empty unquoted field is null; a quoted empty field is \"\" in STRING columns and null elsewhere")
    void read_nullAndEmptyStringRule() {
        Table t = read(reader(SCHEMA), """
                id,x,ok,label,ts
                1,,,,
                2,"","","",""
                """);

        assertThat(t.stringColumn("label").get(0)).isNull();
        assertThat(t.stringColumn("label").get(1)).isEmpty();
        for (String c : new String[] {"x", "ok", "ts"}) {
            assertThat(t.isNull(0, c)).as(c).isTrue();
            assertThat(t.isNull(1, c)).as(c).isTrue();
        }
    }

    @Test
    void read_nullValues_areNullInEveryColumn() {
        CsvReader r = CsvReader.builder().schema(SCHEMA).nullValues("NA", "null").build();

        Table t = read(r, "id,x,ok,label,ts\n1,NA,null,NA,\"NA\"\n");

        assertThat(t.isNull(0, "x")).isTrue();
        assertThat(t.isNull(0, "ok")).isTrue();
        assertThat(t.isNull(0, "label")).isTrue();
        assertThat(t.isNull(0, "ts")).isTrue();
    }

    @Test
    void read_nullInNonNullableColumn_fails() {
        DataFormatException e = readFails(reader(SCHEMA), "id,x,ok,label,ts\n1,,,,\n,,,,\n");

        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo("id");
        assertThat(e.getMessage()).contains("non-nullable").contains("Field.nullable");
    }

    @Test
    void read_doubles_acceptNonFiniteSpellingsAndRefuseJavaOnlyForms() {
        Schema s = Schema.of(Field.of("x", ColumnType.DOUBLE));
        Table t = read(reader(s), "x\nNaN\nInfinity\n-Infinity\n+Infinity\n-0.0\n4.9E-324\n.5\n1e308\n");

        DoubleColumn x = t.doubleColumn("x");
        assertThat(x.get(0)).isNaN();
        assertThat(x.get(1)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(x.get(2)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(x.get(3)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Double.doubleToRawLongBits(x.get(4))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(x.get(5)).isEqualTo(Double.MIN_VALUE);
        assertThat(x.get(6)).isEqualTo(0.5);
        assertThat(x.get(7)).isEqualTo(1e308);

        for (String bad : new String[] {"1d", "0x1p3", " 1", "nan", "inf", "1,5", "1e", "--1"}) {
            DataFormatException e = readFails(reader(s), "x\n\"" + bad + "\"\n");
            assertThat(e).as(bad).isNotNull();
            assertThat(e.value()).isEqualTo(bad);
            assertThat(e.problem()).isEqualTo("not a number");
        }
    }

    @Test
    void read_unparseableNumber_namesFileLineColumnValueAndFix() {
        DataFormatException e = readFails(reader(SCHEMA), """
                id,x,ok,label,ts
                1,1.5,true,a,
                2,"12,5",true,a,
                """);

        assertThat(e.source()).isEqualTo("test.csv");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo("x");
        assertThat(e.value()).isEqualTo("12,5");
        assertThat(e.getMessage()).isEqualTo("test.csv:3: column 'x': not a number (value: \"12,5\"). "
                + "Fix: use '.' as the decimal separator and no thousands separator");
    }

    @Test
    void read_longs_refuseFractionsAndOverflow() {
        Schema s = Schema.of(Field.of("n", ColumnType.LONG));
        assertThat(read(reader(s), "n\n-9223372036854775808\n9223372036854775807\n").longColumn("n").toLongArray())
                .containsExactly(Long.MIN_VALUE, Long.MAX_VALUE);

        assertThat(readFails(reader(s), "n\n1.0\n").problem()).isEqualTo("not an integer");
        assertThat(readFails(reader(s), "n\n9223372036854775808\n").problem()).isEqualTo("integer out of the 64-bit range");
    }

    @Test
    void read_booleans_anyCase_butOnlyTrueOrFalse() {
        Schema s = Schema.of(Field.of("b", ColumnType.BOOLEAN));
        assertThat(read(reader(s), "b\nTrue\nfalse\nTRUE\n").booleanColumn("b").trueCount()).isEqualTo(2);
        assertThat(readFails(reader(s), "b\n1\n").problem()).isEqualTo("not a boolean");
    }

    @Test
    void read_timestampsWithOffsets_areConvertedToUtc() {
        Schema s = Schema.of(Field.of("t", ColumnType.TIMESTAMP));
        Table t = read(reader(s), """
                t
                2024-03-01T12:00:00Z
                2024-03-01 13:00:00+01:00
                2024-03-01T07:00-0500
                2024-03-01T13:00:00.123456+01
                1969-12-31T23:59:59.999999Z
                2024-03-01T12:00:00.123456000Z
                2024-03-01z
                """);

        assertThat(t.timestampColumn("t").toEpochMicrosArray()).containsExactly(
                micros("2024-03-01T12:00:00Z"), micros("2024-03-01T12:00:00Z"), micros("2024-03-01T12:00:00Z"),
                micros("2024-03-01T12:00:00.123456Z"), -1L, micros("2024-03-01T12:00:00.123456Z"),
                micros("2024-03-01T00:00:00Z"));
    }

    private static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
    }

    @Test
    void read_timestampsWithoutZone_areRefusedWithAdviceToSetOne() {
        Schema s = Schema.of(Field.of("t", ColumnType.TIMESTAMP));
        for (String local : new String[] {"2011-01-01 00:00:00", "2011-01-01T00:00", "2011-01-01"}) {
            DataFormatException e = readFails(reader(s), "t\n" + local + "\n");
            assertThat(e.problem()).as(local).isEqualTo("timestamp has no zone offset");
            assertThat(e.getMessage()).contains("assumeZone(ZoneOffset.UTC)");
        }
    }

    @Test
    void read_timestampsWithoutZone_useTheAssumedZone() {
        Schema s = Schema.of(Field.of("t", ColumnType.TIMESTAMP));
        CsvReader utc = CsvReader.builder().schema(s).assumeZone(ZoneOffset.UTC).build();
        CsvReader paris = CsvReader.builder().schema(s).assumeZone(ZoneId.of("Europe/Paris")).build();

        assertThat(read(utc, "t\n2011-01-01 00:00:00\n2011-01-01T00:00\n2011-01-01\n2011-01-01T01:00:00+01:00\n")
                .timestampColumn("t").toEpochMicrosArray()).containsOnly(micros("2011-01-01T00:00:00Z"));
        assertThat(read(paris, "t\n2011-07-01 02:00:00\n").timestampColumn("t").get(0))
                .isEqualTo(Instant.parse("2011-07-01T00:00:00Z"));
        assertThat(readFails(paris, "t\n2011-03-27 02:30:00\n").problem()).contains("does not exist");
        assertThat(readFails(paris, "t\n2011-10-30 02:30:00\n").problem()).contains("ambiguous");
    }

    @Test
    void read_subMicrosecondDigits_areRefused() {
        Schema s = Schema.of(Field.of("t", ColumnType.TIMESTAMP));
        DataFormatException e = readFails(reader(s), "t\n2024-03-01T12:00:00.1234567Z\n");

        assertThat(e.problem()).isEqualTo("timestamp has digits below a microsecond");
        assertThat(readFails(reader(s), "t\n2024-02-30T00:00:00Z\n").problem()).isEqualTo("not an ISO-8601 timestamp");
    }

    @Test
    void read_raggedRows_failWithTheLineAndCounts() {
        DataFormatException tooMany = readFails(reader(SCHEMA), "id,x,ok,label,ts\n1,2,true,a,\n2,1,5,true,a,\n");
        assertThat(tooMany.line()).isEqualTo(3);
        assertThat(tooMany.problem()).isEqualTo("expected 5 fields as in the header, found 6");
        assertThat(tooMany.value()).isEqualTo("2,1,5,true,a,");

        DataFormatException tooFew = readFails(reader(SCHEMA), "id,x,ok,label,ts\n1,2,true,a,\n\n\n2,1,true\n");
        assertThat(tooFew.line()).isEqualTo(5);
        assertThat(tooFew.problem()).isEqualTo("expected 5 fields as in the header, found 3");
    }

    @Test
    void read_lineNumbers_countPhysicalLinesOfMultiLineRecords() {
        // record 1 spans lines 2-4 (CRLF and a lone CR inside quotes); record 2 starts on line 5
        String csv = "id,x,ok,label,ts\r\n1,1,true,\"a\r\nb\rc\",\r\n2,oops,true,d,\r\n";
        DataFormatException e = readFails(reader(SCHEMA), csv);

        assertThat(e.line()).isEqualTo(5);
        assertThat(e.value()).isEqualTo("oops");
    }

    @Test
    void read_malformedQuotes_fail() {
        DataFormatException e = readFails(reader(SCHEMA), "id,x,ok,label,ts\n1,1,true,\"a\"b,\n");

        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).startsWith("malformed CSV");
    }

    @Test
    void read_schemaColumnMissingFromHeader_failsWithSuggestion() {
        DataFormatException e = readFails(reader(SCHEMA), "id,x,ok,labl,ts\n");

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo("label");
        assertThat(e.getMessage()).contains("missing from the header").contains("did you mean 'labl'?");
    }

    @Test
    void read_headerColumnMissingFromSchema_failsUnlessIgnored() {
        String csv = "id,x,ok,label,ts,extra\n1,1,true,a,,zzz\n";
        DataFormatException e = readFails(reader(SCHEMA), csv);
        assertThat(e.column()).isEqualTo("extra");
        assertThat(e.getMessage()).contains("ignoreExtraColumns(true)");

        Table t = read(CsvReader.builder().schema(SCHEMA).ignoreExtraColumns(true).build(), csv);
        assertThat(t.schema()).isEqualTo(SCHEMA);
        assertThat(t.rowCount()).isEqualTo(1);
    }

    @Test
    void read_duplicateHeaderNames_fail() {
        DataFormatException e = readFails(reader(SCHEMA), "id,x,ok,x,label,ts\n");

        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo("x");
        assertThat(e.problem()).isEqualTo("duplicate column name in the header (columns 2 and 4)");
    }

    @Test
    void read_emptyHeaderName_fails() {
        assertThat(readFails(reader(SCHEMA), "id,,ok\n").problem()).isEqualTo("column 2 of the header has no name");
    }

    @Test
    void read_emptyFile_failsBecauseTheHeaderIsRequired() throws IOException {
        Path empty = file("empty.csv", new byte[0]);

        assertThatThrownBy(() -> reader(SCHEMA).read(empty))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("a header row is required");
        assertThatThrownBy(() -> CsvReader.builder().inferSchema().build().read(empty))
                .isInstanceOf(DataFormatException.class);
    }

    @Test
    void read_headerOnly_isAnEmptyTable() throws IOException {
        Path headerOnly = file("header.csv", "ts,label,ok,x,id".getBytes(StandardCharsets.UTF_8));

        assertThat(reader(SCHEMA).read(headerOnly)).isEqualTo(Table.empty(SCHEMA));
        Table inferred = CsvReader.builder().inferSchema().build().read(headerOnly);
        assertThat(inferred.rowCount()).isZero();
        assertThat(inferred.schema().names()).containsExactly("ts", "label", "ok", "x", "id");
    }

    @Test
    void read_invalidUtf8_namesTheLineAndByteOffset() throws IOException {
        byte[] head = "id,x,ok,label,ts\n1,1,true,caf\u00e9,\n2,1,true,".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[head.length + 3];
        System.arraycopy(head, 0, content, 0, head.length);
        content[head.length] = (byte) 0xE9; // 'é' in Latin-1
        content[head.length + 1] = ',';
        content[head.length + 2] = '\n';
        Path latin1 = file("latin1.csv", content);

        DataFormatException e = catchThrowableOfType(DataFormatException.class, () -> reader(SCHEMA).read(latin1));

        assertThat(e.source()).isEqualTo(latin1.toString());
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).isEqualTo("the byte 0xE9 at byte offset " + head.length + " is not valid UTF-8");
        assertThat(e.getMessage()).contains("iconv");
    }

    @Test
    void read_charset_decodesOtherEncodings() {
        byte[] latin1 = "label\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        CsvReader r = CsvReader.builder().schema(Schema.of(Field.of("label", ColumnType.STRING)))
                .charset(StandardCharsets.ISO_8859_1).build();

        assertThat(r.read(new ByteArrayInputStream(latin1), "latin1").stringColumn("label").get(0)).isEqualTo("caf\u00e9");
    }

    @Test
    void read_byteOrderMark_isDropped() {
        Table t = read(reader(Schema.of(Field.of("id", ColumnType.LONG))), "\uFEFFid\n7\n");

        assertThat(t.longColumn("id").get(0)).isEqualTo(7);
    }

    @Test
    void read_streamThatDeliversOneByteAtATime_decodesCharactersSplitAcrossReads() {
        byte[] csv = "\uFEFFlabel,n\n漢字😀é,1\n".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(csv) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };

        Schema schema = Schema.of(Field.of("label", ColumnType.STRING), Field.of("n", ColumnType.LONG));
        Table t = CsvReader.builder().schema(schema).build().read(trickle, "trickle");

        assertThat(t.stringColumn("label").get(0)).isEqualTo("漢字😀é");
        assertThat(t.longColumn("n").get(0)).isEqualTo(1);
    }

    @Test
    void read_blankLines_areSkipped_exceptInAOneColumnFileWhereTheyAreNull() {
        Table t = read(reader(SCHEMA), "id,x,ok,label,ts\n\n1,,,,\n\n");
        assertThat(t.rowCount()).isEqualTo(1);

        Table one = read(reader(Schema.of(Field.nullable("s", ColumnType.STRING))), "s\na\n\n\"\"\n");
        assertThat(one.stringColumn("s").toStringArray()).containsExactly("a", null, "");
    }

    @Test
    void read_lineLongerThanTheLimit_failsWithTheLimitInTheMessage() {
        CsvReader r = CsvReader.builder().schema(Schema.of(Field.of("s", ColumnType.STRING))).maxLineLength(10).build();

        assertThat(read(r, "s\n0123456789\n").rowCount()).isEqualTo(1);
        DataFormatException e = readFails(r, "s\n0123456789\n01234567890\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.problem()).isEqualTo("line is longer than the limit of 10 characters");
    }

    @Test
    @DisplayName("a 2 GiB line fails fast at the line-length limit without reading it all")
    void read_twoGigabyteLine_failsFast() throws IOException {
        Path huge = dir.resolve("huge.csv");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2L * 1024 * 1024 * 1024); // sparse: NUL bytes, no newline, no disk used
        }
        DataFormatException e = catchThrowableOfType(DataFormatException.class,
                () -> CsvReader.builder().inferSchema().build().read(huge));
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.getMessage()).contains("huge.csv").contains("longer than the limit of 67,108,864 characters")
                .contains("maxLineLength");

        // "Fast" means it stops at the limit instead of reading the 2 GiB: count the bytes it consumed.
        java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
        try (InputStream in = new java.io.FilterInputStream(Files.newInputStream(huge)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                consumed.addAndGet(Math.max(n, 0));
                return n;
            }
        }) {
            assertThatThrownBy(() -> CsvReader.builder().schema(Schema.of(Field.of("a", ColumnType.STRING))).build()
                    .read(in, "huge.csv")).isInstanceOf(DataFormatException.class).hasMessageContaining("maxLineLength");
        }
        assertThat(consumed.get()).as("bytes read before failing").isLessThan(256L * 1024 * 1024);
    }

    @Test
    void read_stream_isLeftOpen_andSchemaInferenceWorksOnStreams() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new ByteArrayInputStream("a,b\n1,x\n2,\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        Table t = CsvReader.builder().inferSchema().build().read(in, DataFormatException.STREAM);

        assertThat(closed).isFalse();
        assertThat(t.schema()).isEqualTo(Schema.of(Field.of("a", ColumnType.LONG), Field.nullable("b", ColumnType.STRING)));
    }

    @Test
    void inferSchema_usesEveryRow() {
        String csv = "l,d,b,t,s,e,n\n"
                + "1,1,true,2024-01-01T00:00:00Z,x,,1\n"
                + "2,2,FALSE,2024-01-01 00:00:00.5+01:00,1,,2\n"
                + "3,2.5,false,2024-01-01T00:00Z,2024-01-01T00:00:00Z,,\"\"\n";

        Table t = read(CsvReader.builder().inferSchema().build(), csv);

        assertThat(t.schema()).isEqualTo(Schema.of(
                Field.of("l", ColumnType.LONG),
                Field.of("d", ColumnType.DOUBLE),
                Field.of("b", ColumnType.BOOLEAN),
                Field.of("t", ColumnType.TIMESTAMP),
                Field.of("s", ColumnType.STRING),
                Field.nullable("e", ColumnType.STRING),
                Field.nullable("n", ColumnType.LONG)));
        assertThat(t.doubleColumn("d").get(2)).isEqualTo(2.5);
    }

    @Test
    void inferSchema_zonelessTimestamps_areTimestamps_thatNeedAZone() throws IOException {
        Path days = file("days.csv", "day,cnt\n2011-01-01,16\n2011-01-02,40\n".getBytes(StandardCharsets.UTF_8));

        DataFormatException e = catchThrowableOfType(DataFormatException.class,
                () -> CsvReader.builder().inferSchema().build().read(days));
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo("day");
        assertThat(e.getMessage()).contains("assumeZone");

        Table t = CsvReader.builder().inferSchema().assumeZone(ZoneOffset.UTC).build().read(days);
        assertThat(t.timestampColumn("day").get(1)).isEqualTo(Instant.parse("2011-01-02T00:00:00Z"));
    }

    @Test
    void read_missingFile_listsTheFilesBesideIt() throws IOException {
        file("train.csv", "id\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> reader(SCHEMA).read(dir.resolve("trian.csv")))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("did you mean '" + dir.resolve("train.csv") + "'");
    }

    @Test
    void read_tabDelimited() {
        CsvReader r = CsvReader.builder().inferSchema().delimiter('\t').build();

        Table t = read(r, "a\tb\n1,5\t\"x\ty\"\n");

        assertThat(t.stringColumn("a").get(0)).isEqualTo("1,5");
        assertThat(t.stringColumn("b").get(0)).isEqualTo("x\ty");
    }

    @Test
    void builder_failsFastOnBadSettings() {
        assertThatThrownBy(() -> CsvReader.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inferSchema()");
        assertThatThrownBy(() -> CsvReader.builder().delimiter('"')).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsvReader.builder().maxLineLength(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineLength").hasMessageContaining("0");
        assertThatThrownBy(() -> CsvReader.builder().nullValues("NA", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nullValues[1]");
    }

    @Test
    void toBuilder_derivesAVariant() {
        CsvReader base = CsvReader.builder().schema(SCHEMA).delimiter(';').build();
        CsvReader inferring = base.toBuilder().inferSchema().build();

        Table t = read(inferring, "a;b\n1;2\n");

        assertThat(t.schema().names()).containsExactly("a", "b");
        assertThatThrownBy(() -> read(base, "a;b\n1;2\n")).isInstanceOf(DataFormatException.class);
    }
}
