package dev.mlops.core.validation;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One expectation, immutable and thread-safe. A rule either judges each row ({@link RowRule}: the hot loops
 * read unboxed cells and collect failing row indexes in an {@code int} list; text for a failure is made only
 * for the failures the report stores) or the table as a whole ({@link TableRule}).
 */
abstract class Rule {

    /** The rule's name, e.g. {@code range}; for a custom rule the name given to {@code satisfies}. */
    final String name;
    /** The checked column, or {@code null} for rules on whole rows or the whole table. */
    final String column;
    /** The name with its parameters, unique within a validator: {@code radius: range [0.0, 100.0]}. */
    final String description;

    Rule(String name, String column, String description) {
        this.name = name;
        this.column = column;
        this.description = description;
    }

    abstract RuleResult.Scope scope();

    /** Whether the rule can check a column of {@code type}. */
    boolean accepts(ColumnType type) {
        return true;
    }

    /** The column kinds the rule needs, for error messages: {@code a DOUBLE or LONG column}. */
    String needs() {
        return "any column";
    }

    /** How to fix a rule put on a column of the wrong kind. */
    String kindFix(ColumnType actual) {
        return "remove the rule or put it on another column";
    }

    /** The error for this rule on a column of type {@code actual}, which it does not accept. */
    final SchemaMismatchException kindMismatch(ColumnType actual) {
        return new SchemaMismatchException(column, needs() + " for rule '" + description + "'", actual.toString(),
                kindFix(actual));
    }

    /**
     * Checks {@code table}, whose column (if the rule has one) exists and is of an accepted kind, and
     * describes at most {@code maxStored} failures.
     */
    abstract Outcome evaluate(Table table, int maxStored);

    @Override
    public String toString() {
        return description;
    }

    /** What a rule found: every failing row (row-level rules), the exact count, and the stored failures. */
    record Outcome(int[] rows, int count, List<ValidationFailure> stored) {
    }

    /** A rule that judges each row on its own. */
    abstract static class RowRule extends Rule {

        RowRule(String name, String column, String description) {
            super(name, column, description);
        }

        @Override
        final RuleResult.Scope scope() {
            return RuleResult.Scope.ROW;
        }

        @Override
        final Outcome evaluate(Table table, int maxStored) {
            Column c = column == null ? null : table.column(column);
            IntList failing = new IntList();
            Describer describer = scan(table, c, failing);
            int[] rows = failing.toArray();
            int n = Math.min(maxStored, rows.length);
            List<ValidationFailure> stored = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String value = describer.value(rows[i]);
                stored.add(new ValidationFailure(name, column, rows[i], value, describer.message(rows[i], value)));
            }
            return new Outcome(rows, rows.length, stored);
        }

        /**
         * Adds every failing row of {@code table} to {@code failing}, in ascending order, and returns what
         * describes a failing row afterwards.
         *
         * @param column the rule's column, or {@code null} for a rule on whole rows
         */
        abstract Describer scan(Table table, Column column, IntList failing);
    }

    /** Describes a failing row found by {@link RowRule#scan}; called only for the failures that are stored. */
    interface Describer {

        /** The offending value as text, or {@code null}. */
        String value(int row);

        /** What is wrong with {@code row}, whose {@link #value} is {@code value}. */
        String message(int row, String value);
    }

    /** A describer whose value is the cell of {@code column} and whose message depends on that value only. */
    static Describer cells(Column column, java.util.function.UnaryOperator<String> message) {
        return new Describer() {
            @Override
            public String value(int row) {
                return Text.cell(column, row);
            }

            @Override
            public String message(int row, String value) {
                return message.apply(value);
            }
        };
    }

    /** A rule on the table as a whole: it fails at most once and no row is at fault. */
    abstract static class TableRule extends Rule {

        TableRule(String name, String column, String description) {
            super(name, column, description);
        }

        @Override
        final RuleResult.Scope scope() {
            return RuleResult.Scope.TABLE;
        }

        @Override
        final Outcome evaluate(Table table, int maxStored) {
            ValidationFailure f = check(table);
            if (f == null) {
                return new Outcome(new int[0], 0, List.of());
            }
            return new Outcome(new int[0], 1, maxStored > 0 ? List.of(f) : List.of());
        }

        /** The failure, or {@code null} if the table passes. */
        abstract ValidationFailure check(Table table);

        final ValidationFailure failure(String value, String message) {
            return new ValidationFailure(name, column, -1, value, message);
        }
    }

    // ---------------------------------------------------------------------------------------------- row rules

    /** No null cells. */
    static final class NotNull extends RowRule {

        NotNull(String column) {
            super("notNull", column, column + ": notNull");
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            if (c.nullCount() > 0) {
                for (int i = 0, n = c.size(); i < n; i++) {
                    if (c.isNull(i)) {
                        failing.add(i);
                    }
                }
            }
            return cells(c, v -> "value is null");
        }
    }

    /** Non-null numeric cells within a range; NaN is in no range. */
    static final class Range extends RowRule {

        private final double min;
        private final double max;
        private final Bounds bounds;
        private final String range;
        private final boolean twoSided;

        Range(String column, double min, double max, Bounds bounds) {
            this(column, min, max, bounds, text(min, max, bounds));
        }

        private Range(String column, double min, double max, Bounds bounds, String range) {
            super("range", column, column + ": range " + range);
            this.min = min;
            this.max = max;
            this.bounds = bounds;
            this.range = range;
            this.twoSided = range.startsWith("[") || range.startsWith("(");
        }

        /** {@code [0.0, 100.0]}, or {@code >= 0.0} when the upper end is an included +infinity, etc. */
        private static String text(double min, double max, Bounds bounds) {
            boolean noMin = min == Double.NEGATIVE_INFINITY && bounds.minInclusive();
            boolean noMax = max == Double.POSITIVE_INFINITY && bounds.maxInclusive();
            if (noMax && !noMin) {
                return (bounds.minInclusive() ? ">= " : "> ") + min;
            }
            if (noMin && !noMax) {
                return (bounds.maxInclusive() ? "<= " : "< ") + max;
            }
            return bounds.format(min, max);
        }

        @Override
        boolean accepts(ColumnType type) {
            return type == ColumnType.DOUBLE || type == ColumnType.LONG;
        }

        @Override
        String needs() {
            return "a DOUBLE or LONG column";
        }

        @Override
        String kindFix(ColumnType actual) {
            return switch (actual) {
                case STRING -> "ranges apply to numbers; check text with allowedValues or matches, or convert the column to numbers";
                case TIMESTAMP -> "ranges apply to numbers; check timestamps with satisfies(...), e.g. on TimestampColumn.epochMicros";
                default -> "ranges apply to numbers; check " + actual + " columns with satisfies(...) or convert the column";
            };
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            switch (c) {
                case DoubleColumn d -> scanDoubles(d, failing);
                case LongColumn l -> scanLongs(l, failing);
                default -> throw kindMismatch(c.type());
            }
            return cells(c, v -> "value " + v + (twoSided ? " is outside " : " is not ") + range
                    + (v.equals("NaN") ? " (NaN is in no range)" : ""));
        }

        private void scanDoubles(DoubleColumn d, IntList failing) {
            double lo = min;
            double hi = max;
            boolean loIn = bounds.minInclusive();
            boolean hiIn = bounds.maxInclusive();
            boolean nulls = d.nullCount() > 0;
            for (int i = 0, n = d.size(); i < n; i++) {
                if (nulls && d.isNull(i)) {
                    continue;
                }
                double v = d.get(i);
                // every comparison with NaN is false, so NaN fails
                boolean ok = (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi);
                if (!ok) {
                    failing.add(i);
                }
            }
        }

        private void scanLongs(LongColumn l, IntList failing) {
            // the double bounds as the smallest and largest longs in range: exact, no cell is rounded
            Long lowest = smallestLongAbove(min, bounds.minInclusive());
            Long highest = largestLongBelow(max, bounds.maxInclusive());
            boolean empty = lowest == null || highest == null || lowest > highest;
            long lo = empty ? 0 : lowest;
            long hi = empty ? 0 : highest;
            boolean nulls = l.nullCount() > 0;
            for (int i = 0, n = l.size(); i < n; i++) {
                if (nulls && l.isNull(i)) {
                    continue;
                }
                long v = l.get(i);
                if (empty || v < lo || v > hi) {
                    failing.add(i);
                }
            }
        }

        private static final double TWO_63 = 0x1p63;

        /** The smallest long {@code >= bound} (or {@code > bound} when not inclusive), or {@code null} if none. */
        static Long smallestLongAbove(double bound, boolean inclusive) {
            if (bound >= TWO_63) {
                return null;
            }
            if (bound < -TWO_63) {
                return Long.MIN_VALUE;
            }
            double f = Math.floor(bound); // an integer in [-2^63, 2^63 - 1024]: exact as a long
            long lf = (long) f;
            return inclusive && f == bound ? lf : lf + 1; // lf < 2^63 - 1, so lf + 1 does not overflow
        }

        /** The largest long {@code <= bound} (or {@code < bound} when not inclusive), or {@code null} if none. */
        static Long largestLongBelow(double bound, boolean inclusive) {
            if (bound < -TWO_63) {
                return null;
            }
            if (bound >= TWO_63) {
                return Long.MAX_VALUE;
            }
            double c = Math.ceil(bound); // an integer in [-2^63, 2^63 - 1024]: exact as a long
            long lc = (long) c;
            if (inclusive && c == bound) {
                return lc;
            }
            return lc == Long.MIN_VALUE ? null : lc - 1;
        }
    }

    /** Non-null STRING cells from a fixed set; checked once per dictionary entry, then per row by code. */
    static final class AllowedStrings extends RowRule {

        private final Set<String> allowed;

        AllowedStrings(String column, Set<String> allowed) {
            super("allowedValues", column, column + ": allowedValues " + Text.list(allowed));
            this.allowed = Collections.unmodifiableSet(new LinkedHashSet<>(allowed));
        }

        @Override
        boolean accepts(ColumnType type) {
            return type == ColumnType.STRING;
        }

        @Override
        String needs() {
            return "a STRING column";
        }

        @Override
        String kindFix(ColumnType actual) {
            return actual == ColumnType.LONG
                    ? "for a LONG column give the allowed values as longs: allowedValues(1L, 2L)"
                    : "allowed values apply to STRING and LONG columns; use a range or satisfies(...) for " + actual;
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            StringColumn s = (StringColumn) c;
            List<String> dictionary = s.dictionary();
            boolean[] ok = new boolean[dictionary.size()];
            for (int k = 0; k < ok.length; k++) {
                ok[k] = allowed.contains(dictionary.get(k));
            }
            for (int i = 0, n = s.size(); i < n; i++) {
                int code = s.code(i);
                if (code >= 0 && !ok[code]) {
                    failing.add(i);
                }
            }
            String list = Text.list(allowed);
            return cells(c, v -> "value " + Text.quote(v) + " is not one of " + list);
        }
    }

    /** Non-null LONG cells from a fixed set; a binary search per cell, no boxing. */
    static final class AllowedLongs extends RowRule {

        private final long[] allowed; // sorted, distinct

        AllowedLongs(String column, long[] sortedDistinct) {
            super("allowedValues", column, column + ": allowedValues " + Text.list(boxed(sortedDistinct)));
            this.allowed = sortedDistinct;
        }

        private static List<Long> boxed(long[] values) {
            return Arrays.stream(values).boxed().toList();
        }

        @Override
        boolean accepts(ColumnType type) {
            return type == ColumnType.LONG;
        }

        @Override
        String needs() {
            return "a LONG column";
        }

        @Override
        String kindFix(ColumnType actual) {
            return actual == ColumnType.STRING
                    ? "for a STRING column give the allowed values as strings: allowedValues(\"a\", \"b\")"
                    : "allowed values apply to STRING and LONG columns; use a range or satisfies(...) for " + actual;
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            LongColumn l = (LongColumn) c;
            boolean nulls = l.nullCount() > 0;
            for (int i = 0, n = l.size(); i < n; i++) {
                if (nulls && l.isNull(i)) {
                    continue;
                }
                if (Arrays.binarySearch(allowed, l.get(i)) < 0) {
                    failing.add(i);
                }
            }
            String list = Text.list(boxed(allowed));
            return cells(c, v -> "value " + v + " is not one of " + list);
        }
    }

    /**
     * No repeated non-null value: every row whose value appeared in an earlier row fails. Doubles compare as
     * {@link Double#equals} does: {@code NaN} repeats {@code NaN}, {@code 0.0} and {@code -0.0} differ.
     */
    static final class Unique extends RowRule {

        Unique(String column) {
            super("unique", column, column + ": unique");
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            int n = c.size();
            boolean nulls = c.nullCount() > 0;
            return switch (c) {
                case StringColumn s -> {
                    int[] first = new int[s.cardinality()];
                    Arrays.fill(first, -1);
                    for (int i = 0; i < n; i++) {
                        int code = s.code(i);
                        if (code < 0) {
                            continue;
                        }
                        if (first[code] < 0) {
                            first[code] = i;
                        } else {
                            failing.add(i);
                        }
                    }
                    yield repeats(c, row -> first[s.code(row)], true);
                }
                case BooleanColumn b -> {
                    int[] first = {-1, -1};
                    for (int i = 0; i < n; i++) {
                        if (nulls && b.isNull(i)) {
                            continue;
                        }
                        int k = b.get(i) ? 1 : 0;
                        if (first[k] < 0) {
                            first[k] = i;
                        } else {
                            failing.add(i);
                        }
                    }
                    yield repeats(c, row -> first[b.get(row) ? 1 : 0], false);
                }
                case DoubleColumn d -> {
                    LongIntHashMap first = new LongIntHashMap(n - d.nullCount());
                    for (int i = 0; i < n; i++) {
                        if (!(nulls && d.isNull(i)) && first.putIfAbsent(Double.doubleToLongBits(d.get(i)), i) >= 0) {
                            failing.add(i);
                        }
                    }
                    yield repeats(c, row -> first.get(Double.doubleToLongBits(d.get(row))), false);
                }
                case LongColumn l -> {
                    LongIntHashMap first = new LongIntHashMap(n - l.nullCount());
                    for (int i = 0; i < n; i++) {
                        if (!(nulls && l.isNull(i)) && first.putIfAbsent(l.get(i), i) >= 0) {
                            failing.add(i);
                        }
                    }
                    yield repeats(c, row -> first.get(l.get(row)), false);
                }
                case TimestampColumn t -> {
                    LongIntHashMap first = new LongIntHashMap(n - t.nullCount());
                    for (int i = 0; i < n; i++) {
                        if (!(nulls && t.isNull(i)) && first.putIfAbsent(t.epochMicros(i), i) >= 0) {
                            failing.add(i);
                        }
                    }
                    yield repeats(c, row -> first.get(t.epochMicros(row)), false);
                }
            };
        }

        private static Describer repeats(Column c, java.util.function.IntUnaryOperator firstRow, boolean quote) {
            return new Describer() {
                @Override
                public String value(int row) {
                    return Text.cell(c, row);
                }

                @Override
                public String message(int row, String value) {
                    return "value " + (quote ? Text.quote(value) : value) + " already appears in row "
                            + firstRow.applyAsInt(row);
                }
            };
        }
    }

    /** Non-null STRING cells that fully match a pattern; matched once per dictionary entry. */
    static final class Matches extends RowRule {

        private final Pattern pattern;

        Matches(String column, Pattern pattern) {
            super("matches", column, column + ": matches " + pattern.pattern());
            this.pattern = pattern;
        }

        @Override
        boolean accepts(ColumnType type) {
            return type == ColumnType.STRING;
        }

        @Override
        String needs() {
            return "a STRING column";
        }

        @Override
        String kindFix(ColumnType actual) {
            return "patterns apply to text; use a range, allowedValues or satisfies(...) for " + actual + " columns";
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            StringColumn s = (StringColumn) c;
            List<String> dictionary = s.dictionary();
            boolean[] ok = new boolean[dictionary.size()];
            for (int k = 0; k < ok.length; k++) {
                ok[k] = pattern.matcher(dictionary.get(k)).matches();
            }
            for (int i = 0, n = s.size(); i < n; i++) {
                int code = s.code(i);
                if (code >= 0 && !ok[code]) {
                    failing.add(i);
                }
            }
            return cells(c, v -> "value " + Text.quote(v) + " does not fully match " + pattern.pattern());
        }
    }

    /** A named custom test of whole rows. */
    static final class Satisfies extends RowRule {

        private final RowPredicate predicate;

        Satisfies(String name, RowPredicate predicate) {
            super(name, null, name);
            this.predicate = Objects.requireNonNull(predicate, "predicate");
        }

        @Override
        Describer scan(Table table, Column c, IntList failing) {
            for (int i = 0, n = table.rowCount(); i < n; i++) {
                if (!predicate.test(table, i)) {
                    failing.add(i);
                }
            }
            return new Describer() {
                @Override
                public String value(int row) {
                    return null;
                }

                @Override
                public String message(int row, String value) {
                    return "row does not satisfy '" + name + "'";
                }
            };
        }
    }

    // -------------------------------------------------------------------------------------------- table rules

    /** The column exists and has a type; a failure skips the column's other rules. */
    static final class OfType extends TableRule {

        final ColumnType type;

        OfType(String column, ColumnType type) {
            super("ofType", column, column + ": ofType " + type);
            this.type = type;
        }

        @Override
        ValidationFailure check(Table table) {
            int position = table.schema().indexOf(column);
            if (position < 0) {
                return failure(null, new ColumnNotFoundException(column, table.schema().names()).getMessage());
            }
            ColumnType actual = table.schema().field(position).type();
            return actual == type ? null : failure(actual.toString(), "expected " + type + ", found " + actual);
        }
    }

    /** The table's row count within inclusive bounds. */
    static final class RowCount extends TableRule {

        private final int min;
        private final int max;

        RowCount(int min, int max) {
            super("rowCount", null, "rowCount [" + min + ", " + max + "]");
            this.min = min;
            this.max = max;
        }

        @Override
        ValidationFailure check(Table table) {
            int n = table.rowCount();
            return n >= min && n <= max ? null
                    : failure(Integer.toString(n), "row count " + n + " is outside [" + min + ", " + max + "]");
        }
    }

    /** At most a share of the column's cells null; an empty table passes. */
    static final class MaxNullShare extends TableRule {

        private final double maxShare;

        MaxNullShare(String column, double maxShare) {
            super("maxNullShare", column, column + ": maxNullShare " + maxShare);
            this.maxShare = maxShare;
        }

        @Override
        ValidationFailure check(Table table) {
            int rows = table.rowCount();
            int nulls = table.column(column).nullCount();
            double share = rows == 0 ? 0.0 : (double) nulls / rows;
            return share <= maxShare ? null : failure(Double.toString(share),
                    "null share " + share + " (" + nulls + " of " + rows + " rows) exceeds " + maxShare);
        }
    }
}
