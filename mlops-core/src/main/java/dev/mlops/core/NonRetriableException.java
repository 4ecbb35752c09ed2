package dev.mlops.core;

import java.io.Serial;

/** A failure that repeating the operation unchanged cannot fix: bad input, a missing resource, corrupt data. */
public class NonRetriableException extends MlopsException {

    @Serial
    private static final long serialVersionUID = 1L;

    public NonRetriableException(String message) {
        super(message);
    }

    public NonRetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Always {@code false}. */
    @Override
    public final boolean retriable() {
        return false;
    }
}
