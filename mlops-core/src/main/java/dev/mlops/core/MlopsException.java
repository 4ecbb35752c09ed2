package dev.mlops.core;

import java.io.Serial;

/**
 * Root of every exception thrown by the mlops libraries. All are unchecked.
 *
 * <p>Each exception is either a {@link RetriableException} (the same call may succeed later, e.g. a server
 * that is restarting) or a {@link NonRetriableException} (retrying cannot help: bad input, a missing model,
 * a corrupt file). A retry policy decides by type or by {@link #retriable()}, never by parsing messages.
 *
 * <p>Messages say what failed, the offending value and, where one is known, the likely fix.
 */
public abstract class MlopsException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    protected MlopsException(String message) {
        super(message);
    }

    protected MlopsException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether repeating the failed operation unchanged may succeed. */
    public abstract boolean retriable();
}
