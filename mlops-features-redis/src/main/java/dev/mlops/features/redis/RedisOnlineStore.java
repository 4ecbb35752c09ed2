package dev.mlops.features.redis;

import dev.mlops.features.FeatureView;
import dev.mlops.features.redis.internal.JedisOnlineStore;
import dev.mlops.features.spi.OnlineStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The feature store's online store on a Redis server, shared by every process and host that points at
 * it. Same semantics as the embedded Chronicle Map store (it passes the same {@code OnlineStoreContract}):
 * per key the newer record by (event, created) wins, the given one on a tie, so re-running a
 * materialization changes nothing; a record is written whole or not at all; the feature store enforces
 * each view's TTL on read with its own injected {@link java.time.Clock}.
 *
 * <pre>{@code
 * OnlineStore online = RedisOnlineStore.builder()
 *         .host("127.0.0.1").port(6379)
 *         .namespace("prod")                 // key prefix: several stores can share one server
 *         .keyExpiry(stationView)            // Redis drops keys once past the view's TTL (+ grace)
 *         .build();
 * FeatureStore fs = FeatureStore.builder().home(home).onlineStore(online).build();
 * }</pre>
 *
 * <p><b>Keys.</b> A record of view {@code v} with entity key {@code k} is the Redis string
 * {@code <namespace>:r:<v>:<k>}; watermarks are the hash {@code <namespace>:watermarks}. A write of
 * several records is one pipeline of conditional-set scripts (a script runs atomically in Redis, so
 * concurrent writers from many hosts still end with the newest record); {@code readAll} is one
 * {@code MGET}.
 *
 * <p><b>Key expiry.</b> Off by default: records stay until overwritten. With {@link Builder#keyExpiry}
 * a view's record key expires at its event time + the view's TTL + a grace (default 1 minute, for clock
 * skew between Redis and the serving hosts), on Redis's clock: at that point the feature store would
 * already answer {@code OUTSIDE_MAX_AGE}; once Redis has dropped the key it answers {@code NOT_FOUND}.
 * A record already past that instant when written is not stored.
 *
 * <p><b>Failures.</b> Connection failures and timeouts are retried ({@link Builder#retries}, with
 * {@link Builder#retryBackoff} between attempts: every operation is idempotent); when they persist the
 * call throws {@link dev.mlops.core.ResourceUnavailableException} (retriable) naming the server. Durability
 * is the server's: run Redis with {@code appendonly yes} and {@code appendfsync always} if no acknowledged
 * write may be lost when it restarts.
 */
public final class RedisOnlineStore {

    private RedisOnlineStore() {
    }

    /** A builder with the defaults: 127.0.0.1:6379, namespace {@code mlops}, 2 s timeouts, 3 retries. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a Redis online store. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private String namespace = "mlops";
        private Duration timeout = Duration.ofSeconds(2);
        private int maxConnections = 16;
        private int retries = 3;
        private Duration retryBackoff = Duration.ofMillis(100);
        private Duration expiryGrace = Duration.ofMinutes(1);
        private final Map<String, Duration> expiry = new LinkedHashMap<>();
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /** The server's host name or address; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host is blank; give a host name or address such as 127.0.0.1");
            }
            this.host = host;
            return this;
        }

        /** The server's port, 1..65535; default 6379. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Prefix of every key this store writes, so that several stores can share a server; default {@code mlops}. */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.isEmpty() || namespace.contains(":")) {
                throw new IllegalArgumentException("namespace must be non-empty and contain no ':', got '" + namespace + "'");
            }
            this.namespace = namespace;
            return this;
        }

        /** Connect and socket timeout of every call; default 2 s. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeout must be positive and at most " + Integer.MAX_VALUE + " ms, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Size of the connection pool; default 16. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** Retries after a connection failure or timeout, 0..100; default 3. */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 100) {
                throw new IllegalArgumentException("retries must be 0..100, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Pause before each retry (doubling each time); default 100 ms. */
        public Builder retryBackoff(Duration backoff) {
            Objects.requireNonNull(backoff, "backoff");
            if (backoff.isNegative()) {
                throw new IllegalArgumentException("retryBackoff must not be negative, got " + backoff);
            }
            this.retryBackoff = backoff;
            return this;
        }

        /**
         * Lets Redis drop the records of {@code view} once past its TTL plus the grace; a view without a
         * TTL ({@code Duration.ZERO}) keeps its records.
         */
        public Builder keyExpiry(FeatureView view) {
            Objects.requireNonNull(view, "view");
            if (view.ttl().isZero()) {
                expiry.remove(view.name());
                return this;
            }
            return keyExpiry(view.name(), view.ttl());
        }

        /** Lets Redis drop the records of the view named {@code view} at event time + {@code ttl} + the grace. */
        public Builder keyExpiry(String view, Duration ttl) {
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl of view '" + view + "' must be positive, got " + ttl);
            }
            expiry.put(view, ttl);
            return this;
        }

        /** Extra time added to every key expiry, for clock skew; default 1 minute. */
        public Builder keyExpiryGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("keyExpiryGrace must not be negative, got " + grace);
            }
            this.expiryGrace = grace;
            return this;
        }

        /**
         * Where the store's meters go; default a private {@link SimpleMeterRegistry}. All carry the tags
         * {@code server} and {@code namespace}: {@code mlops.features.redis.calls}, a timer per call (retries
         * included) with tags {@code op} ({@code read}, {@code read_all}, {@code write}, {@code watermark},
         * {@code set_watermark}, {@code watermarks}, {@code size}) and {@code outcome} ({@code ok}, {@code error});
         * {@code mlops.features.redis.errors}, failed attempts by {@code cause} ({@code connection}: connection
         * failure or timeout, retried; {@code refused}: the server answered with an error; {@code client});
         * {@code mlops.features.redis.retries}; and the pool gauges {@code mlops.features.redis.pool.active},
         * {@code .idle}, {@code .waiters}, {@code .max}.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Opens the connection pool (lazily: no connection is made until the first call) and returns the
         * store. Close it to release the pool; the data stays in Redis.
         */
        public OnlineStore build() {
            Map<String, Long> expiryMillis = new LinkedHashMap<>();
            expiry.forEach((v, ttl) -> expiryMillis.put(v, ttl.plus(expiryGrace).toMillis()));
            return new JedisOnlineStore(host, port, namespace, (int) timeout.toMillis(), maxConnections, retries,
                    retryBackoff.toMillis(), expiryMillis,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
        }
    }
}
