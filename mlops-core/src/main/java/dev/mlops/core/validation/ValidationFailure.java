package dev.mlops.core.validation;

import java.util.Objects;

/**
 * One failure of one rule: a failing row, or the table as a whole for table-level rules (row count, null
 * share, column type).
 *
 * @param rule    the rule's name: {@code notNull}, {@code ofType}, {@code range}, {@code allowedValues},
 *                {@code unique}, {@code matches}, {@code rowCount}, {@code maxNullShare}, or the name given to
 *                {@code satisfies}
 * @param column  the column the rule checks, or {@code null} for rules on whole rows or the whole table
 * @param row     the failing row's index in the validated table, or {@code -1} for a table-level failure
 * @param value   the offending value as text (doubles in shortest round-trip form, timestamps as ISO-8601
 *                UTC); {@code null} for a null cell and for row predicates; for table-level rules the measured
 *                value (the row count, the null share, the column's actual type)
 * @param message what is wrong, readable on its own, e.g. {@code value -3.0 is outside [0.0, 100.0]}
 */
public record ValidationFailure(String rule, String column, int row, String value, String message) {

    public ValidationFailure {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        if (row < -1) {
            throw new IllegalArgumentException("row must be >= 0, or -1 for a table-level failure, but was " + row);
        }
    }

    /** Whether this failure is about the table as a whole rather than one row. */
    public boolean tableLevel() {
        return row < 0;
    }

    /** For example {@code row 4, column 'radius', rule 'range': value -3.0 is outside [0.0, 100.0]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (row >= 0) {
            sb.append("row ").append(row).append(", ");
        }
        if (column != null) {
            sb.append("column '").append(column).append("', ");
        }
        return sb.append("rule '").append(rule).append("': ").append(message).toString();
    }
}
