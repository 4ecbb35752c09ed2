package dev.mlops.registry.spi;

import dev.mlops.registry.internal.SqliteRegistryStore;
import dev.mlops.registry.internal.SqliteTrackingStore;
import java.nio.file.Path;

/** The embedded SQLite store passes the {@link RegistryStoreContract}; each store opens its own connection. */
class SqliteRegistryStoreTest extends RegistryStoreContract {

    /** The spec is the directory holding {@code registry.db}. */
    public static final class Sqlite implements Backend {
        @Override
        public TrackingStore trackingStore(String spec) {
            return new SqliteTrackingStore(Path.of(spec).resolve("registry.db"), true);
        }

        @Override
        public RegistryStore registryStore(String spec) {
            return new SqliteRegistryStore(Path.of(spec).resolve("registry.db"), true);
        }
    }

    @Override
    protected Backend backend() {
        return new Sqlite();
    }

    @Override
    protected String newSpec(Path dir) {
        return dir.resolve("db").toString();
    }
}
