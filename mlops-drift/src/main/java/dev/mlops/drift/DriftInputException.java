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

    public DriftInputException(String column, String problem, String fix) {
        super("drift column '" + column + "': " + problem + (fix == null ? "" : ". Fix: " + fix));
        this.column = column;
    }

    /** The column at fault. */
    public String column() {
        return column;
    }
}
