package dev.mlops.benchmarks;

import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.postgres.PostgresTrackingStore;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.Filter.Compare;
import dev.mlops.registry.spi.Filter.Entity;
import dev.mlops.registry.spi.Filter.Op;
import dev.mlops.registry.spi.Filter.OrderBy;
import dev.mlops.registry.spi.TrackingStore;
import dev.mlops.registry.spi.TrackingStore.NewRun;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Registry search over the same runs (default 30,000, each with 20 params, 10 metrics and a tag) on the PostgreSQL
 * tracking store beside the embedded SQLite one, in the same JVM and run: the filters of {@link RegistryBenchmark}
 * as {@link Filter} trees, first page of 100, default order and ordered by a metric. Prints medians and the ratio
 * PostgreSQL / SQLite. The server is the caller's (see docs/benchmarks.md for starting one on 127.0.0.1).
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.PostgresSearchBenchmark jdbcUrl [runs] [reps]
 * </pre>
 */
public final class PostgresSearchBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    private PostgresSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Path dir = Files.createTempDirectory("pg-search-bench");
        // the embedded store is internal to mlops-registry; the benchmark runs on the class path, so reflection
        // reaches it without widening the registry's API
        TrackingStore sqlite = (TrackingStore) Class.forName("dev.mlops.registry.internal.SqliteTrackingStore")
                .getConstructor(Path.class, boolean.class).newInstance(dir.resolve("registry.db"), false);
        TrackingStore pg = PostgresTrackingStore.builder().jdbcUrl(url).build();
        try (sqlite; pg) {
            for (TrackingStore store : List.of(sqlite, pg)) {
                long t0 = System.nanoTime();
                populate(store, runs);
                System.out.printf(Locale.ROOT, "%s: populated %,d runs x (20 params, 10 metrics, 1 tag) in %.1f s%n",
                        name(store, sqlite), runs, (System.nanoTime() - t0) / 1e9);
            }
            Map<String, Filter> filters = new java.util.LinkedHashMap<>();
            filters.put("metrics.m0 > 0.9 and (params.p1 = 'v3' or params.p2 = 'v7')", new Filter.And(List.of(
                    cmp(Entity.METRIC, "m0", Op.GT, 0.9),
                    new Filter.Or(List.of(cmp(Entity.PARAM, "p1", Op.EQ, "v3"), cmp(Entity.PARAM, "p2", Op.EQ, "v7"))))));
            filters.put("(metrics.m1 < 0.05 or metrics.m2 > 0.97) and params.p3 in ('v1', 'v2') and tags.team = 'core'",
                    new Filter.And(List.of(new Filter.Or(List.of(cmp(Entity.METRIC, "m1", Op.LT, 0.05),
                            cmp(Entity.METRIC, "m2", Op.GT, 0.97))),
                            new Compare(Entity.PARAM, "p3", Op.IN, List.of("v1", "v2")),
                            cmp(Entity.TAG, "team", Op.EQ, "core"))));
            filters.put("params.p0 = 'v1' or params.p5 like 'v9%'", new Filter.Or(List.of(
                    cmp(Entity.PARAM, "p0", Op.EQ, "v1"), cmp(Entity.PARAM, "p5", Op.LIKE, "v9%"))));
            for (Map.Entry<String, Filter> f : filters.entrySet()) {
                for (List<OrderBy> order : List.of(List.<OrderBy>of(), List.of(new OrderBy(Entity.METRIC, "m3", false)))) {
                    double[] medians = new double[2];
                    List<String> firstIds = null;
                    for (int s = 0; s < 2; s++) {
                        TrackingStore store = s == 0 ? sqlite : pg;
                        double[] ms = new double[reps];
                        List<String> ids = null;
                        for (int r = -2; r < reps; r++) {
                            long t = System.nanoTime();
                            var page = store.search(List.of(), f.getValue(), order, 0, 100);
                            if (r >= 0) {
                                ms[r] = (System.nanoTime() - t) / 1e6;
                            }
                            ids = page.stream().map(x -> x.runId()).toList();
                        }
                        if (firstIds == null) {
                            firstIds = ids;
                        } else if (!firstIds.equals(ids)) {
                            throw new IllegalStateException("PostgreSQL and SQLite disagree on " + f.getKey());
                        }
                        medians[s] = median(ms);
                    }
                    System.out.printf(Locale.ROOT, "search %,d runs, page of 100, order %s: SQLite %.1f ms,"
                            + " PostgreSQL %.1f ms, ratio %.2f  [%s]%n", runs,
                            order.isEmpty() ? "start_time desc" : "metrics.m3 desc", medians[0], medians[1],
                            medians[1] / medians[0], f.getKey());
                }
            }
        }
    }

    private static String name(TrackingStore store, TrackingStore sqlite) {
        return store == sqlite ? "SQLite" : "PostgreSQL";
    }

    private static Compare cmp(Entity e, String key, Op op, Object value) {
        return new Compare(e, key, op, List.of(value));
    }

    private static void populate(TrackingStore store, int runs) {
        Random rnd = new Random(42);
        Experiment[] exps = new Experiment[4];
        for (int e = 0; e < 4; e++) {
            exps[e] = store.experiment("exp" + e, T0);
        }
        for (int i = 0; i < runs; i++) {
            Map<String, String> params = new HashMap<>();
            for (int p = 0; p < 20; p++) {
                params.put("p" + p, "v" + rnd.nextInt(10));
            }
            List<MetricPoint> metrics = new ArrayList<>();
            Instant start = T0.plusMillis(i);
            for (int m = 0; m < 10; m++) {
                metrics.add(new MetricPoint("m" + m, rnd.nextDouble(), 0, start));
            }
            String id = "run-" + i;
            store.createRun(new NewRun(id, exps[i % 4].id(), id, null, start,
                    Map.of("team", rnd.nextBoolean() ? "core" : "edge")));
            store.write(id, new RunWrite(params, metrics, Map.of(), Map.of(), List.of()));
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
