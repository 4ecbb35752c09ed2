package dev.mlops.core;

import java.io.Serial;
import java.util.Objects;

/**
 * A server, file or other resource could not be reached or read right now; the operation may succeed if
 * retried. {@link #resource()} names it, e.g. {@code "redis://cache:6379"} or a file path.
 */
public class ResourceUnavailableException extends RetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String resource;

    /**
     * @param resource what could not be reached, e.g. a URI or a file path
     * @param reason   what went wrong, e.g. {@code "connection refused"}
     */
    public ResourceUnavailableException(String resource, String reason) {
        this(resource, reason, null);
    }

    /**
     * @param resource what could not be reached, e.g. a URI or a file path
     * @param reason   what went wrong, e.g. {@code "connection refused"}
     * @param cause    the underlying failure, or {@code null}
     */
    public ResourceUnavailableException(String resource, String reason, Throwable cause) {
        super("'" + Objects.requireNonNull(resource, "resource") + "' is unavailable: "
                + Objects.requireNonNull(reason, "reason") + ". Fix: check that it is up and reachable; "
                + "the operation may succeed if retried", cause);
        this.resource = resource;
    }

    /** What could not be reached: a URI, host:port or file path. */
    public String resource() {
        return resource;
    }
}
