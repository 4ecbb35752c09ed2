package dev.mlops.registry.spi;

import dev.mlops.core.NotFoundException;
import dev.mlops.registry.RunView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The run and experiment lifecycle (soft delete and restore) in portable SQL, shared by the relational
 * {@link TrackingStore}s (SQLite, PostgreSQL): the {@code deleted INTEGER NOT NULL DEFAULT 0} columns of
 * {@code runs} and {@code experiments}, and the search condition of each {@link RunView}. A run is deleted
 * <em>effectively</em> when it or its experiment is.
 */
public final class JdbcRunLifecycle {

    /** The effective deleted flag of {@code runs r}, as an SQL expression (1 or 0). */
    public static final String EFFECTIVELY_DELETED = "(CASE WHEN r.deleted <> 0 OR r.experiment_id IN"
            + " (SELECT id FROM experiments WHERE deleted <> 0) THEN 1 ELSE 0 END)";

    private JdbcRunLifecycle() {
    }

    /** The condition on {@code runs r} that selects {@code view}'s runs, followed by {@code " AND "}, or "". */
    public static String condition(RunView view) {
        return switch (view) {
            case ACTIVE_ONLY -> EFFECTIVELY_DELETED + " = 0 AND ";
            case DELETED_ONLY -> EFFECTIVELY_DELETED + " = 1 AND ";
            case ALL -> "";
        };
    }

    /**
     * Refuses a write into a deleted run (or a run of a deleted experiment).
     *
     * @throws IllegalStateException if it is deleted
     */
    public static void checkWritable(Connection c, long rid, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + EFFECTIVELY_DELETED + " FROM runs r WHERE r.rid = ?")) {
            ps.setLong(1, rid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(1) != 0) {
                    throw new IllegalStateException("run " + runId + " is deleted (or its experiment is); nothing was"
                            + " logged. Fix: restore it with restoreRun / restoreExperiment, or log into another run");
                }
            }
        }
    }

    /** Sets a run's mark by its internal row id; returns whether it changed. */
    public static boolean setRunDeleted(Connection c, long rid, boolean deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET deleted = ? WHERE rid = ? AND deleted <> ?")) {
            ps.setInt(1, deleted ? 1 : 0);
            ps.setLong(2, rid);
            ps.setInt(3, deleted ? 1 : 0);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Sets an experiment's mark; returns whether it changed.
     *
     * @throws NotFoundException if there is no experiment with this id (lists the names)
     */
    public static boolean setExperimentDeleted(Connection c, String experimentId, boolean deleted) throws SQLException {
        long id;
        try {
            id = Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            throw new NotFoundException("experiment id", experimentId, List.of(), e);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT deleted FROM experiments WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    List<String> ids = new ArrayList<>();
                    try (PreparedStatement all = c.prepareStatement("SELECT id FROM experiments ORDER BY id");
                         ResultSet r2 = all.executeQuery()) {
                        while (r2.next()) {
                            ids.add(Long.toString(r2.getLong(1)));
                        }
                    }
                    throw new NotFoundException("experiment id", experimentId, ids);
                }
                if ((rs.getInt(1) != 0) == deleted) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE experiments SET deleted = ? WHERE id = ?")) {
            ps.setInt(1, deleted ? 1 : 0);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        return true;
    }
}
