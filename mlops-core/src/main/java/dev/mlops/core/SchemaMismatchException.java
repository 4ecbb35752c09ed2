package dev.mlops.core;

import java.io.Serial;
import java.util.Objects;

/**
 * Two schemas or tables that must agree do not, e.g. serving input against the training schema. The
 * message names the column (when one is at fault) and what was expected and found:
 *
 * <pre>schema mismatch at column 'price': expected DOUBLE, found STRING. Fix: cast 'price' to DOUBLE</pre>
 */
public class SchemaMismatchException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String column;
    private final String expected;
    private final String actual;
    private final String fix;

    /**
     * @param column   the column at fault, or {@code null} when the disagreement is not about one column
     *                 (e.g. the column count)
     * @param expected what the reference schema has, e.g. {@code "DOUBLE"} or {@code "present"}
     * @param actual   what the other side has, e.g. {@code "STRING"} or {@code "missing"}
     * @param fix      the likely fix, or {@code null}
     */
    public SchemaMismatchException(String column, String expected, String actual, String fix) {
        super(message(column, expected, actual, fix));
        this.column = column;
        this.expected = expected;
        this.actual = actual;
        this.fix = fix;
    }

    /** The column at fault, or {@code null}. */
    public String column() {
        return column;
    }

    /** What the reference schema has. */
    public String expected() {
        return expected;
    }

    /** What the other side has. */
    public String actual() {
        return actual;
    }

    /** The likely fix, or {@code null}. */
    public String fix() {
        return fix;
    }

    private static String message(String column, String expected, String actual, String fix) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(actual, "actual");
        String where = column == null ? "schema mismatch" : "schema mismatch at column '" + column + "'";
        return where + ": expected " + expected + ", found " + actual + (fix == null ? "" : ". Fix: " + fix);
    }
}
