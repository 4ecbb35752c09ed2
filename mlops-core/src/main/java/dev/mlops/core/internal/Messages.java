package dev.mlops.core.internal;

import java.util.List;

/** Formatting shared by exception messages: quoting user values safely and listing names. */
public final class Messages {

    /** Longest value shown in a message; longer values are cut and their length noted. */
    public static final int MAX_VALUE_CHARS = 100;

    /** Most names listed in a message; the rest are counted. */
    public static final int MAX_LISTED = 20;

    private Messages() {
    }

    /**
     * Returns {@code value} in double quotes with quotes, backslashes and control characters escaped so the
     * message stays on one line; a value longer than {@link #MAX_VALUE_CHARS} is cut and its length noted:
     * {@code "aaaa"... (1048576 chars)}.
     */
    public static String quote(String value) {
        int end = value.length();
        boolean cut = end > MAX_VALUE_CHARS;
        if (cut) {
            end = MAX_VALUE_CHARS;
            if (Character.isHighSurrogate(value.charAt(end - 1))) {
                end--;
            }
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
        if (cut) {
            sb.append("... (").append(value.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** Lists {@code names} single-quoted, at most {@link #MAX_LISTED}, then {@code ... and N more}. */
    public static String list(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(names.size(), MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > shown) {
            sb.append(" ... and ").append(names.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
