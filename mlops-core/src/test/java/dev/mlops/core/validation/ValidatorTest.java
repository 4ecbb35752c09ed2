package dev.mlops.core.validation;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.ValidationException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The four modes on one small table whose failures are worked out by hand, and how rules meet tables. */
class ValidatorTest {

    /*
     * row  radius  label   fails
     *  0    10.0   a       -
     *  1    -3.0   b       range
     *  2    50.0   c       allowedValues
     *  3    null   a       notNull
     *  4   120.5   z       range, allowedValues
     *  5    20.0   null    - (a null label passes allowedValues)
     */
    private static final Table TABLE = Table.of(
            DoubleColumn.ofBoxed("radius", 10.0, -3.0, 50.0, null, 120.5, 20.0),
            StringColumn.of("label", "a", "b", "c", "a", "z", null));

    private static final Validator VALIDATOR = Expectations.builder()
            .column("radius").notNull().between(0.0, 100.0).and()
            .column("label").allowedValues("a", "b").and()
            .rowCount(1, 1_000_000)
            .build();

    @TempDir
    Path dir;

    @Test
    void validate_listsEveryFailure() {
        ValidationReport r = VALIDATOR.validate(TABLE);

        assertFalse(r.passed());
        assertEquals(List.of(
                new ValidationFailure("notNull", "radius", 3, null, "value is null"),
                new ValidationFailure("range", "radius", 1, "-3.0", "value -3.0 is outside [0.0, 100.0]"),
                new ValidationFailure("range", "radius", 4, "120.5", "value 120.5 is outside [0.0, 100.0]"),
                new ValidationFailure("allowedValues", "label", 2, "c", "value \"c\" is not one of [a, b]"),
                new ValidationFailure("allowedValues", "label", 4, "z", "value \"z\" is not one of [a, b]")),
                r.failures());
        assertArrayEquals(new int[] {1, 2, 3, 4}, r.failedRows());
        assertEquals(5, r.failureCount());
        assertEquals(List.of("radius: notNull", "radius: range [0.0, 100.0]", "label: allowedValues [a, b]",
                "rowCount [1, 1000000]"), VALIDATOR.rules());
        assertEquals(List.of(1, 2, 2, 0), List.copyOf(r.counts().values()));
        assertEquals(RuleResult.Status.PASSED, r.rule("rowCount [1, 1000000]").status());
    }

    @Test
    void validateOrThrow_returnsThePassingTable_andThrowsWithTheSummary() {
        Table good = TABLE.take(new int[] {0, 5});
        assertSame(good, VALIDATOR.validateOrThrow(good));

        ValidationException e = assertThrows(ValidationException.class, () -> VALIDATOR.validateOrThrow(TABLE));
        assertEquals("validation failed: 3 of 4 rules failed on 6 rows (5 failures, 4 failing rows)", e.summary());
        assertEquals(List.of(
                "radius: notNull: 1 failure, e.g. row 3: value is null",
                "radius: range [0.0, 100.0]: 2 failures, e.g. row 1: value -3.0 is outside [0.0, 100.0]; "
                        + "row 4: value 120.5 is outside [0.0, 100.0]",
                "label: allowedValues [a, b]: 2 failures, e.g. row 2: value \"c\" is not one of [a, b]; "
                        + "row 4: value \"z\" is not one of [a, b]"), e.failures());
    }

    @Test
    void split_separatesPassingAndFailingRows_inOrder() {
        SplitResult s = VALIDATOR.split(TABLE);

        assertArrayEquals(new double[] {10.0, 20.0}, s.passing().doubleColumn("radius").toDoubleArray());
        assertArrayEquals(new String[] {"a", null}, s.passing().stringColumn("label").toStringArray());
        assertArrayEquals(new double[] {-3.0, 50.0, Double.NaN, 120.5}, s.failing().doubleColumn("radius").toDoubleArray());
        assertArrayEquals(new String[] {"b", "c", "a", "z"}, s.failing().stringColumn("label").toStringArray());
        assertEquals(TABLE.schema(), s.failing().schema());

        Table reasons = s.failingWithReasons();
        assertArrayEquals(new long[] {1, 2, 3, 4}, reasons.longColumn("_row").toLongArray());
        assertArrayEquals(new String[] {
                "radius: range [0.0, 100.0]",
                "label: allowedValues [a, b]",
                "radius: notNull",
                "radius: range [0.0, 100.0]; label: allowedValues [a, b]"}, reasons.stringColumn("_reasons").toStringArray());
    }

    @Test
    void split_withNoFailures_keepsTheTable() {
        Table good = TABLE.take(new int[] {0, 5});
        SplitResult s = VALIDATOR.split(good);
        assertSame(good, s.passing());
        assertEquals(0, s.failing().rowCount());
        assertTrue(s.report().passed());
    }

    @Test
    void quarantine_writesFailingRowsWithRowAndReasons_andReturnsThePassingRows() throws IOException {
        Path file = dir.resolve("rejects.csv");
        Table passing = VALIDATOR.quarantine(TABLE, file);

        assertArrayEquals(new double[] {10.0, 20.0}, passing.doubleColumn("radius").toDoubleArray());
        assertEquals("""
                radius,label,_row,_reasons
                -3.0,b,1,"radius: range [0.0, 100.0]"
                50.0,c,2,"label: allowedValues [a, b]"
                ,a,3,radius: notNull
                120.5,z,4,"radius: range [0.0, 100.0]; label: allowedValues [a, b]"
                """, Files.readString(file));

        Schema schema = Schema.builder().addNullable("radius", ColumnType.DOUBLE).addNullable("label", ColumnType.STRING)
                .add("_row", ColumnType.LONG).add("_reasons", ColumnType.STRING).build();
        Table expected = Table.builder(schema)
                .addRow(-3.0, "b", 1L, "radius: range [0.0, 100.0]")
                .addRow(50.0, "c", 2L, "label: allowedValues [a, b]")
                .addRow(null, "a", 3L, "radius: notNull")
                .addRow(120.5, "z", 4L, "radius: range [0.0, 100.0]; label: allowedValues [a, b]")
                .build();
        assertEquals(expected, CsvReader.builder().schema(schema).build().read(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void quarantine_replacesAnEarlierFile() throws IOException {
        Path file = dir.resolve("rejects.csv");
        Files.writeString(file, "old content\n");
        VALIDATOR.quarantine(TABLE, file);
        assertTrue(Files.readString(file).startsWith("radius,label,_row,_reasons\n"));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void quarantine_intoAMissingDirectory_isAPreciseError_andLeavesNoFile() throws IOException {
        Path missing = dir.resolve("no-such-dir");
        Path file = missing.resolve("rejects.csv");
        NotFoundException e = assertThrows(NotFoundException.class, () -> VALIDATOR.quarantine(TABLE, file));
        assertEquals("directory", e.kind());
        assertEquals(missing.toString(), e.name());
        assertFalse(Files.exists(missing));
        assertEquals(List.of(), listDir());
    }

    @Test
    void quarantine_ontoADirectory_isAPreciseError_andLeavesItAlone() throws IOException {
        Path target = Files.createDirectory(dir.resolve("rejects.csv"));
        NonRetriableException e = assertThrows(NonRetriableException.class, () -> VALIDATOR.quarantine(TABLE, target));
        assertEquals("cannot write quarantine file '" + target + "': it is a directory. Fix: give a file name; "
                + "nothing was written", e.getMessage());
        assertEquals(List.of(target), listDir());
        try (Stream<Path> inside = Files.list(target)) {
            assertEquals(0, inside.count());
        }
    }

    @Test
    void quarantine_thatFailsToWrite_keepsTheEarlierFile_andLeavesNoTemporaryFile() throws IOException {
        // a failing row whose text UTF-8 cannot encode: the write is refused and nothing is replaced
        Table t = Table.of(DoubleColumn.of("radius", 1.0, -1.0), StringColumn.of("label", "a", "broken \uD800 text"));
        Path file = dir.resolve("rejects.csv");
        Files.writeString(file, "from an earlier run\n");

        DataFormatException e = assertThrows(DataFormatException.class, () -> VALIDATOR.quarantine(t, file));
        assertEquals("label", e.column());
        assertEquals("from an earlier run\n", Files.readString(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void quarantine_withNoFailingRows_writesNothing_andLeavesAnEarlierFileAlone() throws IOException {
        Table good = TABLE.take(new int[] {0, 5});
        Path fresh = dir.resolve("fresh.csv");
        assertSame(good, VALIDATOR.quarantine(good, fresh));
        assertFalse(Files.exists(fresh));

        Path earlier = dir.resolve("earlier.csv");
        Files.writeString(earlier, "from an earlier run\n");
        VALIDATOR.quarantine(good, earlier);
        assertEquals("from an earlier run\n", Files.readString(earlier));
        assertEquals(List.of(earlier), listDir());
    }

    @Test
    void quarantine_withATableLevelFailure_rejectsTheWholeTable_andWritesNothing() throws IOException {
        Validator strict = VALIDATOR.toBuilder().column("label").maxNullShare(0.1).and().build();
        Path file = dir.resolve("rejects.csv");
        Files.writeString(file, "kept\n");

        ValidationException e = assertThrows(ValidationException.class, () -> strict.quarantine(TABLE, file));
        assertEquals("validation failed: 4 of 5 rules failed on 6 rows (6 failures, 4 failing rows); 1 table-level rule"
                + " failed, so the whole table is rejected and nothing was written to '" + file + "'", e.summary());
        assertTrue(e.failures().contains("label: maxNullShare 0.1: 1 failure, e.g. null share 0.16666666666666666 "
                + "(1 of 6 rows) exceeds 0.1"), e.failures().toString());
        assertEquals("kept\n", Files.readString(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void quarantine_refusesTablesThatAlreadyHaveTheAddedColumns() {
        Table t = TABLE.withColumn(LongColumn.of("_row", 0, 1, 2, 3, 4, 5));
        Path file = dir.resolve("rejects.csv");
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> VALIDATOR.quarantine(t, file));
        assertEquals("schema mismatch at column '_row': expected no column named '_row' (the quarantine output adds it), "
                + "found a LONG column '_row'. Fix: rename or drop the column before splitting off failing rows with "
                + "reasons", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void ruleOnAnUnknownColumn_failsAtValidateTime_listingTheColumns_inEveryMode() {
        Validator v = Expectations.builder().column("radiuss").notNull().and().build();
        String expected = "column 'radiuss' not found; did you mean 'radius'? Available (2): 'radius', 'label'";

        assertEquals(expected, assertThrows(ColumnNotFoundException.class, () -> v.validate(TABLE)).getMessage());
        assertThrows(ColumnNotFoundException.class, () -> v.validateOrThrow(TABLE));
        assertThrows(ColumnNotFoundException.class, () -> v.split(TABLE));
        Path file = dir.resolve("rejects.csv");
        assertThrows(ColumnNotFoundException.class, () -> v.quarantine(TABLE, file));
        assertFalse(Files.exists(file));
    }

    @Test
    void ruleOfTheWrongKind_failsAtValidateTime_withAPreciseError() {
        Validator range = Expectations.builder().column("label").between(0, 1).and().build();
        assertEquals("schema mismatch at column 'label': expected a DOUBLE or LONG column for rule "
                        + "'label: range [0.0, 1.0]', found STRING. Fix: ranges apply to numbers; check text with "
                        + "allowedValues or matches, or convert the column to numbers",
                assertThrows(SchemaMismatchException.class, () -> range.validate(TABLE)).getMessage());

        Validator regex = Expectations.builder().column("radius").matches("\\d+").and().build();
        assertEquals("schema mismatch at column 'radius': expected a STRING column for rule 'radius: matches \\d+', "
                        + "found DOUBLE. Fix: patterns apply to text; use a range, allowedValues or satisfies(...) for "
                        + "DOUBLE columns",
                assertThrows(SchemaMismatchException.class, () -> regex.validate(TABLE)).getMessage());

        Validator strings = Expectations.builder().column("radius").allowedValues("a").and().build();
        assertThrows(SchemaMismatchException.class, () -> strings.validate(TABLE));
    }

    @Test
    void ofType_turnsAMissingOrMistypedColumnIntoAFailure_andSkipsTheColumnsOtherRules() {
        Validator v = Expectations.builder()
                .column("label").ofType(ColumnType.DOUBLE).notNull().between(0, 1).and()
                .column("weight").ofType(ColumnType.DOUBLE).atLeast(0).and()
                .column("radius").notNull().and()
                .build();
        ValidationReport r = v.validate(TABLE);

        assertEquals(List.of(
                new ValidationFailure("ofType", "label", -1, "STRING", "expected DOUBLE, found STRING"),
                new ValidationFailure("ofType", "weight", -1, null,
                        "column 'weight' not found. Available (2): 'radius', 'label'"),
                new ValidationFailure("notNull", "radius", 3, null, "value is null")), r.failures());
        assertEquals(List.of(RuleResult.Status.FAILED, RuleResult.Status.SKIPPED, RuleResult.Status.SKIPPED,
                        RuleResult.Status.FAILED, RuleResult.Status.SKIPPED, RuleResult.Status.FAILED),
                r.rules().stream().map(RuleResult::status).toList());
        assertEquals(2, r.tableFailures().size());

        SplitResult s = v.split(TABLE);
        assertEquals(5, s.passing().rowCount());
        assertArrayEquals(new int[] {3}, s.report().failedRows());
        assertThrows(ValidationException.class, () -> v.quarantine(TABLE, dir.resolve("q.csv")));
    }

    @Test
    void storedFailuresAreCappedPerRule_whileCountsAndRowsStayExact() {
        int n = 100_000;
        double[] x = new double[n];
        Arrays.fill(x, -1.0);
        StringColumn.Builder s = StringColumn.builder("s", n);
        for (int i = 0; i < n; i++) {
            s.add(i % 2 == 0 ? "bad" : "ok");
        }
        Table t = Table.of(DoubleColumn.of("x", x), s.build());
        Validator v = Expectations.builder().maxStoredFailuresPerRule(10)
                .column("x").atLeast(0).and()
                .column("s").allowedValues("ok").and()
                .build();
        ValidationReport r = v.validate(t);

        assertEquals(n + n / 2, r.failureCount());
        assertEquals(20, r.failures().size());
        assertTrue(r.truncated());
        assertEquals(n, r.rule("x: range >= 0.0").rows().length);
        assertEquals(n / 2, r.rule("s: allowedValues [ok]").failureCount());
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12, 14, 16, 18),
                r.failures("s: allowedValues [ok]").stream().map(ValidationFailure::row).toList());
        assertEquals(n, r.failedRowCount());
        assertTrue(r.summary(5).endsWith("\n  ... and 149995 more (details stored for at most 10 per rule)"), r.summary(5));

        ValidationReport none = v.toBuilder().maxStoredFailuresPerRule(0).build().validate(t);
        assertEquals(List.of(), none.failures());
        assertEquals(n + n / 2, none.failureCount());
    }

    @Test
    void oneValidator_manyThreads_sameAnswers() throws Exception {
        Validator v = Expectations.builder().column("x").atLeast(0).unique().and().build();
        int tables = 64;
        List<Table> inputs = new ArrayList<>();
        for (int k = 0; k < tables; k++) {
            // table k: values 0..999, except that row k is -1 and row 500 repeats row 0's value 0 when k is even
            long[] values = new long[1000];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            values[k] = -1;
            if (k % 2 == 0) {
                values[500] = k == 0 ? -1 : 0;
            }
            inputs.add(Table.of(LongColumn.of("x", values)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (Table t : inputs) {
                    results.add(pool.submit(() -> v.validate(t).failedRows()));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                int k = i % tables;
                int[] expected = k % 2 == 0 ? new int[] {k, 500} : new int[] {k};
                assertArrayEquals(expected, results.get(i).get(), "table " + k);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void numericRulesOnAMillionRows_reportExactlyTheBadRows() {
        // Speed is measured by ValidationBenchmark in mlops-benchmarks, not asserted here.
        int n = 1_000_000;
        double[] x = new double[n];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 1000 == 0 ? -1.0 : i * 1e-4; // 1,000 bad values, the rest in [0, 100)
            ids[i] = i % 999_999; // row 999,999 repeats row 0
        }
        Table t = Table.of(DoubleColumn.of("x", x), LongColumn.of("id", ids));
        ValidationReport r = Expectations.builder().column("x").between(0, 100).and().build().validate(t);
        int[] expected = new int[1000];
        for (int k = 0; k < 1000; k++) {
            expected[k] = k * 1000;
        }
        assertEquals(1000, r.failureCount());
        assertArrayEquals(expected, r.failedRows());
        ValidationReport u = Expectations.builder().column("id").unique().and().build().validate(t);
        assertArrayEquals(new int[] {999_999}, u.failedRows());
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
