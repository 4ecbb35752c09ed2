package dev.mlops.core.validation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mlops.core.NotFoundException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Validator} found in one table: every rule with its status, exact failure count and failing
 * rows, and the details (value, message) of the failures, at most
 * {@link #maxStoredFailuresPerRule()} per rule. Immutable and thread-safe.
 *
 * <p>Counts and row indexes are always exact; only the stored details are capped, so
 * {@link #failures()} may hold fewer entries than {@link #failureCount()} ({@link #truncated()} says so).
 * Failures are listed rule by rule in declaration order, rows ascending within a rule.
 *
 * <p>Jackson writes a report as JSON and reads it back ({@code new ObjectMapper().writeValueAsString(report)}):
 *
 * <pre>{@code
 * {"passed": false, "rowCount": 5, "failureCount": 3, "failedRowCount": 2, "truncated": false,
 *  "maxStoredFailuresPerRule": 1000,
 *  "rules": [{"rule": "range", "column": "radius", "description": "radius: range [0.0, 100.0]",
 *             "scope": "ROW", "status": "FAILED", "failureCount": 2, "rows": [1, 4]}, ...],
 *  "failures": [{"rule": "range", "column": "radius", "row": 1, "value": "-3.0",
 *                "message": "value -3.0 is outside [0.0, 100.0]"}, ...]}
 * }</pre>
 *
 * {@code passed}, {@code failureCount}, {@code failedRowCount} and {@code truncated} are derived: written for
 * readers of the JSON, ignored when it is read back. Each rule's {@code rows} lists every failing row, so the JSON
 * of a table with millions of failing rows is megabytes long; only the {@code failures} details are capped.
 */
@JsonPropertyOrder({"passed", "rowCount", "failureCount", "failedRowCount", "truncated", "maxStoredFailuresPerRule",
        "rules", "failures"})
@JsonIgnoreProperties(value = {"passed", "failureCount", "failedRowCount", "truncated"}, allowGetters = true)
public final class ValidationReport {

    /** Failures shown by {@link #summary()} and {@link #toString()}. */
    public static final int SUMMARY_FAILURES = 20;

    private final int rowCount;
    private final int maxStoredFailuresPerRule;
    private final List<RuleResult> rules;
    private final List<ValidationFailure> failures;
    private final long failureCount;
    private final int[] failedRows;
    private final int[] offsets; // rule i's stored failures are failures[offsets[i], offsets[i + 1])

    private ValidationReport(int rowCount, int maxStoredFailuresPerRule, List<RuleResult> rules,
                             List<ValidationFailure> failures) {
        if (rowCount < 0) {
            throw new IllegalArgumentException("rowCount must be >= 0 but was " + rowCount);
        }
        if (maxStoredFailuresPerRule < 0) {
            throw new IllegalArgumentException("maxStoredFailuresPerRule must be >= 0 but was " + maxStoredFailuresPerRule);
        }
        this.rowCount = rowCount;
        this.maxStoredFailuresPerRule = maxStoredFailuresPerRule;
        this.rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        this.failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        long count = 0;
        int listed = 0;
        for (RuleResult r : this.rules) {
            count += r.failureCount();
            int[] rows = r.sharedRows();
            if (rows.length > 0 && rows[rows.length - 1] >= rowCount) {
                throw new IllegalArgumentException("rule '" + r.description() + "' lists row " + rows[rows.length - 1]
                        + " but the table has " + rowCount + " rows");
            }
            listed += rows.length > 0 ? 1 : 0;
        }
        this.failureCount = count;
        this.offsets = offsets(this.rules, this.failures, maxStoredFailuresPerRule);
        this.failedRows = listed == 0 ? new int[0] : union(this.rules, rowCount);
    }

    /** The distinct rows of all rules, ascending: a bit set over the table's rows, then its set bits. */
    private static int[] union(List<RuleResult> rules, int rowCount) {
        long[] seen = new long[(int) ((rowCount + 63L) >>> 6)];
        int distinct = 0;
        for (RuleResult r : rules) {
            for (int row : r.sharedRows()) {
                long bit = 1L << row;
                if ((seen[row >>> 6] & bit) == 0) {
                    seen[row >>> 6] |= bit;
                    distinct++;
                }
            }
        }
        int[] rows = new int[distinct];
        int n = 0;
        for (int w = 0; w < seen.length; w++) {
            for (long bits = seen[w]; bits != 0; bits &= bits - 1) {
                rows[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return rows;
    }

    /**
     * Checks that the failures are the first {@code min(cap, failureCount)} failures of each failed rule, in
     * rule order, and returns where each rule's failures start.
     */
    private static int[] offsets(List<RuleResult> rules, List<ValidationFailure> failures, int cap) {
        int[] offsets = new int[rules.size() + 1];
        int at = 0;
        for (int i = 0; i < rules.size(); i++) {
            RuleResult r = rules.get(i);
            offsets[i] = at;
            int k = Math.min(cap, r.failureCount());
            for (int j = 0; j < k; j++, at++) {
                ValidationFailure f = at < failures.size() ? failures.get(at) : null;
                int row = r.scope() == RuleResult.Scope.ROW ? r.sharedRows()[j] : -1;
                if (f == null || !f.rule().equals(r.rule()) || !Objects.equals(f.column(), r.column()) || f.row() != row) {
                    throw new IllegalArgumentException("failure " + at + " should be row " + row + " of rule '"
                            + r.description() + "' but is " + (f == null ? "missing" : "'" + f + "'")
                            + "; the failures must be the first " + cap + " of each failed rule, in rule order");
                }
            }
        }
        if (at != failures.size()) {
            throw new IllegalArgumentException("the rules account for " + at + " stored failures but there are "
                    + failures.size());
        }
        offsets[rules.size()] = at;
        return offsets;
    }

    /**
     * A report from its parts, as read from JSON; validators make reports themselves.
     *
     * @param rowCount                 the number of rows of the validated table
     * @param maxStoredFailuresPerRule the cap on stored failure details per rule that was in force
     * @param rules                    every rule of the validator, in declaration order
     * @param failures                 the stored failure details
     * @throws IllegalArgumentException if the parts contradict each other (a row index beyond the row count)
     */
    @JsonCreator
    public static ValidationReport of(@JsonProperty("rowCount") int rowCount,
                                      @JsonProperty("maxStoredFailuresPerRule") int maxStoredFailuresPerRule,
                                      @JsonProperty("rules") List<RuleResult> rules,
                                      @JsonProperty("failures") List<ValidationFailure> failures) {
        return new ValidationReport(rowCount, maxStoredFailuresPerRule, rules, failures);
    }

    /** Whether no rule failed. */
    @JsonProperty("passed")
    public boolean passed() {
        for (RuleResult r : rules) {
            if (r.failed()) {
                return false;
            }
        }
        return true;
    }

    /** The number of rows of the validated table. */
    @JsonProperty("rowCount")
    public int rowCount() {
        return rowCount;
    }

    /** The cap on stored failure details per rule that was in force. */
    @JsonProperty("maxStoredFailuresPerRule")
    public int maxStoredFailuresPerRule() {
        return maxStoredFailuresPerRule;
    }

    /** Every rule of the validator with its outcome, in declaration order. */
    @JsonProperty("rules")
    public List<RuleResult> rules() {
        return rules;
    }

    /** The stored failures: all of them unless {@link #truncated()}; grouped by rule, rows ascending. */
    @JsonProperty("failures")
    public List<ValidationFailure> failures() {
        return failures;
    }

    /** The exact number of failures over all rules, stored or not. */
    @JsonProperty("failureCount")
    public long failureCount() {
        return failureCount;
    }

    /** Whether some failures were counted but their details not stored, because of the per-rule cap. */
    @JsonProperty("truncated")
    public boolean truncated() {
        return failures.size() < failureCount;
    }

    /** The indexes of the rows that failed at least one row-level rule, ascending, each once. A copy. */
    public int[] failedRows() {
        return failedRows.clone();
    }

    /** The number of {@link #failedRows()}. */
    @JsonProperty("failedRowCount")
    public int failedRowCount() {
        return failedRows.length;
    }

    /** The rules that failed the table as a whole (row count, null share, type); empty if none did. */
    public List<RuleResult> tableFailures() {
        return rules.stream().filter(r -> r.failed() && r.scope() == RuleResult.Scope.TABLE).toList();
    }

    /** The exact failure count of each rule, by {@link RuleResult#description()}, in declaration order. */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (RuleResult r : rules) {
            out.put(r.description(), r.failureCount());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The outcome of the rule with {@code description}, e.g. {@code "radius: range [0.0, 100.0]"}.
     *
     * @throws NotFoundException listing the rules, if there is none
     */
    public RuleResult rule(String description) {
        return rules.get(indexOf(description));
    }

    private int indexOf(String description) {
        Objects.requireNonNull(description, "description");
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).description().equals(description)) {
                return i;
            }
        }
        throw new NotFoundException("rule", description, rules.stream().map(RuleResult::description).toList());
    }

    /** The sorted distinct failing rows without a copy, for this package only. */
    int[] sharedFailedRows() {
        return failedRows;
    }

    /** The first line of {@link #summary()}. */
    public String headline() {
        long failed = rules.stream().filter(RuleResult::failed).count();
        if (failed == 0) {
            return "validation passed: " + Text.plural(rules.size(), "rule") + " on " + Text.plural(rowCount, "row");
        }
        return "validation failed: " + failed + " of " + Text.plural(rules.size(), "rule") + " failed on "
                + Text.plural(rowCount, "row") + " (" + Text.plural(failureCount, "failure") + ", "
                + Text.plural(failedRows.length, "failing row") + ")";
    }

    /** {@link #summary(int)} with the first {@value #SUMMARY_FAILURES} failures. */
    public String summary() {
        return summary(SUMMARY_FAILURES);
    }

    /**
     * A readable summary: the {@link #headline()}, every rule with its status and count, then the first
     * {@code maxFailures} stored failures and {@code ... and N more} for the rest (counting those not stored).
     */
    public String summary(int maxFailures) {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("maxFailures must be >= 0 but was " + maxFailures);
        }
        StringBuilder sb = new StringBuilder(headline());
        for (RuleResult r : rules) {
            sb.append("\n  ").append(r);
        }
        if (failureCount > 0) {
            sb.append("\nfailures:");
            int shown = Math.min(maxFailures, failures.size());
            for (int i = 0; i < shown; i++) {
                sb.append("\n  ").append(failures.get(i));
            }
            if (failureCount > shown) {
                sb.append("\n  ... and ").append(failureCount - shown).append(" more");
                if (truncated()) {
                    sb.append(" (details stored for at most ").append(maxStoredFailuresPerRule).append(" per rule)");
                }
            }
        }
        return sb.toString();
    }

    /**
     * The stored failures of the rule with {@code description}: the first {@link #maxStoredFailuresPerRule()}
     * of them, rows ascending.
     *
     * @throws NotFoundException listing the rules, if there is none
     */
    public List<ValidationFailure> failures(String description) {
        int i = indexOf(description);
        return failures.subList(offsets[i], offsets[i + 1]);
    }

    /**
     * One line per failed rule with its count and up to {@code examples} stored failures, e.g.
     * {@code radius: range [0.0, 100.0]: 2 failures, e.g. row 1: value -3.0 is outside [0.0, 100.0]}.
     */
    List<String> failedRuleLines(int examples) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            RuleResult r = rules.get(i);
            if (!r.failed()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(r.description()).append(": ").append(Text.plural(r.failureCount(), "failure"));
            int end = Math.min(offsets[i + 1], offsets[i] + examples);
            for (int j = offsets[i]; j < end; j++) {
                ValidationFailure f = failures.get(j);
                sb.append(j == offsets[i] ? ", e.g. " : "; ");
                if (f.row() >= 0) {
                    sb.append("row ").append(f.row()).append(": ");
                }
                sb.append(f.message());
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValidationReport r && r.rowCount == rowCount
                && r.maxStoredFailuresPerRule == maxStoredFailuresPerRule && r.rules.equals(rules)
                && r.failures.equals(failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rowCount, maxStoredFailuresPerRule, rules, failures);
    }

    /** The {@link #summary()}. */
    @Override
    public String toString() {
        return summary();
    }
}
