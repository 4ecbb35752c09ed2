package dev.mlops.registry.postgres;

import dev.mlops.registry.postgres.internal.PgRegistryStore;
import dev.mlops.registry.spi.RegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

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

    /** Settings of a PostgreSQL registry store: the connection settings of {@link PostgresStoreBuilder}. */
    public static final class Builder extends PostgresStoreBuilder<Builder, RegistryStore> {
        private Builder() {
        }

        @Override
        RegistryStore open(String jdbcUrl, String user, String password, int maximumPoolSize, Duration connectionTimeout,
                           MeterRegistry meterRegistry) {
            return new PgRegistryStore(jdbcUrl, user, password, maximumPoolSize, connectionTimeout, meterRegistry);
        }
    }
}
