package dev.mlops.registry.spi;

import dev.mlops.registry.Experiment;
import dev.mlops.registry.RunView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Statements the relational {@link TrackingStore}s (SQLite, PostgreSQL) share word for word, in portable SQL over
 * the common tracking tables ({@code experiments}, {@code params}/{@code datasets}, {@code artifacts}).
 */
public final class JdbcTrackingSql {

    private JdbcTrackingSql() {
    }

    /** The experiment called {@code name}, if any. */
    public static Optional<Experiment> experimentByName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created, deleted FROM experiments WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(experimentRow(rs)) : Optional.empty();
            }
        }
    }

    /** Every experiment, oldest first. */
    public static List<Experiment> experiments(Connection c) throws SQLException {
        List<Experiment> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created, deleted FROM experiments ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(experimentRow(rs));
            }
        }
        return out;
    }

    private static Experiment experimentRow(ResultSet rs) throws SQLException {
        return new Experiment(Long.toString(rs.getLong(1)), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                rs.getInt(4) != 0);
    }

    /** The SHA-256 digests of every run's artifact entries. */
    public static Set<String> artifactDigests(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT sha256 FROM artifacts");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Inserts immutable key/value pairs ({@code params}, {@code datasets}) of a run: the same value again is a
     * no-op, another value an {@link IllegalStateException} naming both (the caller's transaction then rolls back).
     */
    public static void insertImmutable(Connection c, String table, String what, long rid, Map<String, String> values)
            throws SQLException {
        if (values.isEmpty()) {
            return;
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + table + "(rid, key, value) VALUES(?, ?, ?)"
                + " ON CONFLICT (rid, key) DO NOTHING");
             PreparedStatement sel = c.prepareStatement("SELECT value FROM " + table + " WHERE rid = ? AND key = ?")) {
            for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
                ins.setLong(1, rid);
                ins.setString(2, e.getKey());
                ins.setString(3, e.getValue());
                if (ins.executeUpdate() == 0) {
                    sel.setLong(1, rid);
                    sel.setString(2, e.getKey());
                    try (ResultSet rs = sel.executeQuery()) {
                        rs.next();
                        String old = rs.getString(1);
                        if (!old.equals(e.getValue())) {
                            throw new IllegalStateException(what + " '" + e.getKey() + "' is already logged with value '"
                                    + old + "'; cannot log '" + e.getValue() + "': " + what + "s are immutable, and"
                                    + " nothing of this call was stored. Fix: log the new value under another key,"
                                    + " or start a new run");
                        }
                    }
                }
            }
        }
    }

    /**
     * The run ids ({@code rid}) a search selects, in its order: the runs of {@code experimentIds} (all when empty)
     * in {@code view} that match {@code filter}, ordered by {@code orderBy} (nulls last), then newest first, one
     * page of {@code limit} from {@code offset}. {@code sqlFilter} translates the filter in the engine's dialect.
     */
    public static List<Long> searchRids(Connection c, SqlFilter sqlFilter, List<Long> experimentIds, Filter filter,
                                        List<Filter.OrderBy> orderBy, int offset, int limit, RunView view)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT r.rid FROM runs r WHERE ");
        List<Object> args = new ArrayList<>();
        if (!experimentIds.isEmpty()) {
            sql.append("r.experiment_id IN (");
            for (int i = 0; i < experimentIds.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
                args.add(experimentIds.get(i));
            }
            sql.append(") AND ");
        }
        sql.append(JdbcRunLifecycle.condition(view));
        sqlFilter.where(filter, sql, args);
        sql.append(" ORDER BY ");
        for (Filter.OrderBy o : orderBy) {
            int mark = args.size();
            String expr = sqlFilter.orderExpression(o, args);
            List<Object> again = new ArrayList<>(args.subList(mark, args.size()));
            sql.append(expr).append(" IS NULL, ");
            args.addAll(again);
            sql.append(expr).append(o.ascending() ? " ASC, " : " DESC, ");
        }
        sql.append("r.start_time DESC, r.rid DESC LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        List<Long> rids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rids.add(rs.getLong(1));
                }
            }
        }
        return rids;
    }
}
