package dev.mlops.dashboard;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.MonitorResult;
import dev.mlops.features.BatchSource;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.rag.Answer;
import dev.mlops.rag.CostTracker;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.ResponseCache;
import dev.mlops.rag.RetrievalMetrics;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.serving.ModelServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Every source of the dashboard as a real component, filled by really using it: a flow engine that ran a training
 * flow (one run failing), a registry with tracked runs, two Tribuo versions and alias moves through a promotion gate,
 * a {@link ModelServer} that answered traffic before and after the alias moved (logging to a prediction log and
 * meters), a {@link DriftMonitor} that read windows of that log, detected a shift and fired the retraining flow, a
 * RAG feedback journal, response cache, cost tracker and evaluation, and a feature store with a materialized view
 * whose online reads were timed.
 *
 * <p>Names carry hostile text ({@link #HOSTILE}) where the components allow free text (run names, reasons,
 * feedback comments, error messages), so pages prove they escape it.
 */
final class RealComponents implements AutoCloseable {

    static final String HOSTILE = "<script>alert('pwned')</script>";
    static final String MODEL = "iris-like";
    static final String[] FEATURES = {"x1", "x2"};
    static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
    static final int WINDOWS = 6;
    static final int PER_WINDOW = 40;

    final MutableClock clock = new MutableClock(T0);
    final FlowEngine engine;
    final ModelRegistry registry;
    final PredictionLog log = PredictionLog.inMemory(100_000);
    final MeterRegistry servingMeters = new SimpleMeterRegistry();
    final ModelServer server;
    final DriftMonitor monitor;
    final List<MonitorResult> windows = new ArrayList<>();
    final FeedbackStore feedback;
    final ResponseCache cache;
    final CostTracker cost;
    final Map<String, Double> bm25;
    final Map<String, Double> hybrid;
    final FeatureStore features;
    final MeterRegistry featureMeters = new SimpleMeterRegistry();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final List<String> servedVersions = new ArrayList<>();

    RealComponents(Path dir) throws Exception {
        engine = FlowEngine.builder().home(dir.resolve("flows")).clock(clock).build();
        registry = ModelRegistry.builder().home(dir.resolve("registry")).clock(clock).principal(() -> "ci").build();

        // --- flows: a training flow, run twice (the second time failing), and the retraining flow via drift
        engine.run(trainingFlow("train-model", false, true));
        clock.advance(Duration.ofMinutes(1));
        engine.run(trainingFlow("train-model", true, true));
        clock.advance(Duration.ofMinutes(1));

        // --- registry: two versions, tracked, promoted through a gate, then the champion moved
        int v1 = register(train(0), 0.88, "baseline " + HOSTILE);
        int v2 = register(train(1), 0.97, "retrained");
        PromotionPolicy gate = PromotionPolicy.builder().gate("accuracy >= 0.8").build();
        registry.promote(MODEL, v1, "champion", gate, "first champion " + HOSTILE);

        // --- serving: traffic on v1, then the alias moves to v2 and traffic goes on; drift injected half-way
        server = ModelServer.builder().registry(registry).model("models:/" + MODEL + "@champion").predictionLog(log)
                .meterRegistry(servingMeters).clock(clock).scheduler(scheduler).pollInterval(Duration.ofHours(1))
                .build();
        server.refresh();
        Table reference = referenceTable();
        monitor = DriftMonitor.builder().log(log).model(MODEL).reference(reference).window(Duration.ofMinutes(1))
                .step(Duration.ofMinutes(1)).clock(clock).meterRegistry(new SimpleMeterRegistry())
                .trigger(engine.trigger(trainingFlow("retrain-model", false, false), FlowParams.of(), false))
                .minRows(10).build();
        Random random = new Random(11);
        for (int w = 0; w < WINDOWS; w++) {
            if (w == WINDOWS / 2) {
                registry.promote(MODEL, v2, "champion", gate, "retrained wins");
                server.refresh();
            }
            double shift = w >= WINDOWS / 2 + 1 ? 3.0 : 0.0;
            for (int i = 0; i < PER_WINDOW; i++) {
                Map<String, Object> row = new HashMap<>();
                row.put("x1", random.nextGaussian() + shift);
                row.put("x2", random.nextGaussian());
                servedVersions.add(Integer.toString(server.predict(row).version()));
                clock.advance(Duration.ofMillis(1500));
            }
            windows.add(monitor.checkNow());
        }
        // the retraining runs the monitor fired run on the engine's threads: wait for them to finish
        for (MonitorResult r : windows) {
            if (r.runId().isPresent()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (engine.history().run(r.runId().get()).map(x -> x.end() == null).orElse(true)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("retraining run " + r.runId().get() + " did not finish");
                    }
                    Thread.sleep(20);
                }
            }
        }

        // --- RAG
        feedback = FeedbackStore.open(dir.resolve("feedback.jsonl"), clock);
        feedback.record("answer-1", Feedback.Rating.UP, "clear and sourced");
        feedback.record("answer-2", Feedback.Rating.UP, null);
        feedback.record("answer-3", Feedback.Rating.DOWN, HOSTILE);
        cache = ResponseCache.builder().clock(clock).build();
        Answer answer = new Answer("answer-1", "What is WAL?", "Write-ahead logging.", "qa-v1", "idx-1",
                "minilm", "local:llama3", List.of("wal.txt#0"), 120, 30, clock.instant());
        cache.get(answer.cacheKey(), "What is WAL?");      // miss
        cache.put("What is WAL?", answer);
        cache.get(answer.cacheKey(), "What is WAL?");      // hit
        cache.get(answer.cacheKey(), "what is wal?");      // hit (normalized)
        cache.get(answer.cacheKey(), "What is FTS5?");     // miss
        cost = CostTracker.builder().price("local:llama3", "0.20", "0.80").build();
        cost.record("local:llama3", 120_000, 30_000);
        cost.record("local:llama3", 80_000, 20_000);
        Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("d1", 1), "q2", Map.of("d3", 1));
        bm25 = RetrievalMetrics.evaluate(Map.of("q1", Map.of("d2", 2.0, "d1", 1.0), "q2", Map.of("d3", 3.0)),
                qrels, 1, 10).metrics();
        hybrid = RetrievalMetrics.evaluate(Map.of("q1", Map.of("d1", 2.0, "d2", 1.0), "q2", Map.of("d3", 3.0)),
                qrels, 1, 10).metrics();

        // --- features: one view from a CSV, applied, materialized; online reads timed by the host
        Path csv = dir.resolve("weather.csv");
        StringBuilder rows = new StringBuilder("station,event_timestamp,created_timestamp,temp\n");
        for (int h = 0; h < 6; h++) {
            Instant at = T0.plus(Duration.ofHours(h - 6));
            rows.append("s1,").append(at).append(',').append(at).append(',').append(10 + h).append('\n');
            rows.append("s2,").append(at).append(',').append(at).append(',').append(20 - h).append('\n');
        }
        Files.writeString(csv, rows);
        Entity station = Entity.of("station", "station", ColumnType.STRING);
        FeatureView weather = FeatureView.builder("weather").entity(station).feature("temp", ColumnType.DOUBLE)
                .ttl(Duration.ofHours(12)).source(BatchSource.csv(csv)).build();
        features = FeatureStore.builder().home(dir.resolve("features")).clock(clock).meterRegistry(featureMeters)
                .build();
        features.apply(Definitions.builder().entity(station).view(weather).build());
        features.materializeIncremental(T0);
        Timer reads = Timer.builder("mlops.features.online.read").tag("view", "weather")
                .publishPercentiles(0.5, 0.9, 0.99).register(featureMeters);
        for (int i = 0; i < 200; i++) {
            String key = i % 2 == 0 ? "s1" : "s2";
            reads.record(() -> features.readOnline(List.of("weather:temp"), key));
        }
    }

    /** A two-task flow; {@code moveClock} makes it last 15 s (5 s when failing) on the test clock. */
    private Flow<Integer> trainingFlow(String name, boolean fail, boolean moveClock) {
        Flow.Builder b = Flow.builder(name);
        var load = b.task("load").run(() -> {
            if (moveClock) {
                clock.advance(Duration.ofSeconds(3));
            }
            return 150;
        });
        return b.build(b.task("fit").run(load, rows -> {
            if (moveClock) {
                clock.advance(Duration.ofSeconds(fail ? 2 : 12));
            }
            if (fail) {
                throw new NonRetriableException("solver diverged on " + HOSTILE);
            }
            return rows;
        }));
    }

    private int register(Model<Label> model, double accuracy, String runName) {
        try (RegistryRun run = registry.startRun("iris-experiments", runName)) {
            run.logParam("trainer", "logistic");
            run.logMetric("accuracy", accuracy);
            run.logMetric("f1", accuracy - 0.02);
            TribuoModels.logModel(run, model, "model");
            clock.advance(Duration.ofSeconds(30));
            return registry.createVersion(VersionRequest.builder(MODEL, run.runId(), "model")
                    .flavor(TribuoModels.FLAVOR).signature(new ModelSignature(Schema.of(
                            Field.of("x1", ColumnType.DOUBLE), Field.of("x2", ColumnType.DOUBLE)), ColumnType.STRING))
                    .reason(runName).build()).version();
        }
    }

    /** A logistic regression that learned {@code x[feature] > 0}. */
    private static Model<Label> train(int feature) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("rule", factory), factory);
        Random random = new Random(42 + feature);
        for (int i = 0; i < 200; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian()};
            data.add(new ArrayExample<>(new Label(x[feature] > 0 ? "pos" : "neg"), FEATURES, x));
        }
        return new LogisticRegressionTrainer().train(data);
    }

    private static Table referenceTable() {
        Random random = new Random(5);
        double[] x1 = new double[500];
        double[] x2 = new double[500];
        for (int i = 0; i < 500; i++) {
            x1[i] = random.nextGaussian();
            x2[i] = random.nextGaussian();
        }
        return Table.of(DoubleColumn.of("x1", x1), DoubleColumn.of("x2", x2));
    }

    /** A dashboard over every component. */
    Dashboard.Builder dashboard() {
        return Dashboard.builder().port(0).clock(clock)
                .flows(engine.history())
                .registry(registry)
                .serving(log, MODEL).servingMeters(servingMeters)
                .drift(monitor)
                .ragEvaluation("bm25", bm25).ragEvaluation("hybrid " + HOSTILE, hybrid)
                .ragFeedback(feedback).ragCache(cache).ragCost(cost)
                .features(features).featureMeters(featureMeters).featureMaxAge(Duration.ofHours(1));
    }

    @Override
    public void close() {
        features.close();
        feedback.close();
        monitor.close();
        server.close();
        scheduler.shutdownNow();
        registry.close();
        engine.close();
        log.close();
    }
}
