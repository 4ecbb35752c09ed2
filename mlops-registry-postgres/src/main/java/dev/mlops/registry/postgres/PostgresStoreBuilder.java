package dev.mlops.registry.postgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * The connection settings that both PostgreSQL stores take ({@link PostgresTrackingStore#builder()},
 * {@link PostgresRegistryStore#builder()}); {@link #jdbcUrl} is required.
 *
 * @param <B> the concrete builder, returned by every setter
 * @param <S> the store it builds
 */
public abstract class PostgresStoreBuilder<B extends PostgresStoreBuilder<B, S>, S> {
    private String jdbcUrl;
    private String user;
    private String password;
    private int maximumPoolSize = 8;
    private Duration connectionTimeout = Duration.ofSeconds(10);
    private MeterRegistry meterRegistry;

    PostgresStoreBuilder() {
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The server and database, {@code jdbc:postgresql://host:port/database[?options]}. */
    public B jdbcUrl(String jdbcUrl) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:postgresql:', got '" + jdbcUrl
                    + "'. Fix: pass e.g. jdbc:postgresql://localhost:5432/mlops");
        }
        this.jdbcUrl = jdbcUrl;
        return self();
    }

    /** The database user (default: the driver's default, the OS user). */
    public B user(String user) {
        this.user = Objects.requireNonNull(user, "user");
        return self();
    }

    /** The user's password (default: none). */
    public B password(String password) {
        this.password = Objects.requireNonNull(password, "password");
        return self();
    }

    /** Connections kept open at most (default 8); one per concurrent call. */
    public B maximumPoolSize(int maximumPoolSize) {
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be >= 1, got " + maximumPoolSize);
        }
        this.maximumPoolSize = maximumPoolSize;
        return self();
    }

    /**
     * How long a call waits for a connection before failing with a retriable
     * {@link dev.mlops.core.ResourceUnavailableException} (default 10 s, at least 250 ms).
     */
    public B connectionTimeout(Duration connectionTimeout) {
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connectionTimeout must be >= 250 ms, got " + connectionTimeout);
        }
        this.connectionTimeout = connectionTimeout;
        return self();
    }

    /**
     * Where the store's meters go (call latency timers {@code mlops.registry.postgres.calls}, error counters
     * {@code mlops.registry.postgres.errors} by cause, HikariCP's pool gauges {@code hikaricp.connections.*});
     * default a private {@link SimpleMeterRegistry}.
     */
    public B meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
        return self();
    }

    /**
     * Opens the pool and brings the schema to this library's version (missing migrations applied in one
     * transaction, serialised across processes by an advisory lock).
     *
     * @throws IllegalStateException                       if no jdbcUrl was set
     * @throws dev.mlops.core.ResourceUnavailableException if the server cannot be reached
     * @throws dev.mlops.core.NonRetriableException        if the database holds a newer or altered schema
     */
    public S build() {
        if (jdbcUrl == null) {
            throw new IllegalStateException("jdbcUrl is not set. Fix: call jdbcUrl(\"jdbc:postgresql://host:port/db\")");
        }
        return open(jdbcUrl, user, password, maximumPoolSize, connectionTimeout,
                meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
    }

    abstract S open(String jdbcUrl, String user, String password, int maximumPoolSize, Duration connectionTimeout,
                    MeterRegistry meterRegistry);
}
