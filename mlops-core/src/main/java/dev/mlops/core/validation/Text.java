package dev.mlops.core.validation;

import dev.mlops.core.internal.Messages;
import dev.mlops.core.table.Column;

import java.util.Collection;
import java.util.Iterator;

/** Formatting shared by rule descriptions, failure messages and the report summary. */
final class Text {

    /** Most allowed values listed in a rule description; the rest are counted. */
    static final int MAX_LISTED = 10;

    private Text() {
    }

    /** The text of the non-null cell at {@code row}, or {@code null} for a null cell (boxes: not for hot loops). */
    static String cell(Column column, int row) {
        Object v = column.value(row);
        return v == null ? null : v.toString();
    }

    /**
     * {@code value} in double quotes with quotes, backslashes and control characters escaped so a message
     * stays on one line; longer than {@link Messages#MAX_VALUE_CHARS} it is cut and its length noted.
     */
    static String quote(String value) {
        return Messages.quote(value);
    }

    /** {@code [a, b, c]}, at most {@link #MAX_LISTED} elements, then {@code ... (N values)}. */
    static String list(Collection<?> values) {
        StringBuilder sb = new StringBuilder("[");
        Iterator<?> it = values.iterator();
        for (int i = 0; it.hasNext() && i < MAX_LISTED; i++) {
            sb.append(i == 0 ? "" : ", ").append(it.next());
        }
        if (values.size() > MAX_LISTED) {
            sb.append(", ... (").append(values.size()).append(" values)");
        }
        return sb.append(']').toString();
    }

    /** {@code "1 failure"} or {@code "3 failures"}. */
    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
