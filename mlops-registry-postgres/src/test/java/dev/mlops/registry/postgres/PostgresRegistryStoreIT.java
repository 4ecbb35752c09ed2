package dev.mlops.registry.postgres;

import dev.mlops.registry.spi.RegistryStore;
import dev.mlops.registry.spi.RegistryStoreContract;
import dev.mlops.registry.spi.TrackingStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The PostgreSQL stores pass the registry's {@link RegistryStoreContract} on a real server, including two
 * registries writing at once and a client JVM killed mid-registration.
 */
@ExtendWith(PostgresServer.class)
class PostgresRegistryStoreIT extends RegistryStoreContract {

    /** The spec is a JDBC URL. */
    public static final class Postgres implements Backend {
        @Override
        public TrackingStore trackingStore(String spec) {
            return PostgresTrackingStore.builder().jdbcUrl(spec).maximumPoolSize(4)
                    .connectionTimeout(Duration.ofSeconds(5)).build();
        }

        @Override
        public RegistryStore registryStore(String spec) {
            return PostgresRegistryStore.builder().jdbcUrl(spec).maximumPoolSize(4)
                    .connectionTimeout(Duration.ofSeconds(5)).build();
        }
    }

    @Override
    protected Backend backend() {
        return new Postgres();
    }

    @Override
    protected String newSpec(Path dir) {
        try {
            return PostgresServer.get().newDatabase();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }
}
