package dev.mlops.registry.postgres.internal;

import dev.mlops.registry.spi.JdbcRegistryStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The PostgreSQL {@link dev.mlops.registry.spi.RegistryStore}: the portable SQL of {@link JdbcRegistryStore} on
 * a HikariCP pool. Every write transaction first takes one transaction-scoped advisory lock, so writes from all
 * processes and hosts are serialized (READ COMMITTED then sees every earlier write in each statement): version
 * numbers, alias moves and the audit chain cannot interleave. Reads run in a REPEATABLE READ read-only
 * transaction (one snapshot) and take no lock.
 */
public final class PgRegistryStore extends JdbcRegistryStore {

    private final PgDatabase db;

    /** Opens the pool and applies missing migrations; see {@code PostgresRegistryStore.Builder#build}. */
    public PgRegistryStore(String jdbcUrl, String user, String password, int maximumPoolSize,
                           Duration connectionTimeout, MeterRegistry meters) {
        this.db = new PgDatabase("registry", jdbcUrl, user, password, maximumPoolSize, connectionTimeout, meters);
    }

    @Override
    protected <T> T transaction(boolean write, SqlWork<T> work) {
        return write ? db.tx(work::run, true) : db.readTx(work::run);
    }

    @Override
    protected RuntimeException failure(SQLException e, String what) {
        return db.failure(e, what);
    }

    @Override
    public void close() {
        db.close();
    }
}
