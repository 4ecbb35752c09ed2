package dev.mlops.registry.spi;

import dev.mlops.registry.internal.SqliteTrackingStore;
import java.nio.file.Path;

/** The embedded SQLite store passes the {@link TrackingStoreContract}. */
class SqliteTrackingStoreTest extends TrackingStoreContract {

    @Override
    protected TrackingStore newStore(Path dir) {
        return new SqliteTrackingStore(dir.resolve("registry.db"), true);
    }
}
