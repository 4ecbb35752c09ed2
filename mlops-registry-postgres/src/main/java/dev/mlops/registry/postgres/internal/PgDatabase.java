package dev.mlops.registry.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL database behind a HikariCP pool, shared by the tracking and registry stores' code: transactions,
 * the error mapping and the meters. Opening it applies missing schema migrations.
 *
 * <p>Meters (tag {@code store}: {@code tracking} or {@code registry}): {@code mlops.registry.postgres.calls}, a
 * timer per call with tags {@code kind} ({@code read}, {@code write}) and {@code outcome} ({@code ok},
 * {@code error}); {@code mlops.registry.postgres.errors}, a counter with tag {@code cause} ({@code unavailable}:
 * the server unreachable, shutting down, out of resources, or a serialization failure or deadlock;
 * {@code corrupt}; {@code rejected}: anything else, e.g. a constraint violation); and HikariCP's pool gauges
 * ({@code hikaricp.connections.active}, {@code .idle}, {@code .pending}, {@code .max}, ... with tag {@code pool}).
 */
final class PgDatabase implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A unit of work inside one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final String where;
    private final String storeName;
    private final HikariDataSource pool;
    private final MeterRegistry meters;
    private final Timer readOk;
    private final Timer readError;
    private final Timer writeOk;
    private final Timer writeError;

    PgDatabase(String storeName, String jdbcUrl, String user, String password, int maximumPoolSize,
               Duration connectionTimeout, MeterRegistry meters) {
        this.storeName = storeName;
        this.where = redact(jdbcUrl);
        this.meters = meters;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(Math.min(2, maximumPoolSize));
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setValidationTimeout(Math.min(connectionTimeout.toMillis(), 5_000));
        config.setInitializationFailTimeout(-1); // no connection at start: our own call below reports it
        config.setPoolName("mlops-" + storeName + "-postgres-" + POOLS.incrementAndGet());
        config.setMetricRegistry(meters);
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, connectionTimeout.toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        this.readOk = timer("read", "ok");
        this.readError = timer("read", "error");
        this.writeOk = timer("write", "ok");
        this.writeError = timer("write", "error");
        this.pool = new HikariDataSource(config);
        boolean ok = false;
        try (Connection c = pool.getConnection()) {
            Migrations.apply(c, where);
            ok = true;
        } catch (SQLException e) {
            throw failure(e, "opening the store and applying schema migrations");
        } finally {
            if (!ok) {
                pool.close();
            }
        }
    }

    private Timer timer(String kind, String outcome) {
        return Timer.builder("mlops.registry.postgres.calls").description("calls to the PostgreSQL store")
                .tag("store", storeName).tag("kind", kind).tag("outcome", outcome).register(meters);
    }

    String where() {
        return where;
    }

    private static String redact(String url) {
        int q = url.indexOf('?');
        return "'" + (q < 0 ? url : url.substring(0, q)) + "'";
    }

    /** Runs {@code work} in one READ COMMITTED transaction, committing on success and rolling back on failure. */
    <T> T tx(Work<T> work) {
        return tx(work, false);
    }

    /**
     * Like {@link #tx(Work)}; with {@code serialize}, the transaction first takes a transaction-scoped advisory
     * lock, so it runs after every other serialized transaction on the database committed (each statement then sees
     * their writes).
     */
    <T> T tx(Work<T> work, boolean serialize) {
        checkOpen();
        long t0 = System.nanoTime();
        boolean success = false;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            boolean ok = false;
            try {
                if (serialize) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT pg_advisory_xact_lock(" + Migrations.REGISTRY_LOCK_KEY + ")");
                    }
                }
                T result = work.run(c);
                c.commit();
                ok = true;
                success = true;
                return result;
            } finally {
                if (!ok) {
                    rollbackQuietly(c);
                }
                if (!c.isClosed()) {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            RuntimeException mapped = failure(e, "a write");
            countError(mapped);
            throw mapped;
        } catch (RuntimeException e) {
            countError(e);
            throw e;
        } finally {
            (success ? writeOk : writeError).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    /** Runs {@code work} in a REPEATABLE READ read-only transaction: one snapshot. */
    <T> T readTx(Work<T> work) {
        checkOpen();
        long t0 = System.nanoTime();
        boolean success = false;
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                T result = work.run(c);
                c.commit();
                success = true;
                return result;
            } finally {
                rollbackQuietly(c);
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            RuntimeException mapped = failure(e, "a read");
            countError(mapped);
            throw mapped;
        } catch (RuntimeException e) {
            countError(e);
            throw e;
        } finally {
            (success ? readOk : readError).record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the pool evicts it and the original failure is what the caller sees
        }
    }

    private void checkOpen() {
        if (pool.isClosed()) {
            throw new IllegalStateException("the " + storeName + " store " + where + " is closed");
        }
    }

    private void countError(RuntimeException e) {
        String cause = e instanceof ResourceUnavailableException ? "unavailable"
                : e instanceof StoreCorruptedException ? "corrupt" : e instanceof NonRetriableException
                ? "rejected" : null;
        if (cause != null) { // other exceptions are the caller's own (a bad argument, a missing run)
            Counter.builder("mlops.registry.postgres.errors").description("failed calls to the PostgreSQL store")
                    .tag("store", storeName).tag("cause", cause).register(meters).increment();
        }
    }

    /** Maps a driver error: unreachable or contended becomes retriable, data corruption a store error. */
    RuntimeException failure(SQLException e, String what) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean unavailable = e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException || state.startsWith("08")
                || state.startsWith("57P") || state.startsWith("53") || state.equals("40001") || state.equals("40P01");
        if (unavailable) {
            return new ResourceUnavailableException(where, what + " could not reach the PostgreSQL server or was"
                    + " cut off (SQLSTATE " + state + ": " + e.getMessage() + "); nothing of this call was committed."
                    + " Retry when the server is back", e);
        }
        if (state.equals("XX001") || state.equals("XX002")) {
            return new StoreCorruptedException(Path.of(where), what + " failed: " + e.getMessage(),
                    "restore the database from a backup", e);
        }
        return new NonRetriableException(storeName + " store " + where + ": " + what + " failed (SQLSTATE " + state
                + "): " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.close();
    }
}
