package dev.mlops.registry.postgres;

import dev.mlops.registry.postgres.internal.PgRegistryStore;
import dev.mlops.registry.spi.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Entry point: a {@link RegistryStore} (registered models, versions, aliases with history, the audit log) on a
 * PostgreSQL server shared by many processes and hosts; with {@link PostgresTrackingStore} on the same database, a
 * whole {@link dev.mlops.registry.ModelRegistry} lives on the server.
 *
 * <pre>{@code
 * String url = "jdbc:postgresql://db.internal:5432/mlops";
 * try (TrackingStore tracking = PostgresTrackingStore.builder().jdbcUrl(url).user("mlops").password(secret).build();
 *      RegistryStore models = PostgresRegistryStore.builder().jdbcUrl(url).user("mlops").password(secret).build();
 *      ModelRegistry registry = ModelRegistry.builder().home(Path.of("/mnt/shared/mlops"))
 *              .trackingStore(tracking).registryStore(models).build()) {
 *     registry.setAlias("churn", "champion", 7, "passed the gate");
 * }
 * }</pre>
 *
 * <p>Semantics are those of the embedded SQLite store (the registry's {@code RegistryStoreContract} runs against
 * both). Writes are serialized across every client by a transaction-scoped advisory lock, so version numbers stay
 * monotonic without duplicates, concurrent alias moves never lose one, and the audit hash chain stays linear. When
 * the server is unreachable, calls fail with {@link dev.mlops.core.ResourceUnavailableException} (retriable; nothing
 * of the call was committed) after the connection timeout, and work again once it is back.
 */
public final class PostgresRegistryStore {

    private PostgresRegistryStore() {
    }

    /** A builder; {@link Builder#jdbcUrl} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a PostgreSQL registry store. */
    public static final class Builder {
        private String jdbcUrl;
        private String user;
        private String password;
        private int maximumPoolSize = 8;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /** The server and database, {@code jdbc:postgresql://host:port/database[?options]}. */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("jdbcUrl must start with 'jdbc:postgresql:', got '" + jdbcUrl
                        + "'. Fix: pass e.g. jdbc:postgresql://localhost:5432/mlops");
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** The database user (default: the driver's default, the OS user). */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /** The user's password (default: none). */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Connections kept open at most (default 8); one per concurrent call. */
        public Builder maximumPoolSize(int maximumPoolSize) {
            if (maximumPoolSize < 1) {
                throw new IllegalArgumentException("maximumPoolSize must be >= 1, got " + maximumPoolSize);
            }
            this.maximumPoolSize = maximumPoolSize;
            return this;
        }

        /**
         * How long a call waits for a connection before failing with a retriable
         * {@link dev.mlops.core.ResourceUnavailableException} (default 10 s, at least 250 ms).
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            if (connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("connectionTimeout must be >= 250 ms, got " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        /**
         * Where the store's meters go (call latency timers {@code mlops.registry.postgres.calls}, error counters
         * {@code mlops.registry.postgres.errors} by cause, HikariCP's pool gauges {@code hikaricp.connections.*});
         * default a private {@link SimpleMeterRegistry}.
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * Opens the pool and brings the schema to this library's version (missing migrations applied in one
         * transaction, serialised across processes by an advisory lock).
         *
         * @throws IllegalStateException                       if no jdbcUrl was set
         * @throws dev.mlops.core.ResourceUnavailableException if the server cannot be reached
         * @throws dev.mlops.core.NonRetriableException        if the database holds a newer or altered schema
         */
        public RegistryStore build() {
            if (jdbcUrl == null) {
                throw new IllegalStateException("jdbcUrl is not set. Fix: call jdbcUrl(\"jdbc:postgresql://host:port/db\")");
            }
            return new PgRegistryStore(jdbcUrl, user, password, maximumPoolSize, connectionTimeout,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
        }
    }
}
