package dev.mlops.registry.internal;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunView;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.JdbcRunLifecycle;
import dev.mlops.registry.spi.JdbcTrackingSql;
import dev.mlops.registry.spi.SqlFilter;
import dev.mlops.registry.spi.TrackingStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link TrackingStore}: one SQLite database in WAL mode with {@code synchronous=FULL} (or
 * {@code NORMAL} when durable commits are off), so a committed transaction survives a killed process (with FULL
 * also a power cut). Writes run in {@code BEGIN IMMEDIATE}
 * transactions, so writers in several processes queue on SQLite's lock (busy timeout 60 s) instead of failing
 * on a lock upgrade. One connection per store instance, guarded by a lock.
 *
 * <p>Metric history is stored in segments: one row per (write, key) holding its points packed (value, step,
 * timestamp), so a buffered chunk of thousands of points costs a handful of row inserts. The latest point per key
 * is kept in {@code latest_metrics}, which search uses. There, NaN metric values are stored as SQL NULL (SQLite has no NaN) in a NOT NULL-by-contract column, and read
 * back as NaN.
 */
public final class SqliteTrackingStore implements TrackingStore {

    /** SQLite: {@code like} as a case-sensitive GLOB (GLOB's own wildcards quoted); {@code ilike} over {@code lower()}. */
    private static final SqlFilter FILTER = SqlFilter.of(new SqlFilter.Dialect() {
        @Override
        public String trueLiteral() {
            return "1";
        }

        @Override
        public String falseLiteral() {
            return "0";
        }

        @Override
        public void like(String col, String pattern, boolean ignoreAsciiCase, StringBuilder sql, List<Object> args) {
            sql.append(ignoreAsciiCase ? "lower(" + col + ")" : col).append(" GLOB ?");
            args.add(likeToGlob(pattern, ignoreAsciiCase));
        }
    });

    /** A LIKE pattern ({@code %}, {@code _}) as a GLOB pattern with GLOB's own wildcards quoted. */
    static String likeToGlob(String like, boolean lower) {
        StringBuilder g = new StringBuilder(like.length() + 8);
        for (int i = 0; i < like.length(); i++) {
            char ch = like.charAt(i);
            switch (ch) {
                case '%' -> g.append('*');
                case '_' -> g.append('?');
                case '*' -> g.append("[*]");
                case '?' -> g.append("[?]");
                case '[' -> g.append("[[]");
                default -> g.append(lower && ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
            }
        }
        return g.toString();
    }

    /** 1: the first release; 2: {@code deleted} columns on {@code runs} and {@code experiments}. */
    static final int SCHEMA_VERSION = 2;
    private static final int IN_CHUNK = 500;
    private static final int POINT_BYTES = 24;

    private final Path file;
    private final Connection conn;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Long> ridCache = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A unit of work inside one transaction. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Opens or creates {@code file}. */
    public SqliteTrackingStore(Path file, boolean durableCommits) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Properties props = new Properties();
            props.setProperty("transaction_mode", "IMMEDIATE");
            props.setProperty("busy_timeout", "60000");
            this.conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), props);
            try (Statement st = conn.createStatement()) {
                st.execute("PRAGMA busy_timeout=60000");
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode=WAL")) {
                    String mode = rs.next() ? rs.getString(1) : "?";
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new NonRetriableException("store '" + file + "' could not switch to WAL mode (got '"
                                + mode + "'). Fix: put the registry home on a local file system");
                    }
                }
                st.execute(durableCommits ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
                st.execute("PRAGMA foreign_keys=OFF");
            }
            createSchema();
        } catch (SQLException e) {
            throw failure(e, "opening the store");
        } catch (java.io.IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot create its directory (" + e + ")", e);
        }
    }

    private void createSchema() {
        tx(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS experiments(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " created INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)");
                st.execute("CREATE TABLE IF NOT EXISTS runs(rid INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                        + " experiment_id INTEGER NOT NULL, name TEXT NOT NULL, parent_uuid TEXT,"
                        + " status TEXT NOT NULL, start_time INTEGER NOT NULL, end_time INTEGER,"
                        + " deleted INTEGER NOT NULL DEFAULT 0)");
                st.execute("CREATE INDEX IF NOT EXISTS runs_exp ON runs(experiment_id, start_time)");
                st.execute("CREATE INDEX IF NOT EXISTS runs_start ON runs(start_time)");
                for (String t : List.of("params", "tags", "datasets")) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + t + "(rid INTEGER NOT NULL, key TEXT NOT NULL,"
                            + " value TEXT NOT NULL, PRIMARY KEY(rid, key)) WITHOUT ROWID");
                    st.execute("CREATE INDEX IF NOT EXISTS " + t + "_kv ON " + t + "(key, value)");
                }
                // one row per (write, key): n points packed as big-endian (double value, long step, long ts)
                st.execute("CREATE TABLE IF NOT EXISTS metric_history(rid INTEGER NOT NULL, key TEXT NOT NULL,"
                        + " n INTEGER NOT NULL, points BLOB NOT NULL)");
                st.execute("CREATE INDEX IF NOT EXISTS metric_history_rk ON metric_history(rid, key)");
                st.execute("CREATE TABLE IF NOT EXISTS latest_metrics(rid INTEGER NOT NULL, key TEXT NOT NULL,"
                        + " value REAL, step INTEGER NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY(rid, key))"
                        + " WITHOUT ROWID");
                st.execute("CREATE INDEX IF NOT EXISTS latest_metrics_kv ON latest_metrics(key, value)");
                st.execute("CREATE TABLE IF NOT EXISTS artifacts(rid INTEGER NOT NULL, path TEXT NOT NULL,"
                        + " sha256 TEXT NOT NULL, size INTEGER NOT NULL, PRIMARY KEY(rid, path)) WITHOUT ROWID");
                st.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('tracking_schema', '" + SCHEMA_VERSION
                        + "')");
            }
            int stored;
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key='tracking_schema'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = Integer.parseInt(rs.getString(1));
                if (stored > SCHEMA_VERSION) {
                    throw new NonRetriableException("store '" + file + "' has tracking schema version "
                            + rs.getString(1) + ", newer than this library's " + SCHEMA_VERSION
                            + ". Fix: upgrade mlops-registry");
                }
            }
            if (stored < 2) { // version 2: the soft-delete marks of runs and experiments
                try (Statement st = c.createStatement()) {
                    for (String t : List.of("experiments", "runs")) {
                        if (!hasColumn(c, t, "deleted")) {
                            st.execute("ALTER TABLE " + t + " ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0");
                        }
                    }
                    st.execute("UPDATE meta SET value = '" + SCHEMA_VERSION + "' WHERE key = 'tracking_schema'");
                }
            }
            return null;
        });
    }

    private static boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                if (rs.getString("name").equals(column)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The SQLite library's version, for provenance. */
    String sqliteVersion() {
        return read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
                rs.next();
                return rs.getString(1);
            }
        });
    }

    /** The underlying file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} in one IMMEDIATE transaction, committing on success and rolling back on any failure. */
    <T> T tx(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            conn.setAutoCommit(false);
            boolean ok = false;
            try {
                T result = work.run(conn);
                conn.commit();
                ok = true;
                return result;
            } finally {
                if (!ok) {
                    conn.rollback();
                }
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e, "a write");
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} outside an explicit transaction (each statement sees a consistent snapshot). */
    <T> T read(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            return work.run(conn);
        } catch (SQLException e) {
            throw failure(e, "a read");
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in a read transaction, so several statements see one snapshot. */
    <T> T readTx(Work<T> work) {
        lock.lock();
        try {
            checkOpen();
            try (Statement st = conn.createStatement()) {
                st.execute("BEGIN DEFERRED");
            }
            try {
                return work.run(conn);
            } finally {
                try (Statement st = conn.createStatement()) {
                    st.execute("COMMIT");
                }
            }
        } catch (SQLException e) {
            throw failure(e, "a read");
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the tracking store '" + file + "' is closed");
        }
    }

    RuntimeException failure(SQLException e, String what) {
        int code = e.getErrorCode() & 0xff;
        return switch (code) {
            case 5, 6 -> new ResourceUnavailableException(file.toString(), what + " found the database locked for"
                    + " longer than the busy timeout (" + e.getMessage() + ")", e);
            case 11, 26 -> new StoreCorruptedException(file, what + " failed: " + e.getMessage(),
                    "restore registry.db from a backup", e);
            case 13, 10 -> new ResourceUnavailableException(file.toString(), what + " failed with an I/O error or a"
                    + " full disk (" + e.getMessage() + ")", e);
            default -> new NonRetriableException("tracking store '" + file + "': " + what + " failed: "
                    + e.getMessage(), e);
        };
    }

    // ------------------------------------------------------------------------------------------ experiments

    @Override
    public Experiment experiment(String name, Instant created) {
        Optional<Experiment> found = findExperiment(name);
        if (found.isPresent()) {
            return found.get();
        }
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR IGNORE INTO experiments(name, created) VALUES(?, ?)")) {
                ps.setString(1, name);
                ps.setLong(2, created.toEpochMilli());
                ps.executeUpdate();
            }
            return JdbcTrackingSql.experimentByName(c, name).orElseThrow();
        });
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        return read(c -> JdbcTrackingSql.experimentByName(c, name));
    }

    @Override
    public List<Experiment> experiments() {
        return read(JdbcTrackingSql::experiments);
    }

    // ------------------------------------------------------------------------------------------ runs

    @Override
    public void createRun(NewRun run) {
        tx(c -> {
            long rid;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs(uuid, experiment_id, name, parent_uuid,"
                    + " status, start_time) VALUES(?, ?, ?, ?, 'RUNNING', ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, run.runId());
                ps.setLong(2, Long.parseLong(run.experimentId()));
                ps.setString(3, run.name());
                ps.setString(4, run.parentRunId());
                ps.setLong(5, run.startTime().toEpochMilli());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    rid = keys.getLong(1);
                }
            }
            upsertTags(c, rid, run.tags());
            return null;
        });
    }

    private long rid(Connection c, String runId) throws SQLException {
        Long cached = ridCache.get(runId);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT rid FROM runs WHERE uuid = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long rid = rs.getLong(1);
                    ridCache.put(runId, rid);
                    return rid;
                }
            }
        }
        List<String> recent = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT uuid FROM runs ORDER BY rid DESC LIMIT 20");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                recent.add(rs.getString(1));
            }
        }
        throw new NotFoundException("run", runId, recent);
    }

    private static RunStatus status(Connection c, long rid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM runs WHERE rid = ?")) {
            ps.setLong(1, rid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return RunStatus.valueOf(rs.getString(1));
            }
        }
    }

    @Override
    public void write(String runId, RunWrite w) {
        tx(c -> {
            long rid = rid(c, runId);
            RunStatus status = status(c, rid);
            JdbcRunLifecycle.checkWritable(c, rid, runId);
            if (status != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " has ended with status " + status
                        + "; nothing was logged. Fix: log into a running run");
            }
            JdbcTrackingSql.insertImmutable(c, "params", "param", rid, w.params());
            JdbcTrackingSql.insertImmutable(c, "datasets", "dataset", rid, w.datasets());
            upsertTags(c, rid, w.tags());
            if (!w.metrics().isEmpty()) {
                insertMetrics(c, rid, w.metrics());
            }
            if (!w.artifacts().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT OR REPLACE INTO artifacts(rid, path, sha256, size) VALUES(?, ?, ?, ?)")) {
                    for (ArtifactEntry a : w.artifacts()) {
                        ps.setLong(1, rid);
                        ps.setString(2, a.path());
                        ps.setString(3, a.sha256().hex());
                        ps.setLong(4, a.size());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    private static void upsertTags(Connection c, long rid, Map<String, String> tags) throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tags(rid, key, value) VALUES(?, ?, ?)"
                + " ON CONFLICT(rid, key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> e : tags.entrySet()) {
                ps.setLong(1, rid);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertMetrics(Connection c, long rid, List<MetricPoint> points) throws SQLException {
        Map<String, MetricPoint> latest = new HashMap<>();
        Map<String, List<MetricPoint>> byKey = new LinkedHashMap<>();
        for (MetricPoint p : points) {
            byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
            latest.merge(p.key(), p, (a, b) -> b.step() >= a.step() ? b : a);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO metric_history(rid, key, n, points) VALUES(?, ?, ?, ?)")) {
            for (Map.Entry<String, List<MetricPoint>> e : byKey.entrySet()) {
                List<MetricPoint> list = e.getValue();
                ByteBuffer buf = ByteBuffer.allocate(list.size() * POINT_BYTES);
                for (MetricPoint p : list) {
                    buf.putDouble(p.value()).putLong(p.step()).putLong(p.timestamp().toEpochMilli());
                }
                ps.setLong(1, rid);
                ps.setString(2, e.getKey());
                ps.setInt(3, list.size());
                ps.setBytes(4, buf.array());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        upsertLatest(c, rid, latest.values());
    }

    private static void upsertLatest(Connection c, long rid, java.util.Collection<MetricPoint> latest)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO latest_metrics(rid, key, value, step, ts)"
                + " VALUES(?, ?, ?, ?, ?) ON CONFLICT(rid, key) DO UPDATE SET value = excluded.value,"
                + " step = excluded.step, ts = excluded.ts WHERE excluded.step >= latest_metrics.step")) {
            for (MetricPoint p : latest) {
                ps.setLong(1, rid);
                ps.setString(2, p.key());
                setValue(ps, 3, p.value());
                ps.setLong(4, p.step());
                ps.setLong(5, p.timestamp().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The buffered logger's fast path: appends {@code n} points given as parallel arrays in one transaction,
     * without building a {@link MetricPoint} per point.
     */
    void appendMetrics(String runId, String[] keys, double[] values, long[] steps, long[] times, int n) {
        tx(c -> {
            long rid = rid(c, runId);
            RunStatus status = status(c, rid);
            JdbcRunLifecycle.checkWritable(c, rid, runId);
            if (status != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " has ended with status " + status
                        + "; " + n + " buffered points were not logged");
            }
            Map<String, int[]> stats = new LinkedHashMap<>(); // key -> {count, index of latest, write position}
            for (int i = 0; i < n; i++) {
                int[] st = stats.get(keys[i]);
                if (st == null) {
                    stats.put(keys[i], new int[] {1, i, 0});
                } else {
                    st[0]++;
                    if (steps[i] >= steps[st[1]]) {
                        st[1] = i;
                    }
                }
            }
            Map<String, ByteBuffer> buffers = new HashMap<>();
            stats.forEach((k, st) -> buffers.put(k, ByteBuffer.allocate(st[0] * POINT_BYTES)));
            String lastKey = null;
            ByteBuffer last = null;
            for (int i = 0; i < n; i++) {
                if (keys[i] != lastKey) {
                    lastKey = keys[i];
                    last = buffers.get(lastKey);
                }
                last.putDouble(values[i]).putLong(steps[i]).putLong(times[i]);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO metric_history(rid, key, n, points) VALUES(?, ?, ?, ?)")) {
                for (Map.Entry<String, int[]> e : stats.entrySet()) {
                    ps.setLong(1, rid);
                    ps.setString(2, e.getKey());
                    ps.setInt(3, e.getValue()[0]);
                    ps.setBytes(4, buffers.get(e.getKey()).array());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<MetricPoint> latest = new ArrayList<>(stats.size());
            for (Map.Entry<String, int[]> e : stats.entrySet()) {
                int i = e.getValue()[1];
                latest.add(new MetricPoint(keys[i], values[i], steps[i], Instant.ofEpochMilli(times[i])));
            }
            upsertLatest(c, rid, latest);
            return null;
        });
    }

    private static void setValue(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            ps.setNull(index, Types.REAL);
        } else {
            ps.setDouble(index, value);
        }
    }

    private static double getValue(ResultSet rs, int index) throws SQLException {
        double v = rs.getDouble(index);
        return rs.wasNull() ? Double.NaN : v;
    }

    @Override
    public RunStatus endRun(String runId, RunStatus status, Instant endTime) {
        return tx(c -> {
            long rid = rid(c, runId);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = ?, end_time = ? WHERE rid = ? AND status = 'RUNNING'")) {
                ps.setString(1, status.name());
                ps.setLong(2, endTime.toEpochMilli());
                ps.setLong(3, rid);
                ps.executeUpdate();
            }
            return status(c, rid);
        });
    }

    @Override
    public RunInfo run(String runId) {
        return readTx(c -> {
            long rid = rid(c, runId);
            return load(c, List.of(rid)).get(0);
        });
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        return read(c -> {
            long rid = rid(c, runId);
            List<MetricPoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n, points FROM metric_history"
                    + " WHERE rid = ? AND key = ? ORDER BY rowid")) {
                ps.setLong(1, rid);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int n = rs.getInt(1);
                        byte[] bytes = rs.getBytes(2);
                        if (bytes == null || bytes.length != n * POINT_BYTES) {
                            throw new StoreCorruptedException(file, "metric history of run " + runId + ", key '" + key
                                    + "' has a segment of " + (bytes == null ? 0 : bytes.length) + " bytes for " + n
                                    + " points (expected " + n * POINT_BYTES + ")", "restore registry.db from a backup");
                        }
                        ByteBuffer buf = ByteBuffer.wrap(bytes);
                        for (int i = 0; i < n; i++) {
                            out.add(new MetricPoint(key, buf.getDouble(), buf.getLong(), Instant.ofEpochMilli(buf.getLong())));
                        }
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ArtifactEntry> artifacts(String runId) {
        return read(c -> {
            long rid = rid(c, runId);
            List<ArtifactEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT path, sha256, size FROM artifacts WHERE rid = ? ORDER BY path")) {
                ps.setLong(1, rid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ArtifactEntry(rs.getString(1), Fingerprint.parse(Fingerprint.PREFIX + rs.getString(2)),
                                rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public java.util.Set<String> artifactDigests() {
        return read(JdbcTrackingSql::artifactDigests);
    }

    @Override
    public boolean setRunDeleted(String runId, boolean deleted) {
        return tx(c -> JdbcRunLifecycle.setRunDeleted(c, rid(c, runId), deleted));
    }

    @Override
    public boolean setExperimentDeleted(String experimentId, boolean deleted) {
        return tx(c -> JdbcRunLifecycle.setExperimentDeleted(c, experimentId, deleted));
    }

    // ------------------------------------------------------------------------------------------ search

    @Override
    public List<RunInfo> search(List<String> experimentIds, Filter filter, List<Filter.OrderBy> orderBy, int offset,
                                int limit, RunView view) {
        List<Long> ids = experimentIds.stream().map(Long::parseLong).toList();
        return readTx(c -> load(c, JdbcTrackingSql.searchRids(c, FILTER, ids, filter, orderBy, offset, limit, view)));
    }

    /** Loads full snapshots of {@code rids}, in that order. */
    private static List<RunInfo> load(Connection c, List<Long> rids) throws SQLException {
        Map<Long, RunBuilder> byRid = new LinkedHashMap<>();
        for (Long rid : rids) {
            byRid.put(rid, new RunBuilder());
        }
        for (int from = 0; from < rids.size(); from += IN_CHUNK) {
            List<Long> chunk = rids.subList(from, Math.min(rids.size(), from + IN_CHUNK));
            String in = "(" + "?,".repeat(chunk.size() - 1) + "?)";
            try (PreparedStatement ps = c.prepareStatement("SELECT rid, uuid, experiment_id, name, parent_uuid, status,"
                    + " start_time, end_time, " + JdbcRunLifecycle.EFFECTIVELY_DELETED + " FROM runs r WHERE rid IN " + in)) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RunBuilder b = byRid.get(rs.getLong(1));
                        b.runId = rs.getString(2);
                        b.experimentId = Long.toString(rs.getLong(3));
                        b.name = rs.getString(4);
                        b.parent = rs.getString(5);
                        b.status = RunStatus.valueOf(rs.getString(6));
                        b.start = Instant.ofEpochMilli(rs.getLong(7));
                        long end = rs.getLong(8);
                        b.end = rs.wasNull() ? null : Instant.ofEpochMilli(end);
                        b.deleted = rs.getInt(9) != 0;
                    }
                }
            }
            for (String t : List.of("params", "tags", "datasets")) {
                try (PreparedStatement ps = c.prepareStatement("SELECT rid, key, value FROM " + t + " WHERE rid IN " + in)) {
                    bind(ps, chunk);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            RunBuilder b = byRid.get(rs.getLong(1));
                            Map<String, String> target = switch (t) {
                                case "params" -> b.params;
                                case "tags" -> b.tags;
                                default -> b.datasets;
                            };
                            target.put(rs.getString(2), rs.getString(3));
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT rid, key, value, step, ts FROM latest_metrics WHERE rid IN " + in)) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RunBuilder b = byRid.get(rs.getLong(1));
                        String key = rs.getString(2);
                        b.metrics.put(key, new MetricPoint(key, getValue(rs, 3), rs.getLong(4),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
            }
        }
        List<RunInfo> out = new ArrayList<>(rids.size());
        for (RunBuilder b : byRid.values()) {
            out.add(new RunInfo(b.runId, b.experimentId, b.name, b.parent, b.status, b.start, b.end, b.params, b.tags,
                    b.datasets, b.metrics, b.deleted));
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<Long> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setLong(i + 1, values.get(i));
        }
    }

    private static final class RunBuilder {
        String runId;
        String experimentId;
        String name;
        String parent;
        RunStatus status;
        Instant start;
        Instant end;
        boolean deleted;
        final Map<String, String> params = new TreeMap<>();
        final Map<String, String> tags = new TreeMap<>();
        final Map<String, String> datasets = new TreeMap<>();
        final Map<String, MetricPoint> metrics = new TreeMap<>();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                conn.close();
            }
        } catch (SQLException e) {
            throw failure(e, "closing");
        } finally {
            lock.unlock();
        }
    }
}
