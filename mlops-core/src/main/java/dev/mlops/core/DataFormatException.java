package dev.mlops.core;

import dev.mlops.core.internal.Messages;
import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Bad data in a file or stream: a malformed CSV row, a number that does not parse, a missing required
 * value. The message names where the problem is, what it is, the offending value and the fix:
 *
 * <pre>data/train.csv:42: column 'price': not a number (value: "12,5"). Fix: use '.' as the decimal separator</pre>
 *
 * <p>Parts that are unknown are left out. The value is quoted with control characters escaped and cut to
 * 100 characters in the message, with its full length noted; {@link #value()} keeps it whole.
 *
 * <pre>{@code
 * throw DataFormatException.builder("not a number")
 *         .source(path).line(42).column("price").value(cell)
 *         .fix("use '.' as the decimal separator")
 *         .cause(e)
 *         .build();
 * }</pre>
 */
public class DataFormatException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The {@link #source()} of data read from a stream with no file name. */
    public static final String STREAM = "<stream>";

    private final String problem;
    private final String source;
    private final long line;
    private final String column;
    private final String value;
    private final String fix;

    /** Use {@link #builder(String)}; subclasses pass a filled builder. */
    protected DataFormatException(Builder b) {
        super(message(b), b.cause);
        this.problem = b.problem;
        this.source = b.source;
        this.line = b.line;
        this.column = b.column;
        this.value = b.value;
        this.fix = b.fix;
    }

    /**
     * Starts an exception for the given problem.
     *
     * @param problem what is wrong, e.g. {@code "not a number"} or {@code "expected 5 fields, found 4"}
     */
    public static Builder builder(String problem) {
        return new Builder(problem);
    }

    /** What is wrong, e.g. {@code "not a number"}. */
    public String problem() {
        return problem;
    }

    /** The file path, {@link #STREAM}, or {@code null} if unknown. */
    public String source() {
        return source;
    }

    /** The 1-based line (or record) number, or 0 if unknown. */
    public long line() {
        return line;
    }

    /** The column name, or {@code null} if unknown or not applicable. */
    public String column() {
        return column;
    }

    /** The offending value, whole, or {@code null} if unknown. */
    public String value() {
        return value;
    }

    /** The likely fix, or {@code null} if none was given. */
    public String fix() {
        return fix;
    }

    private static String message(Builder b) {
        StringBuilder sb = new StringBuilder();
        if (b.source != null) {
            sb.append(b.source);
            if (b.line > 0) {
                sb.append(':').append(b.line);
            }
            sb.append(": ");
        } else if (b.line > 0) {
            sb.append("line ").append(b.line).append(": ");
        }
        if (b.column != null) {
            sb.append("column '").append(b.column).append("': ");
        }
        sb.append(b.problem);
        if (b.value != null) {
            sb.append(" (value: ").append(Messages.quote(b.value)).append(')');
        }
        if (b.fix != null) {
            sb.append(". Fix: ").append(b.fix);
        }
        return sb.toString();
    }

    /** Collects the parts of a {@link DataFormatException}; every part but the problem is optional. */
    public static final class Builder {
        private final String problem;
        private String source;
        private long line;
        private String column;
        private String value;
        private String fix;
        private Throwable cause;

        private Builder(String problem) {
            this.problem = Objects.requireNonNull(problem, "problem");
        }

        /** The file or stream name; {@link DataFormatException#STREAM} for an anonymous stream. */
        public Builder source(String source) {
            this.source = source;
            return this;
        }

        /** The file the data came from. */
        public Builder source(Path file) {
            this.source = file == null ? null : file.toString();
            return this;
        }

        /** The 1-based line or record number; 0 means unknown. */
        public Builder line(long line) {
            if (line < 0) {
                throw new IllegalArgumentException("line must be >= 1, or 0 if unknown, but was " + line);
            }
            this.line = line;
            return this;
        }

        /** The column the bad value is in. */
        public Builder column(String column) {
            this.column = column;
            return this;
        }

        /** The offending value as read. */
        public Builder value(String value) {
            this.value = value;
            return this;
        }

        /** What the user should do, e.g. {@code "use '.' as the decimal separator"}. */
        public Builder fix(String fix) {
            this.fix = fix;
            return this;
        }

        /** The parser's own exception, if any. */
        public Builder cause(Throwable cause) {
            this.cause = cause;
            return this;
        }

        public DataFormatException build() {
            return new DataFormatException(this);
        }
    }
}
