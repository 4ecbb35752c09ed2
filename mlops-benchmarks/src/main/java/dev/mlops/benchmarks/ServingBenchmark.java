package dev.mlops.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.serving.ModelEndpoint;
import dev.mlops.registry.serving.ModelServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/**
 * Serving latency for the breast-cancer logistic regression ({@code /work/shared/data}, standardized features):
 * <ol>
 *   <li>in-process, per row: {@code ModelServer.predict} (validation, routing, meters, prediction log) beside the
 *       registry's {@code Predictor} and the Tribuo model called directly (the floor), each call timed with
 *       {@code System.nanoTime()}, rounds interleaved;</li>
 *   <li>HTTP {@code POST /predict} (one row, bearer token) on loopback, driven by a second JVM at a fixed rate
 *       (open loop: latency counted from each request's scheduled send time, so a stall is not hidden).</li>
 * </ol>
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.ServingBenchmark [calls] [rate] [seconds]
 * </pre>
 */
public final class ServingBenchmark {

    private static final Path DATA = Path.of("/work/shared/data");
    private static final String TOKEN = "benchmark-token-0123456789";

    private ServingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--load")) {
            load(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        System.out.printf(Locale.ROOT, "JVM %s, %d cores%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        Path home = Files.createTempDirectory("serving-bench");

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
        for (int i : test) {
            double[] x = bc.scaled(i);
            Map<String, Object> row = new HashMap<>();
            for (int j = 0; j < features.length; j++) {
                row.put(features[j], x[j]);
            }
            rows.add(row);
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, x));
        }

        try (ModelRegistry registry = ModelRegistry.open(home)) {
            try (RegistryRun run = registry.startRun("breast-cancer", "logreg")) {
                TribuoModels.logModel(run, model, "model");
                registry.createVersion(VersionRequest.builder("breast-cancer", run.runId(), "model")
                        .flavor(TribuoModels.FLAVOR).signature(new ModelSignature(Schema.of(fields), ColumnType.STRING))
                        .build());
            }
            registry.setAlias("breast-cancer", "champion", 1, "benchmark");
            Predictor predictor = registry.load("models:/breast-cancer@champion");
            PredictionLog memory = PredictionLog.inMemory(100_000);
            try (ModelServer noLog = ModelServer.builder().registry(registry).model("models:/breast-cancer@champion")
                         .pollInterval(Duration.ZERO).meterRegistry(new SimpleMeterRegistry()).build();
                 ModelServer logged = ModelServer.builder().registry(registry)
                         .model("models:/breast-cancer@champion").pollInterval(Duration.ZERO)
                         .meterRegistry(new SimpleMeterRegistry()).predictionLog(memory).build();
                 ModelServer files = ModelServer.builder().registry(registry)
                         .model("models:/breast-cancer@champion").pollInterval(Duration.ZERO)
                         .meterRegistry(new SimpleMeterRegistry()).home(home.resolve("in-process")).build()) {
                noLog.refresh();
                logged.refresh();
                files.refresh();
                if (calls > 0) {
                    inProcess(calls, model, examples, predictor, noLog, logged, files, rows);
                }
            }
            // HTTP: the server a host would run, with the durable rolling-file prediction log in its home (the
            // default; -Dserving.http.log=memory|noop to compare) and the endpoint's default executor
            // (-Dserving.http.executor=direct runs handlers on the HTTP server's dispatcher thread)
            String logKind = System.getProperty("serving.http.log", "files");
            ModelServer.Builder b = ModelServer.builder().registry(registry).model("models:/breast-cancer@champion")
                    .pollInterval(Duration.ZERO).meterRegistry(new SimpleMeterRegistry());
            switch (logKind) {
                case "files" -> b.home(home.resolve("serving"));
                case "memory" -> b.predictionLog(PredictionLog.inMemory(100_000));
                case "noop" -> { }
                default -> throw new IllegalArgumentException("serving.http.log must be files, memory or noop: " + logKind);
            }
            try (ModelServer server = b.build()) {
                server.refresh();
                String serve = System.getProperty("serving.serve.seconds");
                if (serve != null) {
                    serveFor(server, rows.get(0), Integer.parseInt(serve));
                } else if (rate > 0) {
                    http(server, rows.get(0), rate, seconds, logKind);
                }
            }
        }
    }

    private static void inProcess(int calls, Model<Label> model, List<Example<Label>> examples, Predictor predictor,
                                  ModelServer noLog, ModelServer logged, ModelServer files,
                                  List<Map<String, Object>> rows) {
        String[] names = {"Tribuo model.predict (floor)", "registry Predictor.predict",
                "ModelServer.predict, noop log", "ModelServer.predict, in-memory log",
                "ModelServer.predict, rolling-file log"};
        int paths = names.length;
        long[][] samples = new long[paths][];
        for (int k = 0; k < paths; k++) {
            samples[k] = new long[calls];
        }
        int rounds = 4;
        int perRound = calls / rounds;
        long sink = 0;
        for (int round = -1; round < rounds; round++) { // round -1 warms up
            for (int k = 0; k < paths; k++) {
                int base = Math.max(round, 0) * perRound;
                for (int c = 0; c < perRound; c++) {
                    int r = c % rows.size();
                    long t0 = System.nanoTime();
                    Object out = switch (k) {
                        case 0 -> model.predict(examples.get(r));
                        case 1 -> predictor.predict(rows.get(r));
                        case 2 -> noLog.predict(rows.get(r));
                        case 3 -> logged.predict(rows.get(r));
                        default -> files.predict(rows.get(r));
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
        double floor99 = percentile(samples[0], 0.99);
        System.out.printf(Locale.ROOT, "in-process, per row, %,d calls each (%d test rows, 30 features):%n",
                perRound * rounds, rows.size());
        System.out.printf(Locale.ROOT, "  %-38s %8s %8s %8s %10s %10s%n", "path", "p50 us", "p99 us", "p99.9 us",
                "p50/floor", "p99/floor");
        for (int k = 0; k < paths; k++) {
            double p50 = percentile(samples[k], 0.5);
            double p99 = percentile(samples[k], 0.99);
            System.out.printf(Locale.ROOT, "  %-38s %8.2f %8.2f %8.2f %10.2f %10.2f%n", names[k], p50 / 1e3,
                    p99 / 1e3, percentile(samples[k], 0.999) / 1e3, p50 / floor, p99 / floor99);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static ModelEndpoint endpoint(ModelServer server) {
        ModelEndpoint.Builder b = ModelEndpoint.builder().server(server).port(0).bearerToken(TOKEN);
        if ("direct".equals(System.getProperty("serving.http.executor"))) {
            b.executor(Runnable::run);
        }
        return b.start();
    }

    /** Serves HTTP for an external load generator (wrk): prints the URL, the body file and the GC time spent. */
    private static void serveFor(ModelServer server, Map<String, Object> row, int seconds) throws Exception {
        try (ModelEndpoint endpoint = endpoint(server)) {
            Path body = Files.createTempFile("serving-bench", ".json");
            Files.writeString(body, new ObjectMapper().writeValueAsString(Map.of("rows", List.of(row))));
            System.out.println("serving http://127.0.0.1:" + endpoint.address().getPort() + "/predict token " + TOKEN
                    + " body " + body + " for " + seconds + " s");
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long[] gc0 = gc();
            long a0 = mx.getTotalThreadAllocatedBytes();
            Thread.sleep(seconds * 1000L);
            long a1 = mx.getTotalThreadAllocatedBytes();
            long[] gc1 = gc();
            System.out.printf(Locale.ROOT, "server GC while serving: %d collections, %d ms; %,d MB allocated by all"
                    + " threads%n", gc1[0] - gc0[0], gc1[1] - gc0[1], (a1 - a0) >> 20);
        }
    }

    private static long[] gc() {
        long n = 0;
        long ms = 0;
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    private static void http(ModelServer server, Map<String, Object> row, int rate, int seconds, String logKind)
            throws Exception {
        try (ModelEndpoint endpoint = endpoint(server)) {
            String url = "http://127.0.0.1:" + endpoint.address().getPort() + "/predict";
            Path body = Files.createTempFile("serving-bench", ".json");
            Files.writeString(body, new ObjectMapper().writeValueAsString(Map.of("rows", List.of(row))));
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ServingBenchmark.class.getName(), "--load", url, body.toString(), Integer.toString(rate),
                    Integer.toString(seconds)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long[] gc0 = gc();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            long[] gc1 = gc();
            System.out.print(out);
            System.out.printf(Locale.ROOT, "  (server: prediction log %s, executor %s; server GC during the run: %d"
                    + " collections, %d ms)%n", logKind, System.getProperty("serving.http.executor", "default"),
                    gc1[0] - gc0[0], gc1[1] - gc0[1]);
        }
    }

    /** The load generator (second JVM): fixed-rate open loop; warm-up second first, then the measured window. */
    private static void load(String url, String bodyFile, int rate, int seconds) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(bodyFile));
        HttpClient client = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2))
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int i = 0; i < 500; i++) { // warm-up, closed loop
            client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        // warm-up at the measured rate for 3 s (both JVMs reach steady state: JIT, connection pool), not recorded
        openLoop(client, request, rate, rate * 3, new long[rate * 3], new AtomicInteger());
        int n = rate * seconds;
        long[] latency = new long[n];
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        openLoop(client, request, rate, n, latency, failures);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "HTTP POST /predict (1 row, bearer token), loopback, second JVM at a fixed %,d"
                + " req/s for %d s: %,d requests, %d failed, throughput %,.0f req/s, latency from scheduled send:"
                + " p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n", rate, seconds, n, failures.get(),
                n / elapsed, percentile(latency, 0.5) / 1e6, percentile(latency, 0.99) / 1e6,
                percentile(latency, 0.999) / 1e6, percentile(latency, 1.0) / 1e6);
        System.exit(0);
    }

    /** Sends {@code n} requests at a fixed rate (open loop); latency from each request's scheduled send time. */
    private static void openLoop(HttpClient client, HttpRequest request, int rate, int n, long[] latency,
                                 AtomicInteger failures) throws InterruptedException {
        List<CompletableFuture<?>> inFlight = new ArrayList<>(n);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long scheduled = start + i * interval;
            long wait;
            // park, never spin: on a 2-core machine a spinning generator takes a whole core from the server it
            // measures. Oversleeping (timer slack, ~0.05-0.1 ms) counts as latency, since it is measured from the
            // scheduled time: the figure errs against us.
            while ((wait = scheduled - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int idx = i;
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                latency[idx] = System.nanoTime() - scheduled;
                if (e != null || r.statusCode() != 200) {
                    if (failures.incrementAndGet() <= 3) {
                        System.err.println("request " + idx + " failed: " + (e != null ? e : r.statusCode() + " "
                                + new String(r.body(), StandardCharsets.UTF_8)));
                    }
                }
            }));
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }



    private static double percentile(long[] xs, double q) {
        long[] s = xs.clone();
        Arrays.sort(s);
        int idx = (int) Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
        return s[idx];
    }
}
