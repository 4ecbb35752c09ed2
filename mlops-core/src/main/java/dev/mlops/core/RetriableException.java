package dev.mlops.core;

import java.io.Serial;

/** A failure that may go away if the same operation is repeated later, such as a timeout or a busy server. */
public class RetriableException extends MlopsException {

    @Serial
    private static final long serialVersionUID = 1L;

    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Always {@code true}. */
    @Override
    public final boolean retriable() {
        return true;
    }
}
