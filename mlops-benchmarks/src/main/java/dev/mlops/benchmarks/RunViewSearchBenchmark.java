package dev.mlops.benchmarks;

import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunView;
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
 * What the soft-delete predicate costs a registry search: the filters of {@link RegistryBenchmark} over 30,000 runs
 * (1% of them deleted) in the embedded SQLite tracking store, first page of 100, searched with the default
 * {@link RunView#ACTIVE_ONLY} (which adds "the run and its experiment are not deleted" to the SQL) beside
 * {@link RunView#ALL} (no lifecycle predicate: the peer), alternating in the same run. Prints medians and the ratio.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.RunViewSearchBenchmark [runs] [reps]
 * </pre>
 */
public final class RunViewSearchBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    private RunViewSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = Files.createTempDirectory("runview-bench");
        // the embedded store is internal to mlops-registry; on the class path reflection reaches it
        TrackingStore store = (TrackingStore) Class.forName("dev.mlops.registry.internal.SqliteTrackingStore")
                .getConstructor(Path.class, boolean.class).newInstance(dir.resolve("registry.db"), false);
        try (store) {
            long t0 = System.nanoTime();
            populate(store, runs);
            java.util.Set<String> deleted = new java.util.HashSet<>();
            for (int i = 0; i < runs; i += 100) {
                store.setRunDeleted("run-" + i, true);
                deleted.add("run-" + i);
            }
            System.out.printf(Locale.ROOT, "populated %,d runs x (20 params, 10 metrics, 1 tag), %,d deleted, in %.1f s%n",
                    runs, deleted.size(), (System.nanoTime() - t0) / 1e9);
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
                    double[] active = new double[reps];
                    double[] all = new double[reps];
                    for (int r = -2; r < reps; r++) {
                        for (RunView view : List.of(RunView.ACTIVE_ONLY, RunView.ALL)) {
                            long t = System.nanoTime();
                            List<RunInfo> page = store.search(List.of(), f.getValue(), order, 0, 100, view);
                            double ms = (System.nanoTime() - t) / 1e6;
                            if (view == RunView.ACTIVE_ONLY && page.stream().anyMatch(x -> deleted.contains(x.runId()))) {
                                throw new IllegalStateException("a deleted run in an ACTIVE_ONLY page: " + f.getKey());
                            }
                            if (r >= 0) {
                                (view == RunView.ACTIVE_ONLY ? active : all)[r] = ms;
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "search %,d runs, page of 100, order %s: ACTIVE_ONLY %.1f ms,"
                            + " ALL (peer) %.1f ms, ratio %.2f  [%s]%n", runs,
                            order.isEmpty() ? "start_time desc" : "metrics.m3 desc", median(active), median(all),
                            median(active) / median(all), f.getKey());
                }
            }
        }
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
