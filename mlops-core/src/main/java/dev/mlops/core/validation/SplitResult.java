package dev.mlops.core.validation;

import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;

import java.util.List;
import java.util.Objects;

/**
 * A table split by {@link Validator#split(Table)}: the rows that passed every row-level rule, the rows that
 * failed at least one (both in their original order and with the original schema), and the report.
 *
 * @param passing the rows that passed every row-level rule
 * @param failing the rows that failed at least one row-level rule; row {@code i} of it is row
 *                {@code report.failedRows()[i]} of the validated table
 * @param report  what was found, including table-level failures, which move no rows
 */
public record SplitResult(Table passing, Table failing, ValidationReport report) {

    /** The name of the column of original row indexes in {@link #failingWithReasons()}. */
    public static final String ROW_COLUMN = "_row";

    /** The name of the column of failed rule descriptions in {@link #failingWithReasons()}. */
    public static final String REASONS_COLUMN = "_reasons";

    /** The separator between the rule descriptions in {@link #REASONS_COLUMN}. */
    public static final String REASONS_SEPARATOR = "; ";

    public SplitResult {
        Objects.requireNonNull(passing, "passing");
        Objects.requireNonNull(failing, "failing");
        Objects.requireNonNull(report, "report");
        if (failing.rowCount() != report.failedRowCount()) {
            throw new IllegalArgumentException("failing has " + failing.rowCount() + " rows but the report lists "
                    + report.failedRowCount() + " failing rows");
        }
    }

    /**
     * The failing rows with two columns added at the end: {@value #ROW_COLUMN} (LONG), the row's index in the
     * validated table, and {@value #REASONS_COLUMN} (STRING), the {@link RuleResult#description() descriptions}
     * of every row-level rule the row failed, in declaration order, joined by {@value #REASONS_SEPARATOR}:
     * {@code radius: range [0.0, 100.0]; label: allowedValues [a, b]}. This is what
     * {@link Validator#quarantine} writes.
     *
     * @throws SchemaMismatchException if the table already has a column with one of those names
     */
    public Table failingWithReasons() {
        checkNoReservedColumns(failing);
        int[] rows = report.sharedFailedRows();
        List<RuleResult> rules = report.rules().stream().filter(r -> r.scope() == RuleResult.Scope.ROW).toList();
        int[] cursor = new int[rules.size()];
        StringColumn.Builder reasons = StringColumn.builder(REASONS_COLUMN, rows.length);
        StringBuilder sb = new StringBuilder();
        for (int row : rows) {
            sb.setLength(0);
            for (int k = 0; k < rules.size(); k++) {
                int[] failed = rules.get(k).sharedRows();
                if (cursor[k] < failed.length && failed[cursor[k]] == row) {
                    cursor[k]++;
                    sb.append(sb.isEmpty() ? "" : REASONS_SEPARATOR).append(rules.get(k).description());
                }
            }
            reasons.add(sb.toString());
        }
        long[] indexes = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            indexes[i] = rows[i];
        }
        return failing.withColumn(LongColumn.of(ROW_COLUMN, indexes)).withColumn(reasons.build());
    }

    static void checkNoReservedColumns(Table table) {
        for (String name : List.of(ROW_COLUMN, REASONS_COLUMN)) {
            if (table.schema().contains(name)) {
                throw new SchemaMismatchException(name, "no column named '" + name + "' (the quarantine output adds it)",
                        "a " + table.schema().field(name).type() + " column '" + name + "'",
                        "rename or drop the column before splitting off failing rows with reasons");
            }
        }
    }
}
