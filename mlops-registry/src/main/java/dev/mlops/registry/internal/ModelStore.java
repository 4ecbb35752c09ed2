package dev.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.AuditVerification;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.Stage;
import dev.mlops.registry.VersionRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model registry on the tracking store's SQLite database: models, versions, tags, aliases with history,
 * the stage view, promotion and the hash-chained audit log. Every change and its audit entry are one transaction.
 */
final class ModelStore {

    static final String ZERO_HASH = "0".repeat(64);
    private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqliteTrackingStore store;
    private final Clock clock;
    private final Supplier<String> principal;

    /** Alias listeners, called after the transaction that moved an alias committed. */
    private final List<Consumer<AliasChange>> aliasListeners = new CopyOnWriteArrayList<>();
    /** The alias moves of the transaction running on this thread (null outside {@link #aliasTx}). */
    private final ThreadLocal<List<AliasChange>> moved = new ThreadLocal<>();

    ModelStore(SqliteTrackingStore store, Clock clock, Supplier<String> principal) {
        this.store = store;
        this.clock = clock;
        this.principal = principal;
        store.tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS models(name TEXT PRIMARY KEY, description TEXT NOT NULL,"
                        + " created INTEGER NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS model_tags(model TEXT NOT NULL, version INTEGER NOT NULL,"
                        + " key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(model, version, key))");
                st.execute("CREATE TABLE IF NOT EXISTS versions(model TEXT NOT NULL, version INTEGER NOT NULL,"
                        + " run_id TEXT NOT NULL, artifact_path TEXT NOT NULL, flavor TEXT NOT NULL, signature TEXT,"
                        + " input_example TEXT NOT NULL, description TEXT NOT NULL, created INTEGER NOT NULL,"
                        + " archived INTEGER NOT NULL DEFAULT 0, files TEXT NOT NULL, PRIMARY KEY(model, version))");
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

    private long now() {
        return clock.millis();
    }

    private String who() {
        String p = principal.get();
        return p == null || p.isBlank() ? "unknown" : p;
    }

    // ------------------------------------------------------------------------------------------ audit

    private void audit(Connection c, String action, String target, Map<String, Object> details, String reason)
            throws SQLException {
        long seq = 1;
        String prev = ZERO_HASH;
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                seq = rs.getLong(1) + 1;
                prev = rs.getString(2);
            }
        }
        long at = now();
        String who = who();
        String json = json(details);
        String r = reason == null ? "" : reason;
        String hash = hash(prev, seq, at, who, action, target, json, r);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit(seq, at, principal, action, target, details,"
                + " reason, prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, at);
            ps.setString(3, who);
            ps.setString(4, action);
            ps.setString(5, target);
            ps.setString(6, json);
            ps.setString(7, r);
            ps.setString(8, prev);
            ps.setString(9, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO meta(key, value) VALUES('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, seq + ":" + hash);
            ps.executeUpdate();
        }
    }

    static String hash(String prev, long seq, long at, String principal, String action, String target, String details,
                       String reason) {
        return Fingerprint.hasher().putString(prev).putLong(seq).putLong(at).putString(principal).putString(action)
                .putString(target).putString(details).putString(reason).finish().hex();
    }

    List<AuditEntry> auditLog() {
        return store.read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, principal, action, target, details, reason,"
                    + " prev_hash, hash FROM audit ORDER BY seq"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            rs.getString(9)));
                }
            }
            return out;
        });
    }

    AuditVerification verifyAuditLog() {
        String head = store.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = 'audit_head'");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        List<AuditEntry> log = auditLog();
        String prev = ZERO_HASH;
        long expectedSeq = 1;
        for (AuditEntry e : log) {
            if (e.seq() != expectedSeq) {
                return new AuditVerification(false, log.size(), expectedSeq, "entry " + expectedSeq + " is missing (next"
                        + " is " + e.seq() + ")", prev);
            }
            if (!e.prevHash().equals(prev)) {
                return new AuditVerification(false, log.size(), e.seq(), "entry " + e.seq() + " does not chain to the"
                        + " previous entry (prev_hash " + e.prevHash() + ", previous hash " + prev + ")", prev);
            }
            String h = hash(prev, e.seq(), e.at().toEpochMilli(), e.principal(), e.action(), e.target(), e.details(),
                    e.reason());
            if (!h.equals(e.hash())) {
                return new AuditVerification(false, log.size(), e.seq(), "entry " + e.seq() + " was altered: its content"
                        + " hashes to " + h + " but it records " + e.hash(), prev);
            }
            prev = h;
            expectedSeq++;
        }
        String expectedHead = log.isEmpty() ? null : log.get(log.size() - 1).seq() + ":" + prev;
        if (!Objects.equals(head, expectedHead)) {
            return new AuditVerification(false, log.size(), log.size() + 1L, "the log ends at " + expectedHead
                    + " but the recorded head is " + head + " (entries were removed from the end)", prev);
        }
        return new AuditVerification(true, log.size(), -1, "", prev);
    }

    // ------------------------------------------------------------------------------------------ models

    RegisteredModel createModel(String name, String description) {
        checkModelName(name);
        Objects.requireNonNull(description, "description");
        return store.tx(c -> {
            ensureModel(c, name, description, "");
            return loadModel(c, name);
        });
    }

    private static void checkModelName(String name) {
        Objects.requireNonNull(name, "model");
        if (!name.matches("[A-Za-z0-9_.\\-]{1,200}")) {
            throw new IllegalArgumentException("model name '" + name + "' must be 1 to 200 letters, digits, '_', '-'"
                    + " or '.'. Fix: e.g. 'breast-cancer-lr'");
        }
    }

    private void ensureModel(Connection c, String name, String description, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR IGNORE INTO models(name, description, created) VALUES(?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, description);
            ps.setLong(3, now());
            if (ps.executeUpdate() == 1) {
                audit(c, "create_model", "models:/" + name, Map.of("description", description), reason);
            }
        }
    }

    RegisteredModel model(String name) {
        return store.readTx(c -> loadModel(c, name));
    }

    List<RegisteredModel> models() {
        return store.readTx(c -> {
            List<RegisteredModel> out = new ArrayList<>();
            for (String n : modelNames(c)) {
                out.add(loadModel(c, n));
            }
            return out;
        });
    }

    private static List<String> modelNames(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM models ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private RegisteredModel loadModel(Connection c, String name) throws SQLException {
        Objects.requireNonNull(name, "model");
        try (PreparedStatement ps = c.prepareStatement("SELECT description, created,"
                + " (SELECT coalesce(max(version), 0) FROM versions WHERE model = m.name) FROM models m WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("model", name, modelNames(c));
                }
                return new RegisteredModel(name, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), tags(c, name, 0),
                        aliases(c, name), rs.getInt(3));
            }
        }
    }

    private static Map<String, String> tags(Connection c, String model, int version) throws SQLException {
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
    }

    private static Map<String, Integer> aliases(Connection c, String model) throws SQLException {
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
    }

    // ------------------------------------------------------------------------------------------ versions

    ModelVersion createVersion(VersionRequest r) {
        Objects.requireNonNull(r, "request");
        String signature = r.signature() == null ? null : signatureJson(r.signature());
        String example = json(r.inputExample());
        return store.tx(c -> {
            String runId = r.runId();
            long rid;
            try (PreparedStatement ps = c.prepareStatement("SELECT rid FROM runs WHERE uuid = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new NotFoundException("run", runId, List.of());
                    }
                    rid = rs.getLong(1);
                }
            }
            List<Map<String, Object>> files = new ArrayList<>();
            List<String> all = new ArrayList<>();
            String path = r.artifactPath();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT path, sha256, size FROM artifacts WHERE rid = ? ORDER BY path")) {
                ps.setLong(1, rid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String p = rs.getString(1);
                        all.add(p);
                        String rel = p.equals(path) ? p.substring(p.lastIndexOf('/') + 1)
                                : path.isEmpty() ? p : p.startsWith(path + "/") ? p.substring(path.length() + 1) : null;
                        if (rel != null) {
                            Map<String, Object> f = new LinkedHashMap<>();
                            f.put("path", rel);
                            f.put("sha256", rs.getString(2));
                            f.put("size", rs.getLong(3));
                            files.add(f);
                        }
                    }
                }
            }
            if (files.isEmpty()) {
                throw new NotFoundException("artifact of run " + runId, path, all);
            }
            ensureModel(c, r.model(), "", r.reason());
            int version;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(max(version), 0) + 1 FROM versions WHERE model = ?")) {
                ps.setString(1, r.model());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = rs.getInt(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO versions(model, version, run_id, artifact_path,"
                    + " flavor, signature, input_example, description, created, files)"
                    + " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.model());
                ps.setInt(2, version);
                ps.setString(3, runId);
                ps.setString(4, path);
                ps.setString(5, r.flavor());
                if (signature == null) {
                    ps.setNull(6, Types.VARCHAR);
                } else {
                    ps.setString(6, signature);
                }
                ps.setString(7, example);
                ps.setString(8, r.description());
                ps.setLong(9, now());
                ps.setString(10, json(files));
                ps.executeUpdate();
            }
            for (Map.Entry<String, String> t : r.tags().entrySet()) {
                putTag(c, r.model(), version, t.getKey(), t.getValue());
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("run_id", runId);
            details.put("artifact_path", path);
            details.put("flavor", r.flavor());
            details.put("files", files);
            audit(c, "create_version", "models:/" + r.model() + "/" + version, details, r.reason());
            return loadVersion(c, r.model(), version);
        });
    }

    ModelVersion version(String model, int version) {
        return store.readTx(c -> loadVersion(c, model, version));
    }

    List<ModelVersion> versions(String model) {
        return store.readTx(c -> {
            loadModel(c, model);
            List<ModelVersion> out = new ArrayList<>();
            for (int v : versionNumbers(c, model)) {
                out.add(loadVersion(c, model, v));
            }
            return out;
        });
    }

    private static List<Integer> versionNumbers(Connection c, String model) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM versions WHERE model = ? ORDER BY version")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    private ModelVersion loadVersion(Connection c, String model, int version) throws SQLException {
        loadModel(c, model);
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, artifact_path, flavor, signature, input_example,"
                + " description, created, archived, files FROM versions WHERE model = ? AND version = ?")) {
            ps.setString(1, model);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("version of model '" + model + "'", Integer.toString(version),
                            versionNumbers(c, model).stream().map(String::valueOf).toList());
                }
                Set<String> held = new TreeSet<>();
                aliases(c, model).forEach((a, v) -> {
                    if (v == version) {
                        held.add(a);
                    }
                });
                Stage stage = held.contains("production") ? Stage.PRODUCTION : held.contains("staging") ? Stage.STAGING
                        : rs.getInt(8) != 0 ? Stage.ARCHIVED : Stage.NONE;
                List<ArtifactEntry> files = new ArrayList<>();
                for (Map<String, Object> f : jsonList(rs.getString(9))) {
                    files.add(new ArtifactEntry((String) f.get("path"),
                            Fingerprint.parse(Fingerprint.PREFIX + f.get("sha256")), ((Number) f.get("size")).longValue()));
                }
                String sig = rs.getString(4);
                return new ModelVersion(model, version, rs.getString(1), rs.getString(2), rs.getString(3),
                        sig == null ? null : parseSignature(sig), jsonList(rs.getString(5)), rs.getString(6),
                        Instant.ofEpochMilli(rs.getLong(7)), tags(c, model, version), files, held, stage);
            }
        }
    }

    ModelVersion resolve(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith("models:/") || uri.length() == "models:/".length()) {
            throw new IllegalArgumentException("model URI '" + uri + "' must be models:/<name>/<version> or"
                    + " models:/<name>@<alias>. Fix: e.g. models:/churn/3 or models:/churn@champion");
        }
        String rest = uri.substring("models:/".length());
        int at = rest.indexOf('@');
        if (at > 0) {
            String model = rest.substring(0, at);
            String alias = rest.substring(at + 1);
            return store.readTx(c -> {
                Map<String, Integer> aliases = aliases(c, model);
                Integer v = aliases.get(alias);
                if (v == null) {
                    loadModel(c, model);
                    throw new NotFoundException("alias of model '" + model + "'", alias, List.copyOf(aliases.keySet()));
                }
                return loadVersion(c, model, v);
            });
        }
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("model URI '" + uri + "' has no version or alias. Fix: e.g. models:/"
                    + rest + "/1 or models:/" + rest + "@champion");
        }
        String model = rest.substring(0, slash);
        String v = rest.substring(slash + 1);
        if (!v.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("model URI '" + uri + "': version '" + v + "' is not a positive number");
        }
        return version(model, Integer.parseInt(v));
    }

    // ------------------------------------------------------------------------------------------ tags, descriptions

    void setDescription(String model, int version, String description, String reason) {
        Objects.requireNonNull(description, "description");
        store.tx(c -> {
            if (version == 0) {
                loadModel(c, model);
                try (PreparedStatement ps = c.prepareStatement("UPDATE models SET description = ? WHERE name = ?")) {
                    ps.setString(1, description);
                    ps.setString(2, model);
                    ps.executeUpdate();
                }
            } else {
                loadVersion(c, model, version);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE versions SET description = ? WHERE model = ? AND version = ?")) {
                    ps.setString(1, description);
                    ps.setString(2, model);
                    ps.setInt(3, version);
                    ps.executeUpdate();
                }
            }
            audit(c, "set_description", target(model, version), Map.of("description", description), reason);
            return null;
        });
    }

    void setTag(String model, int version, String key, String value, String reason) {
        TrackedRun.checkKey(key);
        Objects.requireNonNull(value, "value");
        store.tx(c -> {
            if (version == 0) {
                loadModel(c, model);
            } else {
                loadVersion(c, model, version);
            }
            putTag(c, model, version, key, value);
            audit(c, "set_tag", target(model, version), Map.of("key", key, "value", value), reason);
            return null;
        });
    }

    private static void putTag(Connection c, String model, int version, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_tags(model, version, key, value)"
                + " VALUES(?, ?, ?, ?) ON CONFLICT(model, version, key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, model);
            ps.setInt(2, version);
            ps.setString(3, key);
            ps.setString(4, value);
            ps.executeUpdate();
        }
    }

    private static String target(String model, int version) {
        return "models:/" + model + (version == 0 ? "" : "/" + version);
    }

    // ------------------------------------------------------------------------------------------ aliases

    static String checkAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        if (!alias.matches("[A-Za-z0-9_\\-]{1,100}") || alias.matches("[0-9]+") || alias.equals("latest")) {
            throw new IllegalArgumentException("alias '" + alias + "' must be 1 to 100 letters, digits, '_' or '-',"
                    + " not only digits and not 'latest'. Fix: e.g. 'champion'");
        }
        return alias;
    }

    ModelVersion setAlias(String model, String alias, int version, String reason) {
        checkAlias(alias);
        return aliasTx(c -> {
            moveAlias(c, model, alias, version, "set_alias", reason, Map.of());
            return loadVersion(c, model, version);
        });
    }

    /** Moves (or with {@code version == null} removes) an alias: history row and audit entry. */
    private Integer moveAlias(Connection c, String model, String alias, Integer version, String action, String reason,
                              Map<String, Object> extra) throws SQLException {
        if (version != null) {
            loadVersion(c, model, version);
        } else {
            loadModel(c, model);
        }
        Integer from = aliases(c, model).get(alias);
        if (Objects.equals(from, version)) {
            return from;
        }
        if (version == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM aliases WHERE model = ? AND alias = ?")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO aliases(model, alias, version) VALUES(?, ?, ?)"
                    + " ON CONFLICT(model, alias) DO UPDATE SET version = excluded.version")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                ps.setInt(3, version);
                ps.executeUpdate();
            }
        }
        String who = who();
        long at = now();
        List<AliasChange> pending = moved.get();
        if (pending != null) {
            pending.add(new AliasChange(model, alias, from, version, Instant.ofEpochMilli(at), who,
                    reason == null ? "" : reason));
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alias_history(model, alias, from_version,"
                + " to_version, at, principal, reason) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, model);
            ps.setString(2, alias);
            ps.setObject(3, from);
            ps.setObject(4, version);
            ps.setLong(5, at);
            ps.setString(6, who);
            ps.setString(7, reason == null ? "" : reason);
            ps.executeUpdate();
        }
        Map<String, Object> details = new LinkedHashMap<>(extra);
        details.put("from", from);
        details.put("to", version);
        audit(c, action, "models:/" + model + "@" + alias, details, reason);
        return from;
    }

    /**
     * Runs {@code work} in one transaction like {@code store.tx}, then, once it committed, tells the alias listeners
     * about every alias it moved, in order. A rolled-back transaction tells nobody.
     */
    private <T> T aliasTx(SqliteTrackingStore.Work<T> work) {
        List<AliasChange> changes = new ArrayList<>(1);
        T result = store.tx(c -> {
            changes.clear();
            moved.set(changes);
            try {
                return work.run(c);
            } finally {
                moved.remove();
            }
        });
        for (AliasChange change : changes) {
            for (Consumer<AliasChange> listener : aliasListeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    LOG.warn("registry: an alias listener failed on {}; the move itself is committed", change, e);
                }
            }
        }
        return result;
    }

    /** Adds a listener for committed alias moves; the returned action removes it. */
    Runnable onAliasChange(Consumer<AliasChange> listener) {
        Objects.requireNonNull(listener, "listener");
        aliasListeners.add(listener);
        return () -> aliasListeners.remove(listener);
    }

    void deleteAlias(String model, String alias, String reason) {
        checkAlias(alias);
        aliasTx(c -> moveAlias(c, model, alias, null, "delete_alias", reason, Map.of()));
    }

    List<AliasChange> aliasHistory(String model, String alias) {
        return store.read(c -> {
            loadModel(c, model);
            List<AliasChange> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT from_version, to_version, at, principal, reason"
                    + " FROM alias_history WHERE model = ? AND alias = ? ORDER BY id")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AliasChange(model, alias, (Integer) intOrNull(rs, 1), (Integer) intOrNull(rs, 2),
                                Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), rs.getString(5)));
                    }
                }
            }
            return out;
        });
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    ModelVersion transitionStage(String model, int version, Stage stage, String reason) {
        Objects.requireNonNull(stage, "stage");
        return aliasTx(c -> {
            loadVersion(c, model, version);
            Map<String, Object> extra = Map.of("stage", stage.name());
            if (stage == Stage.PRODUCTION || stage == Stage.STAGING) {
                moveAlias(c, model, stage.alias(), version, "transition_stage", reason, extra);
                setArchived(c, model, version, false);
            } else {
                for (String a : List.of("production", "staging")) {
                    if (Objects.equals(aliases(c, model).get(a), version)) {
                        moveAlias(c, model, a, null, "transition_stage", reason, extra);
                    }
                }
                setArchived(c, model, version, stage == Stage.ARCHIVED);
                audit(c, "transition_stage", target(model, version), Map.of("stage", stage.name()), reason);
            }
            return loadVersion(c, model, version);
        });
    }

    private static void setArchived(Connection c, String model, int version, boolean archived) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE versions SET archived = ? WHERE model = ? AND version = ?")) {
            ps.setInt(1, archived ? 1 : 0);
            ps.setString(2, model);
            ps.setInt(3, version);
            ps.executeUpdate();
        }
    }

    ModelVersion rollback(String model, String alias, String reason) {
        checkAlias(alias);
        return aliasTx(c -> {
            loadModel(c, model);
            Integer previous = null;
            boolean any = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT from_version FROM alias_history"
                    + " WHERE model = ? AND alias = ? ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, model);
                ps.setString(2, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        any = true;
                        previous = intOrNull(rs, 1);
                    }
                }
            }
            if (previous == null) {
                throw new IllegalStateException("cannot roll back models:/" + model + "@" + alias + ": "
                        + (any ? "no version held it before its latest move" : "the alias was never set")
                        + ". Fix: set the alias explicitly with setAlias");
            }
            moveAlias(c, model, alias, previous, "rollback", reason, Map.of());
            return loadVersion(c, model, previous);
        });
    }

    // ------------------------------------------------------------------------------------------ promotion

    PromotionDecision evaluate(String model, int candidate, String alias, PromotionPolicy policy) {
        checkAlias(alias);
        Objects.requireNonNull(policy, "policy");
        return store.readTx(c -> decide(c, model, candidate, alias, policy));
    }

    PromotionDecision promote(String model, int candidate, String alias, PromotionPolicy policy, String reason) {
        checkAlias(alias);
        Objects.requireNonNull(policy, "policy");
        return aliasTx(c -> {
            PromotionDecision d = decide(c, model, candidate, alias, policy);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("policy", policy.gate());
            details.put("same_dataset", policy.sameDataset());
            details.put("approved", d.approved());
            details.put("reasons", d.reasons());
            if (d.approved()) {
                moveAlias(c, model, alias, candidate, "promote", reason, details);
            } else {
                details.put("candidate", candidate);
                details.put("champion", d.champion());
                audit(c, "promotion_denied", "models:/" + model + "@" + alias, details, reason);
            }
            return d;
        });
    }

    private PromotionDecision decide(Connection c, String model, int candidate, String alias, PromotionPolicy policy)
            throws SQLException {
        ModelVersion cand = loadVersion(c, model, candidate);
        Integer champion = aliases(c, model).get(alias);
        ModelVersion champ = champion == null ? null : loadVersion(c, model, champion);
        List<String> reasons = new ArrayList<>();
        boolean ok = true;
        if (champion != null && champion == candidate) {
            reasons.add("version " + candidate + " already holds @" + alias);
        }
        Map<String, Double> candMetrics = runMetrics(c, cand.runId());
        Map<String, Double> champMetrics = champ == null ? null : runMetrics(c, champ.runId());
        if (policy.sameDataset() != null) {
            String name = policy.sameDataset();
            String a = runDataset(c, cand.runId(), name);
            String b = champ == null ? null : runDataset(c, champ.runId(), name);
            if (a == null) {
                ok = false;
                reasons.add("dataset '" + name + "': the candidate's run " + cand.runId() + " did not log it; failed");
            } else if (champ == null) {
                reasons.add("dataset '" + name + "': " + a + " (no champion to compare with); passed");
            } else if (!a.equals(b)) {
                ok = false;
                reasons.add("dataset '" + name + "': candidate " + a + " differs from champion " + b
                        + "; the metrics are not comparable; failed");
            } else {
                reasons.add("dataset '" + name + "': both evaluated on " + a + "; passed");
            }
        }
        for (Gate.Clause clause : Gate.parse(policy.gate()).clauses()) {
            Gate.Outcome o = Gate.evaluate(clause, candMetrics, champMetrics);
            ok &= o.passed();
            reasons.add(o.reason());
        }
        return new PromotionDecision(ok, model, alias, candidate, champion, reasons);
    }

    private static Map<String, Double> runMetrics(Connection c, String runId) throws SQLException {
        Map<String, Double> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT m.key, m.value FROM latest_metrics m JOIN runs r"
                + " ON r.rid = m.rid WHERE r.uuid = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(2);
                    out.put(rs.getString(1), rs.wasNull() ? Double.NaN : v);
                }
            }
        }
        return out;
    }

    private static String runDataset(Connection c, String runId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.value FROM datasets d JOIN runs r ON r.rid = d.rid"
                + " WHERE r.uuid = ? AND d.key = ?")) {
            ps.setString(1, runId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ JSON

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static List<Map<String, Object>> jsonList(String text) {
        try {
            return JSON.readValue(text, new TypeReference<List<Map<String, Object>>>() { });
        } catch (JsonProcessingException e) {
            throw new NonRetriableException("registry JSON is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    static String signatureJson(ModelSignature s) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field f : s.inputs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type().name());
            m.put("nullable", f.nullable());
            fields.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", fields);
        m.put("output", s.output().name());
        return json(m);
    }

    static ModelSignature parseSignature(String text) {
        try {
            Map<String, Object> m = JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
            List<Field> fields = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> inputs = (List<Map<String, Object>>) m.get("inputs");
            for (Map<String, Object> f : inputs) {
                ColumnType type = ColumnType.valueOf((String) f.get("type"));
                fields.add(Boolean.TRUE.equals(f.get("nullable")) ? Field.nullable((String) f.get("name"), type)
                        : Field.of((String) f.get("name"), type));
            }
            return new ModelSignature(Schema.of(fields), ColumnType.valueOf((String) m.get("output")));
        } catch (JsonProcessingException e) {
            throw new NonRetriableException("stored model signature is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
