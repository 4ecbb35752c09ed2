package dev.mlops.core.validation;

import dev.mlops.core.table.Column;

import java.util.Collection;
import java.util.Iterator;

/** Formatting shared by rule descriptions, failure messages and the report summary. */
final class Text {

    /** Longest value shown quoted in a message; longer values are cut and their length noted. */
    static final int MAX_VALUE_CHARS = 100;

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
     * stays on one line; longer than {@link #MAX_VALUE_CHARS} it is cut and its length noted.
     */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), MAX_VALUE_CHARS);
        if (end < value.length() && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = new StringBuilder(end + 24).append('"');
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (end < value.length()) {
            sb.append("... (").append(value.length()).append(" chars)");
        }
        return sb.toString();
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
