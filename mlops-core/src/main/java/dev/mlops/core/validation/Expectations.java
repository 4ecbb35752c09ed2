package dev.mlops.core.validation;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Row;
import dev.mlops.core.table.Schema;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Declares what a {@link dev.mlops.core.table.Table} must satisfy and builds the {@link Validator} that checks
 * it. This class is the manual for data validation.
 *
 * <pre>{@code
 * Validator v = Expectations.builder()
 *         .column("radius").notNull().between(0.0, 100.0).and()
 *         .column("label").allowedValues("a", "b").and()
 *         .column("id").ofType(ColumnType.LONG).unique().and()
 *         .rowCount(1, 1_000_000)
 *         .satisfies("area below 1000", row -> row.getDouble("area") < 1000)
 *         .build();
 *
 * ValidationReport report = v.validate(table);      // every failure, never throws for bad data
 * v.validateOrThrow(table);                         // ValidationException with the summary if anything fails
 * SplitResult split = v.split(table);               // passing rows, failing rows, report
 * Table clean = v.quarantine(table, Path.of("rejects.csv")); // failing rows to a CSV with reasons
 * }</pre>
 *
 * <h2>Rules</h2>
 * <table>
 *   <caption>Rules, the column types they apply to, and their scope</caption>
 *   <tr><th>rule</th><th>column types</th><th>fails</th></tr>
 *   <tr><td>{@code notNull()}</td><td>any</td><td>each null cell</td></tr>
 *   <tr><td>{@code ofType(type)}</td><td>any</td><td>the table, once, if the column is missing or of another
 *       type</td></tr>
 *   <tr><td>{@code between(min, max)}, {@code between(min, max, bounds)}, {@code atLeast}, {@code greaterThan},
 *       {@code atMost}, {@code lessThan}</td><td>DOUBLE, LONG</td><td>each value outside the range; NaN is in
 *       no range and always fails</td></tr>
 *   <tr><td>{@code allowedValues(String...)}</td><td>STRING</td><td>each value not in the set</td></tr>
 *   <tr><td>{@code allowedValues(long...)}</td><td>LONG</td><td>each value not in the set</td></tr>
 *   <tr><td>{@code unique()}</td><td>any</td><td>each row whose value appeared in an earlier row</td></tr>
 *   <tr><td>{@code matches(regex)}</td><td>STRING</td><td>each value the pattern does not match in full</td></tr>
 *   <tr><td>{@code maxNullShare(share)}</td><td>any</td><td>the table, once, if more than {@code share} of the
 *       column's cells are null</td></tr>
 *   <tr><td>{@code rowCount(min, max)}</td><td>(table)</td><td>the table, once, if its row count is outside
 *       {@code [min, max]}</td></tr>
 *   <tr><td>{@code satisfies(name, predicate)}</td><td>(rows)</td><td>each row the predicate rejects</td></tr>
 * </table>
 *
 * <p><b>Nulls</b> pass every rule except {@code notNull} and {@code maxNullShare}: a range, an allowed set, a
 * pattern or uniqueness says nothing about a missing value. Add {@code notNull()} to forbid them. <b>NaN</b> is
 * a value, not a null: it fails every range (also an unbounded one such as {@code atLeast(0)}), and for
 * {@code unique} it repeats an earlier NaN. Doubles are compared as {@link Double#equals} does, so
 * {@code 0.0} and {@code -0.0} are different values. Infinities are ordinary values: {@code atLeast(0)} accepts
 * {@code +Infinity}; {@code lessThan(Double.POSITIVE_INFINITY)} refuses it. On LONG columns the double bounds
 * are compared exactly, without rounding the cells to doubles.
 *
 * <p><b>Custom rules.</b> {@code satisfies(name, Predicate<Row>)} reads cells by name through a
 * {@link Row}; {@code satisfies(name, RowPredicate)} gets the table and a row index, which allocates nothing
 * per row. The name identifies the rule in reports and quarantine files. An exception thrown by a predicate
 * is not a failure of the row: it propagates out of the validation call unchanged. Predicates are called from
 * the thread that validates and must be thread-safe if one validator is used from several threads.
 *
 * <h2>Errors in the rules themselves</h2>
 * Builder methods fail fast: {@link IllegalArgumentException} for a bad value ({@code between(5, 1)}, a NaN
 * bound, a share outside [0, 1], an invalid regex, an empty set), {@link IllegalStateException} for a
 * conflicting declaration (the same rule twice, a rule of the wrong kind for the column's declared
 * {@code ofType}, two types for one column). A rule on a column the table does not have fails with a
 * {@link dev.mlops.core.ColumnNotFoundException} listing the table's columns, and a rule of the wrong kind
 * for the column's type ({@code between} on a STRING column) with a {@link dev.mlops.core.SchemaMismatchException}
 * naming the rule, the type it needs and the fix: at validation time, before any rule runs and before
 * anything is written, or already in the builder when it was given a {@link Schema} through
 * {@link #builder(Schema)}.
 *
 * <p>Declaring {@code ofType} turns those errors about the data into failures in the report: if the column is
 * missing or has another type, the {@code ofType} rule fails (a table-level failure) and the column's other
 * rules are {@link RuleResult.Status#SKIPPED skipped}. Use it for data you do not control.
 *
 * <h2>Reports</h2>
 * A {@link ValidationReport} lists every rule with its exact failure count and every failing row index
 * (compact {@code int} arrays), but stores the failure details (value and message) for at most
 * {@link Builder#maxStoredFailuresPerRule(int)} failures per rule, 1,000 by default, so that a column with
 * millions of bad cells does not produce millions of strings. Row-level rules scan unboxed cells; STRING
 * rules test each distinct value once and then compare dictionary codes.
 *
 * <h2>Modes</h2>
 * See {@link Validator}: {@code validate}, {@code validateOrThrow}, {@code split} and {@code quarantine}, and
 * what each does when a table-level rule (row count, null share, type) fails.
 *
 * <p>Builders are not thread-safe; built validators are immutable and thread-safe.
 */
public final class Expectations {

    /** The default of {@link Builder#maxStoredFailuresPerRule(int)}. */
    public static final int DEFAULT_MAX_STORED_FAILURES_PER_RULE = 1_000;

    private Expectations() {
    }

    /** A builder whose rules are checked against each table's schema when it is validated. */
    public static Builder builder() {
        return new ExpectationsBuilder(null);
    }

    /**
     * A builder that checks each rule against {@code schema} as it is declared: a rule on a column the schema
     * lacks, or of the wrong kind for its type, fails in the builder. Tables are still checked at validation
     * time, since they may not follow the schema.
     */
    public static Builder builder(Schema schema) {
        return new ExpectationsBuilder(java.util.Objects.requireNonNull(schema, "schema"));
    }

    /** Declares rules on columns, rows and the table; {@link #build()} makes the validator. */
    public interface Builder {

        /** Starts or continues the rules of column {@code name}; {@link ColumnExpectations#and()} comes back. */
        ColumnExpectations column(String name);

        /** The table has between {@code min} and {@code max} rows, inclusive. A table-level rule. */
        Builder rowCount(int min, int max);

        /** Each row passes {@code predicate}; the rule is called {@code name} in reports. */
        Builder satisfies(String name, Predicate<Row> predicate);

        /** Each row passes {@code predicate}, given the table and a row index; called {@code name} in reports. */
        Builder satisfies(String name, RowPredicate predicate);

        /**
         * Stores the value and message of at most {@code limit} failures per rule (default
         * {@value Expectations#DEFAULT_MAX_STORED_FAILURES_PER_RULE}); counts and failing row indexes stay
         * exact. 0 stores none.
         */
        Builder maxStoredFailuresPerRule(int limit);

        /** An immutable, thread-safe validator of the rules declared so far; the builder stays usable. */
        Validator build();
    }

    /** Declares rules on one column; each returns this, {@link #and()} returns to the builder. */
    public interface ColumnExpectations {

        /** No cell is null. */
        ColumnExpectations notNull();

        /**
         * The column exists and has {@code type}. If not, this rule fails once for the table and the column's
         * other rules are skipped instead of raising an error.
         */
        ColumnExpectations ofType(ColumnType type);

        /** Every non-null value lies in {@code [min, max]}; NaN fails. */
        ColumnExpectations between(double min, double max);

        /** Every non-null value lies between {@code min} and {@code max}, the ends included per {@code bounds}; NaN fails. */
        ColumnExpectations between(double min, double max, Bounds bounds);

        /** Every non-null value is {@code >= min}; NaN fails. */
        ColumnExpectations atLeast(double min);

        /** Every non-null value is {@code > min}; NaN fails. */
        ColumnExpectations greaterThan(double min);

        /** Every non-null value is {@code <= max}; NaN fails. */
        ColumnExpectations atMost(double max);

        /** Every non-null value is {@code < max}; NaN fails. */
        ColumnExpectations lessThan(double max);

        /** Every non-null value of this STRING column is one of {@code values}. */
        ColumnExpectations allowedValues(String... values);

        /** Every non-null value of this LONG column is one of {@code values}. */
        ColumnExpectations allowedValues(long... values);

        /** No non-null value repeats: every row holding a value seen in an earlier row fails. */
        ColumnExpectations unique();

        /** Every non-null value of this STRING column matches {@code regex} in full ({@link java.util.regex.Matcher#matches()}). */
        ColumnExpectations matches(String regex);

        /** Every non-null value of this STRING column matches {@code pattern} in full. */
        ColumnExpectations matches(Pattern pattern);

        /**
         * At most {@code share} (0 to 1) of the column's cells are null. A table-level rule: an empty table
         * passes.
         */
        ColumnExpectations maxNullShare(double share);

        /** Back to the builder, to declare other columns or table rules. */
        Builder and();
    }
}
