package dev.mlops.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.internal.SqliteTrackingStore;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.Filter.Compare;
import dev.mlops.registry.spi.Filter.Entity;
import dev.mlops.registry.spi.Filter.Op;
import dev.mlops.registry.spi.Filter.OrderBy;
import dev.mlops.registry.spi.TrackingStore;
import dev.mlops.registry.spi.TrackingStore.NewRun;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same search semantics as the embedded store: identical random runs go into the SQLite store (the reference, an
 * independent implementation) and the PostgreSQL store, and every filter/order/page below must return the same run
 * ids in the same order. The data include NaN metrics, missing keys, mixed case, LIKE wildcards and characters
 * that are special in GLOB or LIKE escapes ({@code * ? [ \}).
 */
@ExtendWith(PostgresServer.class)
class SearchParityIT {

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everyFilterReturnsWhatTheEmbeddedStoreReturns() throws Exception {
        try (TrackingStore sqlite = new SqliteTrackingStore(dir.resolve("registry.db"), false);
             TrackingStore pg = PostgresTrackingStore.builder().jdbcUrl(PostgresServer.get().newDatabase()).build()) {
            String[] names = {"alpha", "Alpha", "a_b", "a%b", "x*y", "q?r", "[z]", "back\\slash", "Élan", "élan", "beta"};
            Random random = new Random(42);
            Map<TrackingStore, List<String>> expIds = new HashMap<>();
            for (TrackingStore s : List.of(sqlite, pg)) {
                Experiment a = s.experiment("a", T0);
                Experiment b = s.experiment("b", T0);
                expIds.put(s, List.of(a.id(), b.id()));
            }
            for (int i = 0; i < 120; i++) {
                int exp = random.nextInt(2);
                Instant start = T0.plusSeconds(random.nextInt(40));
                Map<String, String> params = new HashMap<>();
                if (random.nextInt(5) > 0) {
                    params.put("name", names[random.nextInt(names.length)]);
                }
                params.put("lr", Double.toString(random.nextInt(4) / 10.0));
                List<MetricPoint> metrics = new ArrayList<>();
                if (random.nextInt(6) > 0) {
                    double v = random.nextInt(8) == 0 ? Double.NaN : random.nextInt(20) / 4.0;
                    metrics.add(new MetricPoint("acc", v, 0, start));
                }
                if (random.nextBoolean()) {
                    metrics.add(new MetricPoint("loss", random.nextDouble(), 1, start));
                }
                Map<String, String> tags = random.nextBoolean() ? Map.of("team", names[random.nextInt(3)]) : Map.of();
                for (TrackingStore s : List.of(sqlite, pg)) {
                    String id = "run-" + i;
                    s.createRun(new NewRun(id, expIds.get(s).get(exp), "n" + (i % 7), i % 9 == 0 ? "run-0" : null,
                            start, Map.of()));
                    s.write(id, new RunWrite(params, metrics, tags, Map.of(), List.of()));
                    if (i % 3 == 0) {
                        s.endRun(id, i % 2 == 0 ? dev.mlops.core.spi.RunStatus.FINISHED
                                : dev.mlops.core.spi.RunStatus.FAILED, start.plusSeconds(i));
                    }
                }
            }
            List<Filter> filters = new ArrayList<>();
            filters.add(Filter.ALL);
            filters.add(new Filter.Or(List.of()));
            for (Op op : List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE)) {
                filters.add(new Compare(Entity.METRIC, "acc", op, List.of(2.5)));
                filters.add(new Compare(Entity.PARAM, "name", op, List.of("alpha")));
                filters.add(new Compare(Entity.ATTRIBUTE, "start_time", op, List.of((double) T0.plusSeconds(20).toEpochMilli())));
            }
            for (String pattern : List.of("a%", "A%", "%a", "a_b", "a\\%b", "%*%", "%?%", "[%", "%\\%", "_lan", "é%", "%LPHA")) {
                filters.add(new Compare(Entity.PARAM, "name", Op.LIKE, List.of(pattern)));
                filters.add(new Compare(Entity.PARAM, "name", Op.ILIKE, List.of(pattern)));
                filters.add(new Compare(Entity.PARAM, "name", Op.NOT_LIKE, List.of(pattern)));
                filters.add(new Compare(Entity.PARAM, "name", Op.NOT_ILIKE, List.of(pattern)));
            }
            filters.add(new Compare(Entity.PARAM, "name", Op.IN, List.of("alpha", "beta", "[z]")));
            filters.add(new Compare(Entity.PARAM, "name", Op.NOT_IN, List.of("alpha", "beta")));
            filters.add(new Compare(Entity.PARAM, "name", Op.IS_NULL, List.of()));
            filters.add(new Compare(Entity.METRIC, "acc", Op.IS_NOT_NULL, List.of()));
            filters.add(new Compare(Entity.TAG, "team", Op.EQ, List.of("Alpha")));
            filters.add(new Compare(Entity.ATTRIBUTE, "status", Op.IN, List.of("FINISHED", "FAILED")));
            filters.add(new Compare(Entity.ATTRIBUTE, "end_time", Op.IS_NULL, List.of()));
            filters.add(new Compare(Entity.ATTRIBUTE, "parent_run_id", Op.EQ, List.of("run-0")));
            filters.add(new Compare(Entity.ATTRIBUTE, "run_name", Op.LIKE, List.of("n_")));
            filters.add(new Compare(Entity.ATTRIBUTE, "run_name", Op.NOT_ILIKE, List.of("N_")));
            filters.add(new Compare(Entity.ATTRIBUTE, "parent_run_id", Op.NOT_LIKE, List.of("%1")));
            filters.add(new Compare(Entity.PARAM, "name", Op.NE, List.of("Alpha")));
            filters.add(new Filter.And(List.of(new Compare(Entity.METRIC, "acc", Op.GE, List.of(1.0)),
                    new Filter.Or(List.of(new Compare(Entity.PARAM, "lr", Op.EQ, List.of("0.1")),
                            new Compare(Entity.METRIC, "loss", Op.LT, List.of(0.5)))))));
            List<List<OrderBy>> orders = List.of(List.of(),
                    List.of(new OrderBy(Entity.METRIC, "acc", false)),
                    List.of(new OrderBy(Entity.METRIC, "acc", true), new OrderBy(Entity.PARAM, "name", false)),
                    List.of(new OrderBy(Entity.PARAM, "name", true)),
                    List.of(new OrderBy(Entity.ATTRIBUTE, "end_time", true)));
            int checked = 0;
            for (Filter f : filters) {
                for (List<OrderBy> order : orders) {
                    for (int e = -1; e < 2; e++) {
                        List<String> sqliteIds = ids(sqlite.search(e < 0 ? List.of() : List.of(expIds.get(sqlite).get(e)),
                                f, order, 3, 50));
                        List<String> pgIds = ids(pg.search(e < 0 ? List.of() : List.of(expIds.get(pg).get(e)),
                                f, order, 3, 50));
                        assertThat(pgIds).as("filter %s, order %s, experiment %d", f, order, e)
                                .containsExactlyElementsOf(sqliteIds);
                        checked++;
                    }
                }
            }
            assertThat(checked).isEqualTo(filters.size() * orders.size() * 3);
            // full snapshots agree too (NaN metrics read back as NaN)
            for (int i = 0; i < 120; i += 11) {
                RunInfo a = sqlite.run("run-" + i);
                RunInfo b = pg.run("run-" + i);
                assertThat(b.params()).isEqualTo(a.params());
                assertThat(b.tags()).isEqualTo(a.tags());
                assertThat(b.metrics()).isEqualTo(a.metrics());
                assertThat(b.status()).isEqualTo(a.status());
                assertThat(b.endTime()).isEqualTo(a.endTime());
            }
        }
    }

    private static List<String> ids(List<RunInfo> runs) {
        return runs.stream().map(RunInfo::runId).toList();
    }
}
