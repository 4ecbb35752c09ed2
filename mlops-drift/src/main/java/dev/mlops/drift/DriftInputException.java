package dev.mlops.drift;

import dev.mlops.core.NonRetriableException;

import java.io.Serial;

/**
 * Input a drift test cannot use: an empty or all-null column, an infinity, a test that does not apply
 * to the column's type. The message names the column, the side (reference or current), the offending
 * value and the fix.
 */
public class DriftInputException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String column;

    /**
     * @param column  the column at fault, or {@code null} when the problem is the whole table
     * @param problem what is wrong, with the offending value
     * @param fix     the likely fix, or {@code null}
     */
    public DriftInputException(String column, String problem, String fix) {
        super((column == null ? "drift check: " : "drift column '" + column + "': ") + problem + (fix == null ? "" : ". Fix: " + fix));
        this.column = column;
    }

    /** The column at fault, or {@code null} when the problem is the whole table. */
    public String column() {
        return column;
    }
}
