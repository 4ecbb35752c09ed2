package dev.mlops.benchmarks;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.registry.MetricLogger;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import java.util.HashMap;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunBatch;
import dev.mlops.registry.RunPage;
import dev.mlops.registry.RunQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Times the tracking side of the registry:
 * <ol>
 *   <li>buffered logging: the caller-thread rate of {@link MetricLogger#log} and the end-to-end rate including
 *       the final {@code flush} (durable);</li>
 *   <li>a durable batch of 1,000 metrics through {@code logBatch} (one fsynced SQLite transaction), beside the
 *       same 1,000-row insert done by Python's {@code sqlite3} module on an equivalent table with the same
 *       pragmas (WAL, synchronous=FULL): the floor any SQLite-backed tracker pays;</li>
 *   <li>search over 30,000 runs with 20 params and 10 metrics each: an and/or filter, with the default order and
 *       ordered by a metric; first page of 100;</li>
 *   <li>loading a registered Tribuo model by alias, cold: a fresh JVM opens the registry, resolves
 *       {@code models:/bench@champion}, verifies and decodes the model and predicts one row.</li>
 * </ol>
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.RegistryBenchmark [runs] [repetitions]
 * </pre>
 */
public final class RegistryBenchmark {

    private static final String PYTHON = """
            import sqlite3, statistics, sys, time
            path, reps = sys.argv[1], int(sys.argv[2])
            c = sqlite3.connect(path, isolation_level=None)
            c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA synchronous=FULL')
            c.execute('CREATE TABLE IF NOT EXISTS m(rid INTEGER, key TEXT, value REAL, step INTEGER, ts INTEGER)')
            c.execute('CREATE INDEX IF NOT EXISTS m_rk ON m(rid, key)')
            times = []
            for r in range(reps):
                rows = [(1, 'm%d' % (i % 10), i * 0.5, r, 0) for i in range(1000)]
                t = time.perf_counter()
                c.execute('BEGIN IMMEDIATE')
                c.executemany('INSERT INTO m VALUES (?,?,?,?,?)', rows)
                c.execute('COMMIT')
                times.append(time.perf_counter() - t)
            print(statistics.median(times[3:]) * 1000)
            """;

    private RegistryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--cold-load")) {
            long t0 = System.nanoTime();
            try (ModelRegistry registry = ModelRegistry.open(Path.of(args[1]))) {
                Predictor p = registry.load("models:/bench@champion");
                p.predict(row(p, 0.5));
            }
            System.out.printf(Locale.ROOT, "%.3f%n", (System.nanoTime() - t0) / 1e6);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("registry-bench");
        System.out.printf(Locale.ROOT, "JVM %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        coldLoad(dir.resolve("model"), reps);
        buffered(dir.resolve("buffered"), reps);
        batch(dir.resolve("batch"), reps);
        if (runs > 0) {
            search(dir.resolve("search"), runs, reps);
        }
    }

    private static Map<String, Object> row(Predictor p, double value) {
        Map<String, Object> row = new HashMap<>();
        for (String name : p.signature().inputs().names()) {
            row.put(name, value);
        }
        return row;
    }

    /**
     * Trains a 30-feature Tribuo logistic regression on synthetic data, registers it as models:/bench@champion,
     * then times open + load by alias + first prediction in fresh JVMs (cold) and with new registry instances in
     * this JVM (warm JVM, cold registry).
     */
    private static void coldLoad(Path home, int reps) throws Exception {
        Random rnd = new Random(7);
        String[] names = new String[30];
        List<Field> fields = new ArrayList<>();
        for (int j = 0; j < names.length; j++) {
            names[j] = "f" + j;
            fields.add(Field.of(names[j], ColumnType.DOUBLE));
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("synthetic", factory), factory);
        for (int i = 0; i < 2000; i++) {
            double[] x = new double[names.length];
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                x[j] = rnd.nextGaussian();
                s += x[j] * (j % 3 - 1);
            }
            data.add(new ArrayExample<>(new Label(s > 0 ? "1" : "0"), names, x));
        }
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            String runId;
            try (RegistryRun run = registry.startRun("bench", "model")) {
                TribuoModels.logModel(run, new LogisticRegressionTrainer().train(data), "model");
                runId = run.runId();
            }
            registry.createVersion(VersionRequest.builder("bench", runId, "model").flavor(TribuoModels.FLAVOR)
                    .signature(new ModelSignature(Schema.of(fields), ColumnType.STRING)).build());
            registry.setAlias("bench", "champion", 1, "benchmark");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        double[] cold = new double[reps];
        for (int r = 0; r < reps; r++) {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), RegistryBenchmark.class.getName(), "--cold-load",
                    home.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            String[] lines = out.split("\\R");
            cold[r] = Double.parseDouble(lines[lines.length - 1]);
        }
        double[] warm = new double[Math.max(reps, 5)];
        for (int r = -2; r < warm.length; r++) {
            long t0 = System.nanoTime();
            try (ModelRegistry registry = ModelRegistry.open(home)) {
                Predictor p = registry.load("models:/bench@champion");
                p.predict(row(p, 0.5));
            }
            if (r >= 0) {
                warm[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "load models:/bench@champion (Tribuo LR, 30 features) + first prediction: fresh"
                + " JVM median %.0f ms (open registry, resolve alias, verify SHA-256, protobuf decode); warm JVM, new"
                + " registry instance median %.1f ms%n", median(cold), median(warm));
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static void buffered(Path home, int reps) {
        int n = 1_000_000;
        double[] caller = new double[reps];
        double[] total = new double[reps];
        try (ModelRegistry registry = ModelRegistry.builder().home(home).build()) {
            for (int r = -1; r < reps; r++) { // r = -1 warms up
                try (RegistryRun run = registry.startRun("bench", "buffered")) {
                    MetricLogger log = run.bufferedLogger();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) {
                        log.log("loss", i * 1e-6, i);
                    }
                    long t1 = System.nanoTime();
                    log.flush();
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        caller[r] = n / ((t1 - t0) / 1e9);
                        total[r] = n / ((t2 - t0) / 1e9);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "buffered logging, %,d points: caller thread median %,.0f metrics/s (%.0f ns/metric),"
                + " end-to-end incl. durable flush median %,.0f metrics/s%n", n, median(caller), 1e9 / median(caller),
                median(total));
    }

    private static void batch(Path home, int reps) throws IOException, InterruptedException {
        int n = Math.max(20, reps * 10);
        double[] ms = new double[n];
        try (ModelRegistry registry = ModelRegistry.builder().home(home).build();
             RegistryRun run = registry.startRun("bench", "batch")) {
            for (int r = -3; r < n; r++) {
                RunBatch.Builder b = RunBatch.builder();
                for (int i = 0; i < 1000; i++) {
                    b.metric("m" + (i % 10), i * 0.5, r + 3);
                }
                RunBatch batch = b.build();
                long t0 = System.nanoTime();
                run.logBatch(batch);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double ours = median(ms);
        Double peer = python(home.resolve("peer.db"), n + 3);
        System.out.printf(Locale.ROOT, "durable batch of 1,000 metrics: median %.2f ms over %d batches%s%n", ours, n,
                peer == null ? " (python3 sqlite3 peer unavailable)"
                        : String.format(Locale.ROOT, "; python3 sqlite3 executemany of the same 1,000 rows %.2f ms (ratio"
                        + " ours/peer %.2f)", peer, ours / peer));
    }

    private static Double python(Path db, int reps) throws IOException, InterruptedException {
        Path script = Files.writeString(Files.createTempFile("peer", ".py"), PYTHON, StandardCharsets.UTF_8);
        try {
            Process p = new ProcessBuilder("python3", script.toString(), db.toString(), Integer.toString(reps))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? Double.parseDouble(out) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void search(Path home, int runs, int reps) {
        Random rnd = new Random(42);
        long t0 = System.nanoTime();
        try (ModelRegistry registry = ModelRegistry.builder().home(home).durableCommits(false).build()) {
            for (int i = 0; i < runs; i++) {
                try (RegistryRun run = registry.startRun("exp" + (i % 4), null)) {
                    RunBatch.Builder b = RunBatch.builder();
                    for (int p = 0; p < 20; p++) {
                        b.param("p" + p, "v" + rnd.nextInt(10));
                    }
                    for (int m = 0; m < 10; m++) {
                        b.metric("m" + m, rnd.nextDouble(), 0);
                    }
                    b.tag("team", rnd.nextBoolean() ? "core" : "edge");
                    run.logBatch(b.build());
                }
            }
        }
        System.out.printf(Locale.ROOT, "populated %,d runs x (20 params, 10 metrics, 1 tag) in %.1f s%n", runs,
                (System.nanoTime() - t0) / 1e9);
        List<String> filters = List.of(
                "metrics.m0 > 0.9 and (params.p1 = 'v3' or params.p2 = 'v7')",
                "(metrics.m1 < 0.05 or metrics.m2 > 0.97) and params.p3 in ('v1', 'v2') and tags.team = 'core'",
                "params.p0 = 'v1' or params.p5 like 'v9%'");
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            for (String filter : filters) {
                for (String order : new String[] {null, "metrics.m3 desc"}) {
                    RunQuery.Builder qb = RunQuery.builder().filter(filter).maxResults(100);
                    if (order != null) {
                        qb.orderBy(order);
                    }
                    RunQuery q = qb.build();
                    int matched = registry.searchRuns(q.toBuilder().maxResults(RunQuery.MAX_RESULTS_LIMIT).build())
                            .runs().size();
                    double[] ms = new double[Math.max(reps, 5)];
                    for (int r = -2; r < ms.length; r++) {
                        long s = System.nanoTime();
                        RunPage page = registry.searchRuns(q);
                        if (r >= 0) {
                            ms[r] = (System.nanoTime() - s) / 1e6;
                        }
                        if (page.runs().isEmpty()) {
                            throw new IllegalStateException("no match for " + filter);
                        }
                    }
                    System.out.printf(Locale.ROOT, "search over %,d runs, first page of 100 (%,d match), order %s: median"
                            + " %.1f ms  [%s]%n", runs, matched, order == null ? "start_time desc" : order, median(ms),
                            filter);
                }
            }
        }
    }
}
