package dev.mlops.registry.internal;

import dev.mlops.registry.spi.JdbcRegistryStore;
import dev.mlops.registry.spi.RegistryStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded {@link RegistryStore}: the model-registry tables in the same SQLite database as the tracking
 * tables ({@code registry.db}). Writes are {@code BEGIN IMMEDIATE} transactions, which SQLite serializes across
 * connections and processes (busy timeout 60 s); reads are deferred transactions (one WAL snapshot). Updates and
 * deletes of audit entries are refused by triggers.
 */
public final class SqliteRegistryStore extends JdbcRegistryStore {

    private final SqliteTrackingStore db;
    private final boolean owned;

    /** The registry tables on the connection of an open tracking store, which stays the caller's to close. */
    public SqliteRegistryStore(SqliteTrackingStore db) {
        this(db, false);
    }

    /** Opens (or creates) {@code file} with its own connection, closed by {@link #close()}. */
    public SqliteRegistryStore(Path file, boolean durableCommits) {
        this(new SqliteTrackingStore(file, durableCommits), true);
    }

    private SqliteRegistryStore(SqliteTrackingStore db, boolean owned) {
        this.db = db;
        this.owned = owned;
        createSchema();
    }

    private void createSchema() {
        db.tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS models(name TEXT PRIMARY KEY, description TEXT NOT NULL,"
                        + " created INTEGER NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS model_tags(model TEXT NOT NULL, version INTEGER NOT NULL,"
                        + " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(model, version, key))");
                st.execute("CREATE TABLE IF NOT EXISTS versions(model TEXT NOT NULL, version INTEGER NOT NULL,"
                        + " run_id TEXT NOT NULL, artifact_path TEXT NOT NULL, flavor TEXT NOT NULL, signature TEXT,"
                        + " input_example TEXT NOT NULL, description TEXT NOT NULL, created INTEGER NOT NULL,"
                        + " archived INTEGER NOT NULL DEFAULT 0, files TEXT NOT NULL, PRIMARY KEY(model, version))");
                st.execute("CREATE TABLE IF NOT EXISTS deleted_versions(model TEXT NOT NULL,"
                        + " version INTEGER NOT NULL, PRIMARY KEY(model, version))");
                st.execute("CREATE TABLE IF NOT EXISTS aliases(model TEXT NOT NULL, alias TEXT NOT NULL,"
                        + " version INTEGER NOT NULL, PRIMARY KEY(model, alias))");
                st.execute("CREATE TABLE IF NOT EXISTS alias_history(id INTEGER PRIMARY KEY, model TEXT NOT NULL,"
                        + " alias TEXT NOT NULL, from_version INTEGER, to_version INTEGER, at INTEGER NOT NULL,"
                        + " principal TEXT NOT NULL, reason TEXT NOT NULL)");
                st.execute("CREATE INDEX IF NOT EXISTS alias_history_ma ON alias_history(model, alias)");
                st.execute("CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
                        + " principal TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, details TEXT NOT NULL,"
                        + " reason TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)");
                st.execute("CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
                        + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
                st.execute("CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
                        + " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END");
            }
            return null;
        });
    }

    @Override
    protected <T> T transaction(boolean write, SqlWork<T> work) {
        return write ? db.tx(work::run) : db.readTx(work::run);
    }

    @Override
    protected RuntimeException failure(SQLException e, String what) {
        return db.failure(e, what);
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
