package dev.mlops.dashboard.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** A small HTML writer: every piece of text goes through {@link #esc}; markup is only ever written by this code. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(8192);

    /** Escapes text for an element body or a quoted attribute value: {@code & < > " '}. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (r != null || (c < 0x20 && c != '\n' && c != '\t' && c != '\r')) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(r != null ? r : "\uFFFD");
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** Appends trusted markup written by this package (never source text). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends escaped text. */
    Html text(Object value) {
        out.append(esc(value));
        return this;
    }

    /** {@code <tag>escaped text</tag>}. */
    Html el(String tag, Object text) {
        out.append('<').append(tag).append('>').append(esc(text)).append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag class="cls">escaped text</tag>}. */
    Html el(String tag, String cls, Object text) {
        out.append('<').append(tag).append(" class=\"").append(cls).append("\">").append(esc(text)).append("</")
                .append(tag).append('>');
        return this;
    }

    /** A table header row. */
    Html head(String... cells) {
        out.append("<thead><tr>");
        for (String c : cells) {
            el("th", c);
        }
        out.append("</tr></thead><tbody>");
        return this;
    }

    /** A table row of escaped cells. */
    Html row(Object... cells) {
        out.append("<tr>");
        for (Object c : cells) {
            el("td", c == null ? "" : c);
        }
        out.append("</tr>");
        return this;
    }

    /** A table row of escaped cells with a class on the row. */
    Html rowClass(String cls, List<?> cells) {
        out.append("<tr class=\"").append(cls).append("\">");
        for (Object c : cells) {
            el("td", c == null ? "" : c);
        }
        out.append("</tr>");
        return this;
    }

    /** A paragraph telling how to configure a missing source. */
    Html notConfigured(String what, String how) {
        out.append("<p class=\"empty\">").append(esc(what)).append(" is not configured. <code>").append(esc(how))
                .append("</code></p>");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** An instant as {@code 2026-01-01 10:00:00Z}, or an empty string. */
    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** A duration as {@code 850 ms}, {@code 12.3 s}, {@code 4 min 5 s}, {@code 3 h 2 min}, {@code 2 d 4 h}. */
    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        if (ms < 0) {
            return "-" + duration(d.negated());
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86_400) {
            return (s / 3600) + " h " + (s % 3600 / 60) + " min";
        }
        return (s / 86_400) + " d " + (s % 86_400 / 3600) + " h";
    }

    /** A number with up to 4 significant decimals, or an empty string for NaN. */
    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e7)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Milliseconds from nanoseconds, 3 decimals. */
    static String ms(double nanos) {
        return Double.isNaN(nanos) ? "" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
