package dev.mlops.registry.postgres.internal;

import dev.mlops.core.Fingerprint;
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
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The PostgreSQL {@link TrackingStore}: the SQLite store's tables and queries on a server, through a HikariCP
 * pool. Each call borrows one connection and runs one transaction (READ COMMITTED; a write first locks its run's
 * row {@code FOR SHARE}, so it cannot interleave with {@code endRun}'s update; multi-row upserts go in key order so
 * concurrent writers to one run cannot deadlock). Reads of several tables run in a REPEATABLE READ read-only
 * transaction so they see one snapshot. Connection failures (SQLSTATE class 08, server shutdown 57P0x, a pool
 * timeout) become {@link ResourceUnavailableException}; the pool drops broken connections, so calls succeed again
 * once the server is back.
 */
public final class PgTrackingStore implements TrackingStore {

    /**
     * PostgreSQL, spelled to give SQLite's results: {@code like} is {@code LIKE ... ESCAPE ''} (case-sensitive,
     * no escape character, as SQLite's GLOB translation); {@code ilike} lowers ASCII letters only
     * ({@code lower(x COLLATE "C")} and the pattern lowered A-Z), as SQLite's {@code lower()}.
     */
    private static final SqlFilter FILTER = SqlFilter.of(new SqlFilter.Dialect() {
        @Override
        public String trueLiteral() {
            return "TRUE";
        }

        @Override
        public String falseLiteral() {
            return "FALSE";
        }

        @Override
        public void like(String col, String pattern, boolean ignoreAsciiCase, StringBuilder sql, List<Object> args) {
            if (ignoreAsciiCase) {
                sql.append("lower(").append(col).append(" COLLATE \"C\") LIKE ? ESCAPE ''");
                args.add(asciiLower(pattern));
            } else {
                sql.append(col).append(" LIKE ? ESCAPE ''");
                args.add(pattern);
            }
        }
    });

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : ch);
        }
        return b.toString();
    }

    private static final int IN_CHUNK = 1000;
    private static final int POINT_BYTES = 24;

    private final String where;
    private final PgDatabase db;

    /** A unit of work inside one transaction. */
    interface Work<T> extends PgDatabase.Work<T> {
    }

    /** Opens the pool and applies missing migrations; see {@code PostgresTrackingStore.Builder#build}. */
    public PgTrackingStore(String jdbcUrl, String user, String password, int maximumPoolSize,
                           Duration connectionTimeout, MeterRegistry meters) {
        this.db = new PgDatabase("tracking", jdbcUrl, user, password, maximumPoolSize, connectionTimeout, meters);
        this.where = db.where();
    }

    <T> T tx(Work<T> work) {
        return db.tx(work);
    }

    <T> T readTx(Work<T> work) {
        return db.readTx(work);
    }

    RuntimeException failure(SQLException e, String what) {
        return db.failure(e, what);
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
                    "INSERT INTO experiments(name, created) VALUES(?, ?) ON CONFLICT (name) DO NOTHING")) {
                ps.setString(1, name);
                ps.setLong(2, created.toEpochMilli());
                ps.executeUpdate();
            }
            return JdbcTrackingSql.experimentByName(c, name).orElseThrow();
        });
    }

    @Override
    public Optional<Experiment> findExperiment(String name) {
        return readTx(c -> JdbcTrackingSql.experimentByName(c, name));
    }

    @Override
    public List<Experiment> experiments() {
        return readTx(JdbcTrackingSql::experiments);
    }

    // ------------------------------------------------------------------------------------------ runs

    @Override
    public void createRun(NewRun run) {
        long experimentId = experimentId(run.experimentId());
        tx(c -> {
            long rid;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs(uuid, experiment_id, name, parent_uuid,"
                    + " status, start_time) SELECT ?, id, ?, ?, 'RUNNING', ? FROM experiments WHERE id = ?"
                    + " ON CONFLICT (uuid) DO NOTHING RETURNING rid")) {
                ps.setString(1, run.runId());
                ps.setString(2, run.name());
                ps.setString(3, run.parentRunId());
                ps.setLong(4, run.startTime().toEpochMilli());
                ps.setLong(5, experimentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        if (ridOrNull(c, run.runId()) != null) {
                            throw new IllegalStateException("run id '" + run.runId() + "' already exists; nothing"
                                    + " was created. Fix: use a new unique run id");
                        }
                        throw new NotFoundException("experiment", run.experimentId(), experimentIds(c));
                    }
                    rid = rs.getLong(1);
                }
            }
            upsert(c, "tags", rid, run.tags());
            return null;
        });
    }

    private static long experimentId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("experiment id '" + id + "' is not a number: ids come from"
                    + " experiment(name, created). Fix: pass Experiment.id()", e);
        }
    }

    private static List<String> experimentIds(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM experiments ORDER BY id DESC LIMIT 20");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(Long.toString(rs.getLong(1)));
            }
        }
        return ids;
    }

    private static Long ridOrNull(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rid FROM runs WHERE uuid = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long rid(Connection c, String runId) throws SQLException {
        Long rid = ridOrNull(c, runId);
        if (rid != null) {
            return rid;
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

    /** The run's status, locking its row against a concurrent {@link #endRun} until this transaction ends. */
    private static RunStatus lockedStatus(Connection c, long rid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM runs WHERE rid = ? FOR SHARE")) {
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
            RunStatus status = lockedStatus(c, rid);
            JdbcRunLifecycle.checkWritable(c, rid, runId);
            if (status != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " has ended with status " + status
                        + "; nothing was logged. Fix: log into a running run");
            }
            JdbcTrackingSql.insertImmutable(c, "params", "param", rid, w.params());
            JdbcTrackingSql.insertImmutable(c, "datasets", "dataset", rid, w.datasets());
            upsert(c, "tags", rid, w.tags());
            if (!w.metrics().isEmpty()) {
                insertMetrics(c, rid, w.metrics());
            }
            if (!w.artifacts().isEmpty()) {
                Map<String, ArtifactEntry> byPath = new TreeMap<>();
                for (ArtifactEntry a : w.artifacts()) {
                    byPath.put(a.path(), a);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts(rid, path, sha256, size)"
                        + " VALUES(?, ?, ?, ?) ON CONFLICT (rid, path) DO UPDATE SET sha256 = excluded.sha256,"
                        + " size = excluded.size")) {
                    for (ArtifactEntry a : byPath.values()) {
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

    private static void upsert(Connection c, String table, long rid, Map<String, String> values) throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + "(rid, key, value) VALUES(?, ?, ?)"
                + " ON CONFLICT (rid, key) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
                ps.setLong(1, rid);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertMetrics(Connection c, long rid, List<MetricPoint> points) throws SQLException {
        Map<String, MetricPoint> latest = new TreeMap<>();
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO latest_metrics(rid, key, value, step, ts)"
                + " VALUES(?, ?, ?, ?, ?) ON CONFLICT (rid, key) DO UPDATE SET value = excluded.value,"
                + " step = excluded.step, ts = excluded.ts WHERE excluded.step >= latest_metrics.step")) {
            for (MetricPoint p : latest.values()) {
                ps.setLong(1, rid);
                ps.setString(2, p.key());
                if (Double.isNaN(p.value())) {
                    ps.setNull(3, Types.DOUBLE);
                } else {
                    ps.setDouble(3, p.value());
                }
                ps.setLong(4, p.step());
                ps.setLong(5, p.timestamp().toEpochMilli());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public RunStatus endRun(String runId, RunStatus status, Instant endTime) {
        return tx(c -> {
            long rid = rid(c, runId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, end_time = ?"
                    + " WHERE rid = ? AND status = 'RUNNING'")) {
                ps.setString(1, status.name());
                ps.setLong(2, endTime.toEpochMilli());
                ps.setLong(3, rid);
                ps.executeUpdate();
            }
            return lockedStatus(c, rid);
        });
    }

    @Override
    public RunInfo run(String runId) {
        return readTx(c -> load(c, List.of(rid(c, runId))).get(0));
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        return readTx(c -> {
            long rid = rid(c, runId);
            List<MetricPoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n, points FROM metric_history"
                    + " WHERE rid = ? AND key = ? ORDER BY id")) {
                ps.setLong(1, rid);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int n = rs.getInt(1);
                        byte[] bytes = rs.getBytes(2);
                        if (bytes == null || bytes.length != n * POINT_BYTES) {
                            throw new StoreCorruptedException(Path.of(where), "metric history of run " + runId
                                    + ", key '" + key + "' has a segment of " + (bytes == null ? 0 : bytes.length)
                                    + " bytes for " + n + " points (expected " + n * POINT_BYTES + ")",
                                    "restore the database from a backup");
                        }
                        ByteBuffer buf = ByteBuffer.wrap(bytes);
                        for (int i = 0; i < n; i++) {
                            out.add(new MetricPoint(key, buf.getDouble(), buf.getLong(),
                                    Instant.ofEpochMilli(buf.getLong())));
                        }
                    }
                }
            }
            return out;
        });
    }

    @Override
    public List<ArtifactEntry> artifacts(String runId) {
        return readTx(c -> {
            long rid = rid(c, runId);
            List<ArtifactEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT path, sha256, size FROM artifacts WHERE rid = ? ORDER BY path")) {
                ps.setLong(1, rid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ArtifactEntry(rs.getString(1),
                                Fingerprint.parse(Fingerprint.PREFIX + rs.getString(2)), rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public java.util.Set<String> artifactDigests() {
        return readTx(JdbcTrackingSql::artifactDigests);
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
        List<Long> ids = experimentIds.stream().map(PgTrackingStore::experimentId).toList();
        return readTx(c -> load(c, JdbcTrackingSql.searchRids(c, FILTER, ids, filter, orderBy, offset, limit, view)));
    }

    /** Loads full snapshots of {@code rids}, in that order. */
    private static List<RunInfo> load(Connection c, List<Long> rids) throws SQLException {
        Map<Long, RunBuilder> byRid = new LinkedHashMap<>();
        for (Long rid : rids) {
            byRid.put(rid, new RunBuilder());
        }
        for (int from = 0; from < rids.size(); from += IN_CHUNK) {
            Long[] chunk = rids.subList(from, Math.min(rids.size(), from + IN_CHUNK)).toArray(Long[]::new);
            java.sql.Array array = c.createArrayOf("bigint", chunk);
            try (PreparedStatement ps = c.prepareStatement("SELECT rid, uuid, experiment_id, name, parent_uuid, status,"
                    + " start_time, end_time, " + JdbcRunLifecycle.EFFECTIVELY_DELETED + " FROM runs r WHERE rid = ANY(?)")) {
                ps.setArray(1, array);
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
                try (PreparedStatement ps = c.prepareStatement("SELECT rid, key, value FROM " + t
                        + " WHERE rid = ANY(?)")) {
                    ps.setArray(1, array);
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
                    "SELECT rid, key, value, step, ts FROM latest_metrics WHERE rid = ANY(?)")) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RunBuilder b = byRid.get(rs.getLong(1));
                        String key = rs.getString(2);
                        double v = rs.getDouble(3);
                        b.metrics.put(key, new MetricPoint(key, rs.wasNull() ? Double.NaN : v, rs.getLong(4),
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
        db.close();
    }
}
