package dev.mlops.rag;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per caller. Each bucket holds at most {@code capacity} tokens and starts full; it
 * gains {@code refillPerSecond} tokens per second of the injected clock (continuously, capped at
 * capacity; a clock that goes back adds nothing). A request for {@code p} tokens succeeds when the
 * bucket holds {@code >= p} and takes them; otherwise nothing is taken and the wait until it would
 * hold {@code p} is {@code (p - tokens) / refillPerSecond}.
 *
 * <p>Meters: {@code mlops.rag.ratelimit{result=allowed|rejected}}. Thread-safe; one bucket per caller
 * id is kept for the life of the limiter.
 */
public final class RateLimiter {

    private record Bucket(double tokens, Instant at) {}

    private final double capacity;
    private final double refillPerSecond;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Counter allowed;
    private final Counter rejected;

    private RateLimiter(Builder b) {
        this.capacity = b.capacity;
        this.refillPerSecond = b.refillPerSecond;
        this.clock = b.clock;
        this.allowed = Counter.builder("mlops.rag.ratelimit").tag("result", "allowed").register(b.registry);
        this.rejected = Counter.builder("mlops.rag.ratelimit").tag("result", "rejected").register(b.registry);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@code capacity} and {@code refillPerSecond} are required. */
    public static final class Builder {
        private double capacity = Double.NaN;
        private double refillPerSecond = Double.NaN;
        private Clock clock = Clock.systemUTC();
        private MeterRegistry registry = new SimpleMeterRegistry();

        private Builder() {}

        /** The burst size: tokens a bucket holds at most (and at first). */
        public Builder capacity(double tokens) {
            if (!(tokens > 0) || Double.isInfinite(tokens)) {
                throw new IllegalArgumentException("capacity must be a finite number > 0, was " + tokens);
            }
            this.capacity = tokens;
            return this;
        }

        /** The sustained rate. */
        public Builder refillPerSecond(double tokens) {
            if (!(tokens > 0) || Double.isInfinite(tokens)) {
                throw new IllegalArgumentException("refillPerSecond must be a finite number > 0, was " + tokens);
            }
            this.refillPerSecond = tokens;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public RateLimiter build() {
            if (Double.isNaN(capacity) || Double.isNaN(refillPerSecond)) {
                throw new IllegalStateException("capacity and refillPerSecond are required, were " + capacity + " and "
                        + refillPerSecond);
            }
            return new RateLimiter(this);
        }
    }

    /** Takes one token if available. */
    public boolean tryAcquire(String caller) {
        return tryAcquire(caller, 1);
    }

    /** Takes {@code permits} tokens if available; nothing otherwise. */
    public boolean tryAcquire(String caller, double permits) {
        return take(caller, permits).isZero();
    }

    /**
     * Takes {@code permits} tokens or throws.
     *
     * @throws RateLimitedException with the wait after which the call would succeed
     */
    public void acquire(String caller, double permits) {
        Duration wait = take(caller, permits);
        if (!wait.isZero()) {
            throw new RateLimitedException(caller, permits, wait);
        }
    }

    /** Tokens the caller's bucket holds now (capacity for an unseen caller). */
    public double available(String caller) {
        Bucket b = buckets.get(caller);
        return b == null ? capacity : refill(b, clock.instant()).tokens();
    }

    private Duration take(String caller, double permits) {
        Objects.requireNonNull(caller, "caller");
        if (!(permits > 0) || permits > capacity) {
            throw new IllegalArgumentException("permits must be in (0, capacity = " + capacity + "], was " + permits);
        }
        Duration[] wait = {Duration.ZERO};
        Instant now = clock.instant();
        buckets.compute(caller, (k, old) -> {
            Bucket b = old == null ? new Bucket(capacity, now) : refill(old, now);
            if (b.tokens() >= permits) {
                wait[0] = Duration.ZERO;
                return new Bucket(b.tokens() - permits, b.at());
            }
            long nanos = (long) Math.ceil((permits - b.tokens()) / refillPerSecond * 1e9);
            wait[0] = Duration.ofNanos(Math.max(1, nanos));
            return b;
        });
        (wait[0].isZero() ? allowed : rejected).increment();
        return wait[0];
    }

    private Bucket refill(Bucket b, Instant now) {
        if (!now.isAfter(b.at())) {
            return b;
        }
        double seconds = Duration.between(b.at(), now).toNanos() / 1e9;
        return new Bucket(Math.min(capacity, b.tokens() + seconds * refillPerSecond), now);
    }
}
