package dev.mlops.benchmarks;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.OnnxModels;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.serving.ModelServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * The ONNX flavor beside the Tribuo flavor on the breast-cancer logistic regression (the same trained model, exported
 * with {@code OnnxModels.logModel}): per-row latency of {@code Predictor.predict}, batched throughput of
 * {@code Predictor.predict(Table)} over the 114 test rows, and concurrent single-row requests through
 * {@code ModelServer} with and without micro-batching. Medians of interleaved rounds, timed with {@code nanoTime}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp mlops-benchmarks/target/benchmarks.jar \
 *     dev.mlops.benchmarks.OnnxServingBenchmark [calls=50000] [threads=4]
 * </pre>
 */
public final class OnnxServingBenchmark {

    private static final Path DATA = Path.of("/work/shared/data");

    private OnnxServingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        System.out.printf(Locale.ROOT, "JVM %s, %d cores%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        BreastCancerLogistic bc = BreastCancerLogistic.train(DATA);
        String[] features = bc.features();
        double[] target = bc.target();
        int[] test = bc.test();
        Model<Label> model = bc.model();
        List<Field> fields = new ArrayList<>();
        for (String f : features) {
            fields.add(Field.of(f, ColumnType.DOUBLE));
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Example<Label>> examples = new ArrayList<>();
        double[][] testCols = new double[features.length][test.length];
        for (int r = 0; r < test.length; r++) {
            double[] x = bc.scaled(test[r]);
            Map<String, Object> row = new HashMap<>();
            for (int j = 0; j < features.length; j++) {
                row.put(features[j], x[j]);
                testCols[j][r] = x[j];
            }
            rows.add(row);
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, x));
        }
        DoubleColumn[] columns = new DoubleColumn[features.length];
        for (int j = 0; j < features.length; j++) {
            columns[j] = DoubleColumn.of(features[j], testCols[j]);
        }
        Table batch = Table.of(columns);

        Path home = Files.createTempDirectory("onnx-bench");
        ModelSignature signature = new ModelSignature(Schema.of(fields), ColumnType.STRING);
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            try (RegistryRun run = registry.startRun("breast-cancer", "logreg")) {
                TribuoModels.logModel(run, model, "tribuo");
                OnnxModels.logModel(run, model, "onnx");
                registry.createVersion(VersionRequest.builder("bc-tribuo", run.runId(), "tribuo")
                        .flavor(TribuoModels.FLAVOR).signature(signature).build());
                registry.createVersion(VersionRequest.builder("bc-onnx", run.runId(), "onnx")
                        .flavor(OnnxModels.FLAVOR).signature(signature).build());
            }
            Predictor tribuo = registry.load("models:/bc-tribuo/1");
            Predictor onnx = registry.load("models:/bc-onnx/1");
            perRow(calls, model, examples, tribuo, onnx, rows);
            batched(Math.max(calls / 100, 50), tribuo, onnx, batch);
            for (boolean batching : new boolean[] {false, true}) {
                for (String uri : new String[] {"models:/bc-tribuo/1", "models:/bc-onnx/1"}) {
                    ModelServer.Builder b = ModelServer.builder().registry(registry).model(uri)
                            .pollInterval(Duration.ZERO).meterRegistry(new SimpleMeterRegistry());
                    if (batching) {
                        b.microBatching(Duration.ofNanos(200_000), 32);
                    }
                    try (ModelServer server = b.build()) {
                        server.refresh();
                        concurrent(uri + (batching ? ", micro-batching 200us/32" : ""), server, rows, threads,
                                calls / threads);
                    }
                }
            }
        }
    }

    private static void perRow(int calls, Model<Label> model, List<Example<Label>> examples, Predictor tribuo,
                               Predictor onnx, List<Map<String, Object>> rows) {
        String[] names = {"Tribuo model.predict (floor)", "Predictor.predict, tribuo flavor",
                "Predictor.predict, onnx flavor"};
        long[][] samples = new long[3][];
        int rounds = 4;
        int perRound = calls / rounds;
        for (int k = 0; k < 3; k++) {
            samples[k] = new long[perRound * rounds];
        }
        long sink = 0;
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < 3; k++) {
                int base = Math.max(round, 0) * perRound;
                for (int c = 0; c < perRound; c++) {
                    int r = c % rows.size();
                    long t0 = System.nanoTime();
                    Object out = switch (k) {
                        case 0 -> model.predict(examples.get(r));
                        case 1 -> tribuo.predict(rows.get(r));
                        default -> onnx.predict(rows.get(r));
                    };
                    long t = System.nanoTime() - t0;
                    sink += out.hashCode();
                    if (round >= 0) {
                        samples[k][base + c] = t;
                    }
                }
            }
        }
        double floor = percentile(samples[0], 0.5);
        System.out.printf(Locale.ROOT, "per row, %,d calls each:%n", perRound * rounds);
        System.out.printf(Locale.ROOT, "  %-36s %8s %8s %10s%n", "path", "p50 us", "p99 us", "p50/floor");
        for (int k = 0; k < 3; k++) {
            System.out.printf(Locale.ROOT, "  %-36s %8.2f %8.2f %10.2f%n", names[k], percentile(samples[k], 0.5) / 1e3,
                    percentile(samples[k], 0.99) / 1e3, percentile(samples[k], 0.5) / floor);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void batched(int reps, Predictor tribuo, Predictor onnx, Table batch) {
        int rounds = 5;
        double[][] rates = new double[2][rounds];
        long sink = 0;
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < 2; k++) {
                Predictor p = k == 0 ? tribuo : onnx;
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    sink += p.predict(batch).size();
                }
                long t = System.nanoTime() - t0;
                if (round >= 0) {
                    rates[k][round] = (double) reps * batch.rowCount() / (t / 1e9);
                }
            }
        }
        double tr = median(rates[0]);
        double on = median(rates[1]);
        System.out.printf(Locale.ROOT, "Predictor.predict(Table) of %d rows, %d calls per round, median of %d rounds:%n",
                batch.rowCount(), reps, rounds);
        System.out.printf(Locale.ROOT, "  tribuo flavor %,12.0f rows/s%n  onnx flavor   %,12.0f rows/s  (onnx/tribuo %.2f)%n",
                tr, on, on / tr);
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void concurrent(String what, ModelServer server, List<Map<String, Object>> rows, int threads,
                                   int perThread) throws Exception {
        for (int i = 0; i < 2_000; i++) {
            server.predict(rows.get(i % rows.size()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            futures.add(pool.submit(() -> {
                long[] lat = new long[perThread];
                start.await();
                for (int i = 0; i < perThread; i++) {
                    long t0 = System.nanoTime();
                    server.predict(rows.get((i + offset) % rows.size()));
                    lat[i] = System.nanoTime() - t0;
                }
                return lat;
            }));
        }
        start.await();
        long t0 = System.nanoTime();
        long[] all = new long[threads * perThread];
        for (int t = 0; t < threads; t++) {
            System.arraycopy(futures.get(t).get(), 0, all, t * perThread, perThread);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "ModelServer.predict, %d threads x %,d single rows, %s: %,.0f rows/s,"
                + " p50 %.1f us, p99 %.1f us%n", threads, perThread, what, all.length / seconds,
                percentile(all, 0.5) / 1e3, percentile(all, 0.99) / 1e3);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double percentile(long[] v, double q) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }


}
