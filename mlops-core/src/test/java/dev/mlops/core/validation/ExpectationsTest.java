package dev.mlops.core.validation;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule on small hand-built tables, checked against failures worked out by hand; and the builder's checks. */
class ExpectationsTest {

    private static ValidationFailure f(String rule, String column, int row, String value, String message) {
        return new ValidationFailure(rule, column, row, value, message);
    }

    @Nested
    class Rules {

        @Test
        void notNull_reportsEveryNullCell() {
            Table t = Table.of(DoubleColumn.ofBoxed("x", 1.0, null, 3.0, null));
            ValidationReport r = Expectations.builder().column("x").notNull().and().build().validate(t);

            assertEquals(List.of(f("notNull", "x", 1, null, "value is null"), f("notNull", "x", 3, null, "value is null")),
                    r.failures());
            assertArrayEquals(new int[] {1, 3}, r.failedRows());
            assertEquals(2, r.rule("x: notNull").failureCount());
        }

        @Test
        void between_isInclusive_nullsPass_andNanFails() {
            Table t = Table.of(DoubleColumn.ofBoxed("x", 0.0, 100.0, -0.5, 100.5, null, Double.NaN, 50.0));
            ValidationReport r = Expectations.builder().column("x").between(0.0, 100.0).and().build().validate(t);

            assertEquals(List.of(
                    f("range", "x", 2, "-0.5", "value -0.5 is outside [0.0, 100.0]"),
                    f("range", "x", 3, "100.5", "value 100.5 is outside [0.0, 100.0]"),
                    f("range", "x", 5, "NaN", "value NaN is outside [0.0, 100.0] (NaN is in no range)")), r.failures());
            assertEquals("x: range [0.0, 100.0]", r.rules().get(0).description());
        }

        @Test
        void between_withOpenBounds_excludesTheEnds() {
            Table t = Table.of(DoubleColumn.of("x", 0.0, 0.5, 1.0));
            assertArrayEquals(new int[] {0, 2}, validate(t, b -> b.column("x").between(0, 1, Bounds.OPEN)).failedRows());
            assertArrayEquals(new int[] {2}, validate(t, b -> b.column("x").between(0, 1, Bounds.CLOSED_OPEN)).failedRows());
            assertArrayEquals(new int[] {0}, validate(t, b -> b.column("x").between(0, 1, Bounds.OPEN_CLOSED)).failedRows());
        }

        @Test
        void oneSidedRanges() {
            Table t = Table.of(DoubleColumn.of("x", -1.0, 0.0, 1.0, Double.POSITIVE_INFINITY, Double.NaN));
            ValidationReport atLeast = validate(t, b -> b.column("x").atLeast(0));
            assertArrayEquals(new int[] {0, 4}, atLeast.failedRows());
            assertEquals("value -1.0 is not >= 0.0", atLeast.failures().get(0).message());
            assertEquals("x: range >= 0.0", atLeast.rules().get(0).description());

            assertArrayEquals(new int[] {0, 1, 4}, validate(t, b -> b.column("x").greaterThan(0)).failedRows());
            assertArrayEquals(new int[] {2, 3, 4}, validate(t, b -> b.column("x").atMost(0)).failedRows());
            assertArrayEquals(new int[] {1, 2, 3, 4}, validate(t, b -> b.column("x").lessThan(0)).failedRows());
            assertArrayEquals(new int[] {3, 4},
                    validate(t, b -> b.column("x").lessThan(Double.POSITIVE_INFINITY)).failedRows());
        }

        @Test
        void between_onLongColumn_comparesExactly_evenBeyondDoublePrecision() {
            long big = (1L << 53) + 1; // not representable as a double: (double) big == 2^53
            Table t = Table.of(LongColumn.ofBoxed("n", -1L, 0L, 10L, 11L, null, big, Long.MIN_VALUE, Long.MAX_VALUE));

            assertArrayEquals(new int[] {0, 3, 5, 6, 7}, validate(t, b -> b.column("n").between(0, 10)).failedRows());
            // 10.5 as an upper bound lets 10 through but not 11; an open 0 refuses 0
            assertArrayEquals(new int[] {0, 1, 3, 5, 6, 7},
                    validate(t, b -> b.column("n").between(0, 10.5, Bounds.OPEN)).failedRows());
            // (double) big rounds down to 2^53, so a rounding check would let big pass atMost(2^53)
            assertArrayEquals(new int[] {5, 7}, validate(t, b -> b.column("n").atMost(0x1p53)).failedRows());
            assertArrayEquals(new int[] {}, validate(t, b -> b.column("n").lessThan(0x1p63)).failedRows());
            // 2^63 - 1024 is the largest double below 2^63; only MAX_VALUE = 2^63 - 1 lies above it
            assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6},
                    validate(t, b -> b.column("n").greaterThan(0x1p63 - 1024)).failedRows());
            assertArrayEquals(new int[] {}, validate(t, b -> b.column("n").atMost(0x1p63)).failedRows());
            assertArrayEquals(new int[] {0, 1, 2, 3, 5, 7},
                    validate(t, b -> b.column("n").atMost(-0x1p63)).failedRows()); // only MIN_VALUE passes
            assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7},
                    validate(t, b -> b.column("n").lessThan(-0x1p63)).failedRows());
            assertEquals("value 11 is outside [0.0, 10.0]",
                    validate(t, b -> b.column("n").between(0, 10)).failures().get(1).message());
        }

        @Test
        void allowedValues_strings() {
            Table t = Table.of(StringColumn.of("label", "a", "b", "c", null, "a", "A"));
            ValidationReport r = validate(t, b -> b.column("label").allowedValues("a", "b"));

            assertEquals(List.of(
                    f("allowedValues", "label", 2, "c", "value \"c\" is not one of [a, b]"),
                    f("allowedValues", "label", 5, "A", "value \"A\" is not one of [a, b]")), r.failures());
            assertEquals("label: allowedValues [a, b]", r.rules().get(0).description());
        }

        @Test
        void allowedValues_longs() {
            Table t = Table.of(LongColumn.ofBoxed("k", 1L, 2L, 3L, null, 7L));
            ValidationReport r = validate(t, b -> b.column("k").allowedValues(3, 1, 2, 2));

            assertEquals(List.of(f("allowedValues", "k", 4, "7", "value 7 is not one of [1, 2, 3]")), r.failures());
            assertEquals("k: allowedValues [1, 2, 3]", r.rules().get(0).description());
        }

        @Test
        void allowedValues_longSetDescriptionIsAbbreviated() {
            Validator v = Expectations.builder().column("k").allowedValues(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).and().build();
            assertEquals(List.of("k: allowedValues [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... (12 values)]"), v.rules());
        }

        @Test
        void unique_reportsEveryRepeatAfterTheFirstOccurrence() {
            Table t = Table.of(LongColumn.ofBoxed("id", 7L, 8L, 7L, null, null, 7L, 9L, 8L));
            ValidationReport r = validate(t, b -> b.column("id").unique());

            assertEquals(List.of(
                    f("unique", "id", 2, "7", "value 7 already appears in row 0"),
                    f("unique", "id", 5, "7", "value 7 already appears in row 0"),
                    f("unique", "id", 7, "8", "value 8 already appears in row 1")), r.failures());
        }

        @Test
        void unique_onStrings_doubles_booleans_timestamps() {
            Table strings = Table.of(StringColumn.of("s", "x", "y", "x", null, null));
            assertEquals(List.of(f("unique", "s", 2, "x", "value \"x\" already appears in row 0")),
                    validate(strings, b -> b.column("s").unique()).failures());

            Table doubles = Table.of(DoubleColumn.of("d", 0.0, -0.0, Double.NaN, 1.5, Double.NaN, 0.0));
            ValidationReport d = validate(doubles, b -> b.column("d").unique());
            assertArrayEquals(new int[] {4, 5}, d.failedRows()); // NaN repeats NaN; -0.0 differs from 0.0
            assertEquals("value NaN already appears in row 2", d.failures().get(0).message());

            Table booleans = Table.of(BooleanColumn.ofBoxed("b", true, false, null, true));
            assertArrayEquals(new int[] {3}, validate(booleans, b -> b.column("b").unique()).failedRows());

            Instant t0 = Instant.parse("2024-03-01T12:00:00Z");
            Table times = Table.of(TimestampColumn.of("t", t0, t0.plusSeconds(1), t0));
            ValidationReport ts = validate(times, b -> b.column("t").unique());
            assertEquals(List.of(f("unique", "t", 2, "2024-03-01T12:00:00Z",
                    "value 2024-03-01T12:00:00Z already appears in row 0")), ts.failures());
        }

        @Test
        void matches_needsAFullMatch() {
            Table t = Table.of(StringColumn.of("code", "abc", "abc1", "xabc", null, "ab\nc"));
            ValidationReport r = validate(t, b -> b.column("code").matches("[a-z]+"));

            assertEquals(List.of(
                    f("matches", "code", 1, "abc1", "value \"abc1\" does not fully match [a-z]+"),
                    f("matches", "code", 4, "ab\nc", "value \"ab\\nc\" does not fully match [a-z]+")), r.failures());
            assertArrayEquals(new int[] {1, 4}, r.failedRows());
            assertArrayEquals(new int[] {1, 4},
                    validate(t, b -> b.column("code").matches(Pattern.compile("[a-z]+"))).failedRows());
        }

        @Test
        void rowCount_isTableLevel() {
            Table t = Table.of(DoubleColumn.of("x", 1, 2, 3));
            ValidationReport r = validate(t, b -> b.rowCount(5, 10));

            assertEquals(List.of(f("rowCount", null, -1, "3", "row count 3 is outside [5, 10]")), r.failures());
            assertArrayEquals(new int[0], r.failedRows());
            assertEquals(RuleResult.Scope.TABLE, r.rules().get(0).scope());
            assertTrue(validate(t, b -> b.rowCount(3, 3)).passed());
        }

        @Test
        void maxNullShare_isTableLevel_andAnEmptyTablePasses() {
            Table t = Table.of(StringColumn.of("s", "a", null, null, "b", "c"));
            ValidationReport r = validate(t, b -> b.column("s").maxNullShare(0.25));
            assertEquals(List.of(f("maxNullShare", "s", -1, "0.4", "null share 0.4 (2 of 5 rows) exceeds 0.25")),
                    r.failures());
            assertTrue(validate(t, b -> b.column("s").maxNullShare(0.4)).passed());

            Table empty = Table.of(StringColumn.of("s"));
            assertTrue(validate(empty, b -> b.column("s").maxNullShare(0.0)).passed());
        }

        @Test
        void satisfies_onRows_andOnTableAndIndex() {
            Table t = Table.of(DoubleColumn.of("w", 1, 2, 3), DoubleColumn.of("h", 5, 1, 1));
            ValidationReport byRow = validate(t, b -> b.satisfies("area at least 3", row -> row.getDouble("w") * row.getDouble("h") >= 3));
            assertEquals(List.of(f("area at least 3", null, 1, null, "row does not satisfy 'area at least 3'")),
                    byRow.failures());
            assertEquals("area at least 3", byRow.rules().get(0).description());

            ValidationReport byIndex = validate(t, b -> b.satisfies("w below h",
                    (table, i) -> table.doubleColumn("w").get(i) < table.doubleColumn("h").get(i)));
            assertArrayEquals(new int[] {1, 2}, byIndex.failedRows());
        }

        @Test
        void satisfies_predicateExceptionsPropagate() {
            Table t = Table.of(DoubleColumn.of("x", 1));
            IllegalStateException boom = new IllegalStateException("boom");
            Validator v = Expectations.builder().satisfies("explodes", row -> { throw boom; }).build();
            assertTrue(boom == assertThrows(IllegalStateException.class, () -> v.validate(t)));
        }

        @Test
        void ofType_passes_failsOnAnotherType_andOnAMissingColumn() {
            Table t = Table.of(StringColumn.of("x", "1"));
            assertTrue(validate(t, b -> b.column("x").ofType(ColumnType.STRING)).passed());

            ValidationReport wrong = validate(t, b -> b.column("x").ofType(ColumnType.DOUBLE));
            assertEquals(List.of(f("ofType", "x", -1, "STRING", "expected DOUBLE, found STRING")), wrong.failures());

            ValidationReport missing = validate(t, b -> b.column("y").ofType(ColumnType.DOUBLE));
            ValidationFailure m = missing.failures().get(0);
            assertNull(m.value());
            assertEquals("column 'y' not found. Available (1): 'x'", m.message());
        }
    }

    @Nested
    class BuilderChecks {

        @Test
        void badValues_areIllegalArguments_namingTheValue() {
            Expectations.ColumnExpectations c = Expectations.builder().column("x");
            assertEquals("range [5.0, 1.0] of column 'x' holds no value; give min < max, or min == max with closed bounds",
                    assertThrows(IllegalArgumentException.class, () -> c.between(5, 1)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.between(1, 1, Bounds.OPEN));
            assertThrows(IllegalArgumentException.class, () -> c.between(Double.NaN, 1));
            assertThrows(IllegalArgumentException.class, () -> c.atLeast(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> c.maxNullShare(1.5));
            assertThrows(IllegalArgumentException.class, () -> c.maxNullShare(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> c.allowedValues(new String[0]));
            assertThrows(IllegalArgumentException.class, () -> c.allowedValues(new long[0]));
            assertThrows(NullPointerException.class, () -> c.allowedValues("a", null));
            IllegalArgumentException regex = assertThrows(IllegalArgumentException.class, () -> c.matches("[a-"));
            assertTrue(regex.getMessage().startsWith("matches: invalid regex \"[a-\" for column 'x'"), regex.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Expectations.builder().rowCount(5, 1));
            assertThrows(IllegalArgumentException.class, () -> Expectations.builder().rowCount(-1, 1));
            assertThrows(IllegalArgumentException.class, () -> Expectations.builder().maxStoredFailuresPerRule(-1));
            assertThrows(IllegalArgumentException.class, () -> Expectations.builder().column(""));
            assertThrows(IllegalArgumentException.class, () -> Expectations.builder().satisfies(" ", row -> true));
        }

        @Test
        void sameRuleTwice_isIllegalState() {
            Expectations.ColumnExpectations c = Expectations.builder().column("x").notNull();
            assertEquals("rule 'x: notNull' is declared twice; remove one",
                    assertThrows(IllegalStateException.class, c::notNull).getMessage());
            Expectations.Builder b = Expectations.builder().satisfies("n", row -> true);
            assertThrows(IllegalStateException.class, () -> b.satisfies("n", (t, i) -> true));
        }

        @Test
        void ruleOfTheWrongKindForTheDeclaredType_isIllegalState_inEitherOrder() {
            IllegalStateException after = assertThrows(IllegalStateException.class,
                    () -> Expectations.builder().column("s").ofType(ColumnType.STRING).between(0, 1));
            assertEquals("rule 's: range [0.0, 1.0]' needs a DOUBLE or LONG column but column 's' is declared "
                    + "ofType(STRING); ranges apply to numbers; check text with allowedValues or matches, or convert "
                    + "the column to numbers", after.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> Expectations.builder().column("s").between(0, 1).ofType(ColumnType.STRING));
            assertThrows(IllegalStateException.class,
                    () -> Expectations.builder().column("s").ofType(ColumnType.STRING).ofType(ColumnType.LONG));
            assertThrows(IllegalStateException.class,
                    () -> Expectations.builder().column("k").ofType(ColumnType.LONG).allowedValues("a"));
        }

        @Test
        void withASchema_unknownColumnsAndWrongKinds_failInTheBuilder() {
            Schema schema = Schema.builder().add("radius", ColumnType.DOUBLE).add("label", ColumnType.STRING).build();
            ColumnNotFoundException missing = assertThrows(ColumnNotFoundException.class,
                    () -> Expectations.builder(schema).column("radus"));
            assertEquals("column 'radus' not found; did you mean 'radius'? Available (2): 'radius', 'label'",
                    missing.getMessage());

            SchemaMismatchException kind = assertThrows(SchemaMismatchException.class,
                    () -> Expectations.builder(schema).column("label").between(0, 1));
            assertEquals("schema mismatch at column 'label': expected a DOUBLE or LONG column for rule "
                    + "'label: range [0.0, 1.0]', found STRING. Fix: ranges apply to numbers; check text with "
                    + "allowedValues or matches, or convert the column to numbers", kind.getMessage());

            SchemaMismatchException longs = assertThrows(SchemaMismatchException.class,
                    () -> Expectations.builder(schema).column("label").allowedValues(1L, 2L));
            assertTrue(longs.getMessage().endsWith("Fix: for a STRING column give the allowed values as strings: "
                    + "allowedValues(\"a\", \"b\")"), longs.getMessage());

            assertThrows(IllegalStateException.class,
                    () -> Expectations.builder(schema).column("radius").ofType(ColumnType.LONG));
            Validator ok = Expectations.builder(schema).column("radius").ofType(ColumnType.DOUBLE).atLeast(0).and().build();
            assertEquals(List.of("radius: ofType DOUBLE", "radius: range >= 0.0"), ok.rules());
        }

        @Test
        void builderStaysUsable_andToBuilderDerivesAVariant() {
            Expectations.Builder b = Expectations.builder().column("x").notNull().and();
            Validator first = b.build();
            b.column("x").unique();
            Validator second = b.build();
            Validator third = second.toBuilder().rowCount(1, 2).build();

            assertEquals(List.of("x: notNull"), first.rules());
            assertEquals(List.of("x: notNull", "x: unique"), second.rules());
            assertEquals(List.of("x: notNull", "x: unique", "rowCount [1, 2]"), third.rules());
        }
    }

    private static ValidationReport validate(Table t, java.util.function.Function<Expectations.Builder, Object> rules) {
        Expectations.Builder b = Expectations.builder();
        Object r = rules.apply(b);
        Expectations.Builder back = r instanceof Expectations.ColumnExpectations c ? c.and() : (Expectations.Builder) r;
        ValidationReport report = back.build().validate(t);
        assertFalse(report.rules().isEmpty());
        return report;
    }
}
