package dev.mlops.core.validation;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one rule on one table: whether it passed, how often it failed (exact, however many
 * failure messages the report stores) and, for row-level rules, every failing row.
 *
 * @param rule         the rule's name, as in {@link ValidationFailure#rule()}
 * @param column       the column the rule checks, or {@code null}
 * @param description  the rule with its parameters, unique within a validator, e.g.
 *                     {@code radius: range [0.0, 100.0]}; quarantine files list it as the reason
 * @param scope        whether the rule judges single rows or the table as a whole
 * @param status       passed, failed, or skipped because the column failed its {@code ofType} rule
 * @param failureCount the exact number of failures: failing rows for a row-level rule, 0 or 1 for a
 *                     table-level rule
 * @param rows         every failing row index, ascending; empty for table-level rules
 */
public record RuleResult(String rule, String column, String description, Scope scope, Status status,
                         int failureCount, int[] rows) {

    /** Whether a rule judges single rows or the table as a whole. */
    public enum Scope {
        /** Each row passes or fails on its own; failing rows can be split off or quarantined. */
        ROW,
        /** The table passes or fails as a whole (row count, null share, column type); no row is at fault. */
        TABLE
    }

    /** What happened to a rule. */
    public enum Status {
        PASSED,
        FAILED,
        /** Not evaluated: the column is missing or has another type than its {@code ofType} rule declares. */
        SKIPPED
    }

    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        rows = rows == null ? new int[0] : rows.clone();
        if (failureCount < 0) {
            throw new IllegalArgumentException("failureCount must be >= 0 but was " + failureCount + " (rule '" + description + "')");
        }
        if ((status == Status.FAILED) != (failureCount > 0)) {
            throw new IllegalArgumentException("rule '" + description + "' has status " + status + " but failureCount "
                    + failureCount + "; FAILED goes with a positive count, PASSED and SKIPPED with 0");
        }
        if (scope == Scope.ROW ? rows.length != failureCount : rows.length != 0 || failureCount > 1) {
            throw new IllegalArgumentException("rule '" + description + "' (" + scope + ") has failureCount " + failureCount
                    + " and " + rows.length + " rows; a ROW rule lists one row per failure, a TABLE rule no rows and"
                    + " at most one failure");
        }
        if (rows.length > 0 && rows[0] < 0) {
            throw new IllegalArgumentException("rule '" + description + "': rows must be >= 0 but the first is " + rows[0]);
        }
        for (int i = 1; i < rows.length; i++) {
            if (rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rule '" + description + "': rows must be distinct and ascending, but "
                        + rows[i - 1] + " is followed by " + rows[i]);
            }
        }
    }

    /** Whether the rule failed. */
    public boolean failed() {
        return status == Status.FAILED;
    }

    /** A copy of the failing row indexes, ascending. */
    @Override
    public int[] rows() {
        return rows.clone();
    }

    /** The failing rows without a copy, for this package only: callers must not modify it. */
    int[] sharedRows() {
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleResult r && r.rule.equals(rule) && Objects.equals(r.column, column)
                && r.description.equals(description) && r.scope == scope && r.status == status
                && r.failureCount == failureCount && Arrays.equals(r.rows, rows);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, column, description, scope, status, failureCount) * 31 + Arrays.hashCode(rows);
    }

    /** For example {@code FAILED radius: range [0.0, 100.0] (2 failures)}. */
    @Override
    public String toString() {
        return status + " " + description + (failureCount > 0 ? " (" + Text.plural(failureCount, "failure") + ")" : "");
    }
}
