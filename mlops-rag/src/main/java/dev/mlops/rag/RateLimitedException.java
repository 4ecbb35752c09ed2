package dev.mlops.rag;

import dev.mlops.core.RetriableException;
import java.io.Serial;
import java.time.Duration;

/** A caller exceeded its rate limit; {@link #retryAfter()} is when its bucket will hold enough tokens. */
public class RateLimitedException extends RetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String caller;
    private final Duration retryAfter;

    public RateLimitedException(String caller, double permits, Duration retryAfter) {
        super("caller '" + caller + "' is over its rate limit (" + permits + " permit(s) asked). Fix: retry after "
                + retryAfter.toMillis() + " ms, or raise the limit");
        this.caller = caller;
        this.retryAfter = retryAfter;
    }

    public String caller() {
        return caller;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
