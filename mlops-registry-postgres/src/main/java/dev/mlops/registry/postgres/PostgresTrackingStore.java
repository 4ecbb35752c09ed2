package dev.mlops.registry.postgres;

import dev.mlops.registry.postgres.internal.PgTrackingStore;
import dev.mlops.registry.spi.TrackingStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Entry point: a {@link TrackingStore} on a PostgreSQL server shared by many processes and hosts.
 *
 * <pre>{@code
 * TrackingStore store = PostgresTrackingStore.builder()
 *         .jdbcUrl("jdbc:postgresql://db.internal:5432/mlops")
 *         .user("mlops").password(secret)
 *         .build();   // applies missing schema migrations, in one transaction
 * }</pre>
 *
 * <p>Semantics are those of the embedded SQLite store (the registry's {@code TrackingStoreContract} runs against
 * both): every method is one transaction, durable when it returns (the server's {@code synchronous_commit});
 * searches take the same {@link dev.mlops.registry.spi.Filter} translated to SQL with bound parameters. When the
 * server is unreachable, calls fail with {@link dev.mlops.core.ResourceUnavailableException} (retriable) after
 * the connection timeout, and work again once it is back: the pool replaces broken connections.
 */
public final class PostgresTrackingStore {

    private PostgresTrackingStore() {
    }

    /** A builder; {@link Builder#jdbcUrl} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a PostgreSQL tracking store: the connection settings of {@link PostgresStoreBuilder}. */
    public static final class Builder extends PostgresStoreBuilder<Builder, TrackingStore> {
        private Builder() {
        }

        @Override
        TrackingStore open(String jdbcUrl, String user, String password, int maximumPoolSize, Duration connectionTimeout,
                           MeterRegistry meterRegistry) {
            return new PgTrackingStore(jdbcUrl, user, password, maximumPoolSize, connectionTimeout, meterRegistry);
        }
    }
}
