package dev.mlops.registry.postgres.internal;

import dev.mlops.core.NonRetriableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema migrations shipped in this jar ({@code migrations/V<n>__<name>.sql}), applied in order in one
 * transaction. {@code mlops_schema_version} records each applied version with the SHA-256 of its script; a
 * transaction-scoped advisory lock makes concurrent first starts from several hosts apply them once. Idempotent:
 * an up-to-date database is only read.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** The scripts, in version order: version i+1 is element i. Append only; never edit a shipped script. */
    static final List<String> SCRIPTS = List.of("V1__tracking_schema.sql", "V2__registry_schema.sql",
            "V3__run_lifecycle.sql");
    private static final long LOCK_KEY = 0x6d6c6f7073L; // "mlops"
    /** The advisory lock that serializes the registry tables' writes (audit chain, version numbers, aliases). */
    static final long REGISTRY_LOCK_KEY = 0x6d6c6f707352L; // "mlopsR"

    private Migrations() {
    }

    static int latest() {
        return SCRIPTS.size();
    }

    /** Brings the database to {@link #latest()}; returns how many migrations were applied. */
    static int apply(Connection c, String where) throws SQLException {
        c.setAutoCommit(false);
        boolean ok = false;
        try {
            int applied = applyInTx(c, where);
            c.commit();
            ok = true;
            return applied;
        } finally {
            if (!ok) {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
    }

    private static int applyInTx(Connection c, String where) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            st.execute("CREATE TABLE IF NOT EXISTS mlops_schema_version(version INTEGER PRIMARY KEY,"
                    + " script TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
        int current = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, script, sha256 FROM mlops_schema_version ORDER BY version")) {
            while (rs.next()) {
                int version = rs.getInt(1);
                if (version > latest()) {
                    throw new NonRetriableException("the registry database " + where + " has schema version " + version
                            + ", newer than this library's " + latest() + ". Fix: upgrade mlops-registry-postgres");
                }
                String expected = sha256(script(version));
                if (!expected.equals(rs.getString(3))) {
                    throw new NonRetriableException("the registry database " + where + " recorded migration " + version
                            + " ('" + rs.getString(2) + "') with checksum " + rs.getString(3) + ", but this library ships "
                            + expected + ": the schema was altered or built by a different release. Fix: use the"
                            + " release that created it, or restore the database");
                }
                current = Math.max(current, version);
            }
        }
        int applied = 0;
        for (int v = current + 1; v <= latest(); v++) {
            String sql = script(v);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO mlops_schema_version(version, script, sha256) VALUES(?, ?, ?)")) {
                ps.setInt(1, v);
                ps.setString(2, SCRIPTS.get(v - 1));
                ps.setString(3, sha256(sql));
                ps.executeUpdate();
            }
            LOG.info("registry database {}: applied schema migration {} ({})", where, v, SCRIPTS.get(v - 1));
            applied++;
        }
        return applied;
    }

    static String script(int version) {
        String name = SCRIPTS.get(version - 1);
        try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + name)) {
            if (in == null) {
                throw new NonRetriableException("migration script migrations/" + name + " is missing from the jar."
                        + " Fix: rebuild mlops-registry-postgres");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new NonRetriableException("cannot read migration script " + name + ": " + e.getMessage(), e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
