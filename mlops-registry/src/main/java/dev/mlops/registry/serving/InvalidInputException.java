package dev.mlops.registry.serving;

import dev.mlops.core.NonRetriableException;

/**
 * A request row does not match the served model's signature: a missing or unknown feature, a value of the wrong type,
 * a null, NaN or infinity. Nothing was predicted or logged for the request.
 */
public class InvalidInputException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final int row;
    private final String feature;

    /**
     * @param row     the 0-based row of the request
     * @param feature the feature at fault
     * @param message what is wrong, the offending value and the fix
     */
    public InvalidInputException(int row, String feature, String message) {
        super(message);
        this.row = row;
        this.feature = feature;
    }

    /** The 0-based row at fault. */
    public int row() {
        return row;
    }

    /** The feature at fault. */
    public String feature() {
        return feature;
    }
}
