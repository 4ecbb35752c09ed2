package dev.mlops.registry.spi;

import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AuditEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link RegistryStore} on a relational database: every {@link RegistryStore.Tx} operation in portable SQL (runs
 * unchanged on SQLite 3.24+ and PostgreSQL), so an engine only supplies its transactions, its write lock and its
 * error mapping. The tables it expects:
 *
 * <pre>
 * models(name PK, description, created BIGINT millis)
 * versions(model, version, run_id, artifact_path, flavor, signature NULL, input_example, description, created,
 *          archived INT 0/1, files; PK(model, version))
 * deleted_versions(model, version; PK(model, version))
 * model_tags(model, version, key, value; PK(model, version, key))      version 0: the model's own tags
 * aliases(model, alias, version; PK(model, alias))
 * alias_history(id auto-increasing PK, model, alias, from_version NULL, to_version NULL, at, principal, reason)
 * audit(seq PK, at, principal, action, target, details, reason, prev_hash, hash)   updates and deletes refused
 * meta(key PK, value)                                                  key 'audit_head'
 * </pre>
 */
public abstract class JdbcRegistryStore implements RegistryStore {

    /** A unit of work on a connection inside a transaction. */
    @FunctionalInterface
    protected interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on one connection: for a write, one that is serialized with every other
     * write (and that sees the latest committed data in each statement); for a read, one snapshot. Commits when the
     * work returns, rolls back when it throws, and maps an {@link SQLException} with {@link #failure}.
     */
    protected abstract <T> T transaction(boolean write, SqlWork<T> work);

    /**
     * Maps a database error to the SDK's exceptions: {@link dev.mlops.core.ResourceUnavailableException} when the
     * database is unreachable or locked, {@link dev.mlops.core.NonRetriableException} otherwise.
     */
    protected abstract RuntimeException failure(SQLException e, String what);

    @Override
    public final <T> T write(Work<T> work) {
        return transaction(true, c -> work.run(new JdbcTx(c)));
    }

    @Override
    public final <T> T read(Work<T> work) {
        return transaction(false, c -> work.run(new JdbcTx(c)));
    }

    /** A statement that may throw {@link SQLException}. */
    @FunctionalInterface
    private interface Sql<T> {
        T run() throws SQLException;
    }

    private final class JdbcTx implements Tx {
        private final Connection c;

        JdbcTx(Connection c) {
            this.c = c;
        }

        private <T> T sql(String what, Sql<T> body) {
            try {
                return body.run();
            } catch (SQLException e) {
                throw failure(e, what);
            }
        }

        private int update(String what, String sql, Object... args) {
            return sql(what, () -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    bind(ps, args);
                    return ps.executeUpdate();
                }
            });
        }

        @Override
        public Optional<ModelRow> model(String name) {
            return sql("reading a model", () -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT description, created FROM models WHERE name = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new ModelRow(name, rs.getString(1),
                                Instant.ofEpochMilli(rs.getLong(2)))) : Optional.empty();
                    }
                }
            });
        }

        @Override
        public List<String> modelNames() {
            return sql("listing models", () -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM models ORDER BY name");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
        }

        @Override
        public boolean insertModel(ModelRow row) {
            return update("registering a model", "INSERT INTO models(name, description, created) VALUES(?, ?, ?)"
                    + " ON CONFLICT(name) DO NOTHING", row.name(), row.description(), row.created().toEpochMilli()) == 1;
        }

        @Override
        public void updateModelDescription(String model, String description) {
            update("setting a description", "UPDATE models SET description = ? WHERE name = ?", description, model);
        }

        @Override
        public int lastVersionNumber(String model) {
            return sql("numbering a version", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(v), 0) FROM (SELECT version AS v"
                        + " FROM versions WHERE model = ? UNION ALL SELECT version FROM deleted_versions"
                        + " WHERE model = ?) x")) {
                    ps.setString(1, model);
                    ps.setString(2, model);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }
            });
        }

        @Override
        public void insertVersion(VersionRow r) {
            update("creating a version", "INSERT INTO versions(model, version, run_id, artifact_path, flavor,"
                    + " signature, input_example, description, created, archived, files)"
                    + " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.model(), r.version(), r.runId(), r.artifactPath(),
                    r.flavor(), new Null(r.signatureJson(), Types.VARCHAR), r.inputExampleJson(), r.description(),
                    r.created().toEpochMilli(), r.archived() ? 1 : 0, r.filesJson());
        }

        @Override
        public Optional<VersionRow> version(String model, int version) {
            return sql("reading a version", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT run_id, artifact_path, flavor, signature,"
                        + " input_example, description, created, archived, files FROM versions"
                        + " WHERE model = ? AND version = ?")) {
                    ps.setString(1, model);
                    ps.setInt(2, version);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        return Optional.of(new VersionRow(model, version, rs.getString(1), rs.getString(2),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                Instant.ofEpochMilli(rs.getLong(7)), rs.getInt(8) != 0, rs.getString(9)));
                    }
                }
            });
        }

        @Override
        public List<Integer> versionNumbers(String model) {
            return sql("listing versions", () -> {
                List<Integer> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT version FROM versions WHERE model = ? ORDER BY version")) {
                    ps.setString(1, model);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getInt(1));
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public void updateVersionDescription(String model, int version, String description) {
            update("setting a description", "UPDATE versions SET description = ? WHERE model = ? AND version = ?",
                    description, model, version);
        }

        @Override
        public void updateVersionArchived(String model, int version, boolean archived) {
            update("archiving a version", "UPDATE versions SET archived = ? WHERE model = ? AND version = ?",
                    archived ? 1 : 0, model, version);
        }

        @Override
        public void deleteVersion(String model, int version) {
            update("deleting a version", "INSERT INTO deleted_versions(model, version) VALUES(?, ?)"
                    + " ON CONFLICT(model, version) DO NOTHING", model, version);
            update("deleting a version", "DELETE FROM model_tags WHERE model = ? AND version = ?", model, version);
            update("deleting a version", "DELETE FROM versions WHERE model = ? AND version = ?", model, version);
        }

        @Override
        public Map<String, String> tags(String model, int version) {
            return sql("reading tags", () -> {
                Map<String, String> out = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT key, value FROM model_tags WHERE model = ? AND version = ?")) {
                    ps.setString(1, model);
                    ps.setInt(2, version);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public void putTag(String model, int version, String key, String value) {
            update("setting a tag", "INSERT INTO model_tags(model, version, key, value) VALUES(?, ?, ?, ?)"
                    + " ON CONFLICT(model, version, key) DO UPDATE SET value = excluded.value", model, version, key,
                    value);
        }

        @Override
        public Map<String, Integer> aliases(String model) {
            return sql("reading aliases", () -> {
                Map<String, Integer> out = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM aliases WHERE model = ?")) {
                    ps.setString(1, model);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), rs.getInt(2));
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public void putAlias(String model, String alias, int version) {
            update("moving an alias", "INSERT INTO aliases(model, alias, version) VALUES(?, ?, ?)"
                    + " ON CONFLICT(model, alias) DO UPDATE SET version = excluded.version", model, alias, version);
        }

        @Override
        public void removeAlias(String model, String alias) {
            update("removing an alias", "DELETE FROM aliases WHERE model = ? AND alias = ?", model, alias);
        }

        @Override
        public void appendAliasChange(AliasChange a) {
            update("recording an alias move", "INSERT INTO alias_history(model, alias, from_version, to_version, at,"
                    + " principal, reason) VALUES(?, ?, ?, ?, ?, ?, ?)", a.model(), a.alias(),
                    new Null(a.fromVersion(), Types.INTEGER), new Null(a.toVersion(), Types.INTEGER),
                    a.at().toEpochMilli(), a.principal(), a.reason());
        }

        @Override
        public List<AliasChange> aliasHistory(String model, String alias) {
            return sql("reading an alias history", () -> {
                List<AliasChange> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT from_version, to_version, at, principal, reason"
                        + " FROM alias_history WHERE model = ? AND alias = ? ORDER BY id")) {
                    ps.setString(1, model);
                    ps.setString(2, alias);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new AliasChange(model, alias, intOrNull(rs, 1), intOrNull(rs, 2),
                                    Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), rs.getString(5)));
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public Optional<AuditEntry> lastAuditEntry() {
            return sql("reading the audit log", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS
                        + " FROM audit ORDER BY seq DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(auditRow(rs)) : Optional.empty();
                }
            });
        }

        @Override
        public void appendAudit(AuditEntry e) {
            update("appending to the audit log", "INSERT INTO audit(" + AUDIT_COLUMNS
                    + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", e.seq(), e.at().toEpochMilli(), e.principal(), e.action(),
                    e.target(), e.details(), e.reason(), e.prevHash(), e.hash());
            update("appending to the audit log", "INSERT INTO meta(key, value) VALUES('audit_head', ?)"
                    + " ON CONFLICT(key) DO UPDATE SET value = excluded.value", e.seq() + ":" + e.hash());
        }

        @Override
        public List<AuditEntry> auditLog() {
            return sql("reading the audit log", () -> {
                List<AuditEntry> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + AUDIT_COLUMNS + " FROM audit ORDER BY seq");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(auditRow(rs));
                    }
                }
                return out;
            });
        }

        @Override
        public Optional<String> auditHead() {
            return sql("reading the audit head", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'audit_head'");
                     ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            });
        }
    }

    private static final String AUDIT_COLUMNS = "seq, at, principal, action, target, details, reason, prev_hash, hash";

    private static AuditEntry auditRow(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    /** A possibly-null parameter with its SQL type (PostgreSQL needs the type of a NULL). */
    private record Null(Object value, int sqlType) {
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case Null n when n.value() == null -> ps.setNull(i + 1, n.sqlType());
                case Null n -> ps.setObject(i + 1, n.value());
                case String s -> ps.setString(i + 1, s);
                case Integer n -> ps.setInt(i + 1, n);
                case Long n -> ps.setLong(i + 1, n);
                default -> throw new IllegalArgumentException("unsupported parameter type " + a.getClass());
            }
        }
    }
}
