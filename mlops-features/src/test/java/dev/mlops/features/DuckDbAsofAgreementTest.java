package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join against DuckDB 2.0.0.1's {@code ASOF LEFT JOIN} (an independent engine) where the two
 * semantics coincide: no TTL and no two feature rows of a key at the same event time. Also reads the
 * feature rows back from a Parquet file DuckDB wrote.
 */
class DuckDbAsofAgreementTest {

    @TempDir
    Path dir;

    @Test
    void joinEqualsDuckDbAsofLeftJoin_onRandomDataWithoutTiesOrTtl_andParquetSourceReadsTheSame() throws Exception {
        Random rnd = new Random(11);
        Schema fs = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("x", ColumnType.DOUBLE).build();
        TableBuilder fb = Table.builder(fs);
        Set<Long> seen = new HashSet<>();
        long base = 1_700_000_000_000_000L;
        while (fb.rowCount() < 3000) {
            long k = rnd.nextInt(50);
            long ev = base + rnd.nextInt(100_000) * 1000L;
            if (!seen.add(k * 1_000_000_000_000L + ev)) {
                continue;
            }
            fb.setLong(0, k).setEpochMicros(1, ev).setEpochMicros(2, ev + 5);
            if (rnd.nextInt(10) == 0) {
                fb.setNull(3);
            } else {
                fb.setDouble(3, rnd.nextGaussian());
            }
            fb.endRow();
        }
        Table features = fb.build();
        Schema es = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("rid", ColumnType.LONG).build();
        TableBuilder eb = Table.builder(es);
        for (int r = 0; r < 2000; r++) {
            long t = rnd.nextInt(4) == 0 ? features.timestampColumn("event_timestamp").epochMicros(rnd.nextInt(3000))
                    : base + rnd.nextInt(110_000) * 1000L - 5_000_000L;
            eb.setLong(0, rnd.nextInt(55)).setEpochMicros(1, t).setLong(2, r).endRow();
        }
        Table entities = eb.build();

        Table ours = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities);

        Path parquet = dir.resolve("features.parquet");
        Double[] duck = new Double[entities.rowCount()];
        boolean[] duckNull = new boolean[entities.rowCount()];
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE f (k BIGINT, ts TIMESTAMPTZ, cr TIMESTAMPTZ, x DOUBLE)");
            st.execute("CREATE TABLE e (k BIGINT, ts TIMESTAMPTZ, rid BIGINT)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO f VALUES (?, make_timestamptz(?), make_timestamptz(?), ?)")) {
                for (int r = 0; r < features.rowCount(); r++) {
                    p.setLong(1, features.longColumn("k").get(r));
                    p.setLong(2, features.timestampColumn("event_timestamp").epochMicros(r));
                    p.setLong(3, features.timestampColumn("created_timestamp").epochMicros(r));
                    p.setObject(4, features.value(r, "x"));
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO e VALUES (?, make_timestamptz(?), ?)")) {
                for (int r = 0; r < entities.rowCount(); r++) {
                    p.setLong(1, entities.longColumn("k").get(r));
                    p.setLong(2, entities.timestampColumn("event_timestamp").epochMicros(r));
                    p.setLong(3, r);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT e.rid, f.x, f.k IS NULL AS missing FROM e ASOF LEFT JOIN f ON e.k = f.k AND e.ts >= f.ts ORDER BY e.rid")) {
                while (rs.next()) {
                    int rid = (int) rs.getLong(1);
                    double x = rs.getDouble(2);
                    duck[rid] = rs.wasNull() ? null : x;
                    duckNull[rid] = rs.getBoolean(3);
                }
            }
            st.execute("COPY (SELECT k, ts AS event_timestamp, cr AS created_timestamp, x FROM f) TO '"
                    + parquet.toString().replace("'", "''") + "' (FORMAT parquet)");
        }
        int matched = 0;
        for (int r = 0; r < entities.rowCount(); r++) {
            assertThat(ours.value(r, "v__x")).as("row %d", r).isEqualTo(duck[r]);
            matched += duckNull[r] ? 0 : 1;
        }
        assertThat(matched).as("the data exercises both matches and misses").isBetween(100, entities.rowCount() - 100);

        Table fromParquet = PointInTimeJoin.builder().entityKey("k").view("v", parquet, Duration.ZERO).build().join(entities);
        assertThat(fromParquet).isEqualTo(ours);
    }

    @Test
    void parquetWithZonelessTimestamps_isRefused_andMissingFileIsNotFound() throws Exception {
        Path parquet = dir.resolve("naive.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1::BIGINT AS k, TIMESTAMP '2024-01-01 00:00:00' AS event_timestamp, 1.0 AS x) TO '"
                    + parquet + "' (FORMAT parquet)");
        }
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", parquet, Duration.ZERO))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("timestamp without a zone")
                .hasMessageContaining("event_timestamp");
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", dir.resolve("nope.parquet"), Duration.ZERO))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("nope.parquet");
    }
}
