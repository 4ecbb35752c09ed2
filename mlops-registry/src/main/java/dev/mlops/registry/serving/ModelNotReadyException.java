package dev.mlops.registry.serving;

import dev.mlops.core.RetriableException;

/** The server has no loaded version yet (first load pending or failed); retry later or check {@code health()}. */
public class ModelNotReadyException extends RetriableException {

    private static final long serialVersionUID = 1L;

    /** @param message which URI is not loaded and why */
    public ModelNotReadyException(String message) {
        super(message);
    }
}
