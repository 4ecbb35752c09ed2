package dev.mlops.registry.postgres;

import dev.mlops.registry.spi.TrackingStore;
import dev.mlops.registry.spi.TrackingStoreContract;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL store passes the registry's {@link TrackingStoreContract}, on a real server. */
@ExtendWith(PostgresServer.class)
class PostgresTrackingStoreIT extends TrackingStoreContract {

    @Override
    protected TrackingStore newStore(Path dir) {
        try {
            return PostgresTrackingStore.builder().jdbcUrl(PostgresServer.get().newDatabase()).maximumPoolSize(4)
                    .connectionTimeout(Duration.ofSeconds(5)).build();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database", e);
        }
    }
}
