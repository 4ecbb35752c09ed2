package dev.mlops.rag;

import dev.mlops.core.NonRetriableException;
import java.io.Serial;

/**
 * A generator call failed in a way a retry will not fix: the server answered 4xx (other than 408/429),
 * or its response could not be understood. {@link #endpoint()} is the URL called, {@link #status()} the
 * HTTP status (-1 when the failure is in the response body), and the message quotes the server's error.
 */
public class GenerationException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String endpoint;
    private final int status;

    public GenerationException(String endpoint, int status, String message) {
        super(message);
        this.endpoint = endpoint;
        this.status = status;
    }

    public GenerationException(String endpoint, int status, String message, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.status = status;
    }

    public String endpoint() {
        return endpoint;
    }

    public int status() {
        return status;
    }
}
