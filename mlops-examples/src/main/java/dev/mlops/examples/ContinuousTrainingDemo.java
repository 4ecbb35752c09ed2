package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.flow.FlowResult;
import dev.mlops.core.flow.FlowRunRecord;
import dev.mlops.core.flow.FlowState;
import dev.mlops.core.flow.Param;
import dev.mlops.core.flow.TaskContext;
import dev.mlops.core.flow.TaskHandle;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.spi.FlowTrigger;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.MonitorResult;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.serving.ModelServer;
import dev.mlops.registry.serving.ServedPrediction;
import dev.mlops.registry.serving.ServerListener;
import dev.mlops.registry.serving.ShadowComparison;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Scenario 1 of {@code mlops demo} ({@link DemoCommand}): continuous training with drift detection on the breast
 * cancer data, the seed's Project 1, on embedded defaults in a fresh home directory.
 *
 * <ol>
 *   <li>A tracked flow (core {@link FlowEngine}, the {@link ModelRegistry} as run tracker) loads the bundled CSV,
 *       validates it with core {@code Expectations}, splits it with scikit-learn's split, standardizes it with the
 *       training rows' mean and population std, trains a Tribuo logistic regression and a random forest (one child
 *       run each), evaluates them on the test rows and registers the best.</li>
 *   <li>The best is promoted to {@code @champion} through a {@link PromotionPolicy} gate and served by a
 *       {@link ModelServer} that logs every prediction to {@code PredictionLog.rollingFiles(home/predictions)}.</li>
 *   <li>Production traffic: the 114 test rows, one request per simulated second, with {@code mean radius} and
 *       {@code mean texture} shifted by +2 training standard deviations from request {@value #DRIFT_FROM} on.</li>
 *   <li>Every {@value #WINDOW} requests mlops-drift's {@link DriftMonitor} reads the window back from the log and
 *       compares it with the training rows ({@link #detector()}); the first drifting window raises an alert and
 *       fires the retraining flow through a core {@link FlowTrigger} (training rows plus a copy shifted like the
 *       traffic); the monitor fires once per drift episode.</li>
 *   <li>The retrained version is registered as {@code @challenger}, runs in shadow on the drifted traffic, and is
 *       promoted or rejected by the gate; then {@code @champion} is rolled back.</li>
 * </ol>
 * Everything is seeded and the clock of the server is simulated, so the output is the same on every run.
 */
public final class ContinuousTrainingDemo {

    static final String MODEL = "breast-cancer";
    static final String EXPERIMENT = "breast-cancer-ct";
    /** The training flow's name in the flow history. */
    static final String FLOW = "train-breast-cancer";
    /** Requests per monitoring window. */
    static final int WINDOW = 19;
    /** The first request (0-based) whose features are shifted. */
    static final int DRIFT_FROM = 57;
    /** The shift, in training standard deviations (the features are standardized, so it is added as is). */
    static final double SHIFT = 2.0;
    static final List<String> DRIFTED = List.of("mean radius", "mean texture");
    /** The 30 feature columns of the bundled CSV, in file order. */
    static final List<String> FEATURES = features();
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** First gate: a good enough model. Second gate: no worse than the champion on the same evaluation rows. */
    static final PromotionPolicy FIRST_GATE = PromotionPolicy.builder().gate("test.accuracy >= 0.95").build();
    static final PromotionPolicy CHALLENGER_GATE = PromotionPolicy.builder()
            .gate("test.accuracy >= 0.95 and test.accuracy >= champion.test.accuracy - 0.01")
            .sameDataset("eval").build();

    private ContinuousTrainingDemo() {
    }

    /** A trained and evaluated model: its tracking run and test metrics. */
    public record Candidate(String name, String runId, double accuracy, double f1) {
    }

    /** What a training run produced: every candidate, the best, and its registered version. */
    public record Outcome(List<Candidate> candidates, Candidate best, int version) {
    }

    /** The training data after preparation: standardized train and test rows. */
    record Prepared(Table train, Table test) {
    }

    /** What the demo did, for the test and for a caller that wants more than the printout. */
    public record Result(Path home, Outcome first, List<MonitorResult> windows, int alertWindow,
                         Outcome retrained, PromotionDecision challengerDecision, long shadowAgreements,
                         long shadowComparisons, int championBeforeRollback, int championAfterRollback) {
    }

    // ------------------------------------------------------------------------------------------------ the flow

    /**
     * The training flow, the handle of its prepared data, and the outcome of each run by flow run id (a run started
     * by a {@link FlowTrigger} is known only by its id).
     */
    record Pipeline(Flow<Outcome> flow, TaskHandle<Prepared> prepared, Map<String, Outcome> outcomes) {
    }

    /** The training flow; {@code register} registers the best candidate under the given alias. */
    static Pipeline trainingFlow(ModelRegistry registry) {
        Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
        Flow.Builder b = Flow.builder(FLOW).tracked(EXPERIMENT);
        Param<Path> csv = b.param("csv", Path.class);
        Param<Path> splitFile = b.param("split", Path.class);
        Param<Double> shift = b.param("shift", Double.class, 0.0, s -> s >= 0, ">= 0");
        Param<String> alias = b.param("alias", String.class, "candidate");
        Param<String> reason = b.param("reason", String.class, "initial training");

        TaskHandle<Table> raw = b.task("load").run(csv, p -> CsvReader.builder().inferSchema().build().read(p));
        TaskHandle<Table> valid = b.task("validate").run(raw, FlowDemo::validate);
        TaskHandle<Prepared> prepared = b.task("split-standardize").run(valid, splitFile, (t, s) ->
                standardize(t.take(FlowDemo.indices(s, "train")), t.take(FlowDemo.indices(s, "test"))));
        TaskHandle<Table> train = b.task("augment").run(prepared, shift, (p, s) ->
                s == 0 ? p.train() : Table.concat(p.train(), shifted(p.train(), s)));
        TaskHandle<List<Candidate>> candidates = b.task("train-evaluate").run(train, prepared, (t, p) ->
                trainAndEvaluate(registry, t, p.test()));
        TaskHandle<Outcome> register = b.task("register").run(candidates, alias, reason, (c, a, r) ->
                register(registry, c, a, r, outcomes));
        return new Pipeline(b.build(register), prepared, outcomes);
    }

    static Prepared standardize(Table train, Table test) {
        List<String> features = LogisticRegression.features(train);
        List<Column> trainColumns = new ArrayList<>();
        List<Column> testColumns = new ArrayList<>();
        for (String f : features) {
            double[] x = train.toDoubleArray(f);
            double mean = 0;
            for (double v : x) {
                mean += v;
            }
            mean /= x.length;
            double ss = 0;
            for (double v : x) {
                ss += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(ss / x.length);
            trainColumns.add(DoubleColumn.of(f, scale(x, mean, std)));
            testColumns.add(DoubleColumn.of(f, scale(test.toDoubleArray(f), mean, std)));
        }
        trainColumns.add(train.column("target"));
        testColumns.add(test.column("target"));
        return new Prepared(Table.of(trainColumns.toArray(Column[]::new)), Table.of(testColumns.toArray(Column[]::new)));
    }

    private static double[] scale(double[] x, double mean, double std) {
        double[] z = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = (x[i] - mean) / std;
        }
        return z;
    }

    /** A copy of {@code t} with {@link #DRIFTED} shifted by {@code shift} (the rows are standardized). */
    static Table shifted(Table t, double shift) {
        Table out = t;
        for (String f : DRIFTED) {
            double[] x = t.toDoubleArray(f);
            for (int i = 0; i < x.length; i++) {
                x[i] += shift;
            }
            out = out.withColumn(DoubleColumn.of(f, x));
        }
        return out;
    }

    static List<Candidate> trainAndEvaluate(ModelRegistry registry, Table train, Table test) {
        RegistryRun parent = (RegistryRun) TaskContext.current().trackedRun()
                .orElseThrow(() -> new IllegalStateException("the training flow runs without a tracking run"));
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> trainSet = dataset(train, labels, "train");
        MutableDataset<Label> testSet = dataset(test, labels, "test");
        Map<String, Trainer<Label>> trainers = new LinkedHashMap<>();
        trainers.put("logistic-regression", new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), 50, 1L));
        trainers.put("random-forest", new RandomForestTrainer<>(
                new CARTClassificationTrainer(Integer.MAX_VALUE, (float) (Math.sqrt(30) / 30), 42L),
                new VotingCombiner(), 100, 42L));
        List<Candidate> result = new ArrayList<>();
        for (Map.Entry<String, Trainer<Label>> e : trainers.entrySet()) {
            try (RegistryRun run = parent.startChildRun(e.getKey())) {
                run.logDataset("train", train.fingerprint());
                run.logDataset("eval", test.fingerprint());
                Model<Label> model = e.getValue().train(trainSet);
                TribuoModels.logModel(run, model, "model");
                TribuoModels.logEvaluation(run, model, testSet, "test");
                RunInfo info = registry.run(run.runId());
                result.add(new Candidate(e.getKey(), run.runId(), info.metric("test.accuracy").orElseThrow(),
                        info.metric("test.f1.1").orElseThrow()));
            }
        }
        return result;
    }

    static MutableDataset<Label> dataset(Table t, LabelFactory factory, String name) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("breast_cancer " + name, factory),
                factory);
        List<String> features = LogisticRegression.features(t);
        String[] names = features.toArray(String[]::new);
        double[][] cols = new double[names.length][];
        for (int j = 0; j < names.length; j++) {
            cols[j] = t.toDoubleArray(names[j]);
        }
        double[] target = t.toDoubleArray("target");
        for (int i = 0; i < t.rowCount(); i++) {
            double[] x = new double[names.length];
            for (int j = 0; j < names.length; j++) {
                x[j] = cols[j][i];
            }
            d.add(new ArrayExample<>(new Label(Long.toString((long) target[i])), names, x));
        }
        return d;
    }

    static Outcome register(ModelRegistry registry, List<Candidate> candidates, String alias, String reason,
                            Map<String, Outcome> outcomes) {
        Candidate best = candidates.stream().max(Comparator.comparingDouble(Candidate::accuracy)
                .thenComparingDouble(Candidate::f1)).orElseThrow();
        String why = reason + ": best of " + candidates.size() + " (" + best.name() + ")";
        ModelVersion v = registry.createVersion(VersionRequest.builder(MODEL, best.runId(), "model")
                .flavor(TribuoModels.FLAVOR).signature(signature()).description(why).reason(why).build());
        registry.setAlias(MODEL, alias, v.version(), reason);
        Outcome outcome = new Outcome(candidates, best, v.version());
        outcomes.put(TaskContext.current().flowRunId(), outcome);
        return outcome;
    }

    /** Every feature a DOUBLE (the standardized columns), the label a STRING ("0" malignant, "1" benign). */
    static ModelSignature signature() {
        return new ModelSignature(Schema.of(FEATURES.stream().map(f -> Field.of(f, ColumnType.DOUBLE)).toList()),
                ColumnType.STRING);
    }

    /** Row {@code i} of {@code t} as a request, with {@link #DRIFTED} shifted by {@link #SHIFT} if asked. */
    static Map<String, Object> row(Table t, int i, boolean drift) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String f : FEATURES) {
            double v = t.toDoubleArray(f)[i];
            row.put(f, drift && DRIFTED.contains(f) ? v + SHIFT : v);
        }
        return row;
    }

    // ------------------------------------------------------------------------------------------------ the demo

    /** Runs the whole story in {@code home} (created if missing), printing one line per step. */
    public static Result run(Path home, PrintStream out) throws Exception {
        Files.createDirectories(home);
        Path data = bundledData(home.resolve("data"));
        JsonNode sklearn = readReference();
        out.println("== 1. continuous training with drift detection (breast cancer); home " + home.toAbsolutePath());
        SimClock clock = new SimClock(START);
        try (ModelRegistry registry = ModelRegistry.builder().home(home.resolve("registry"))
                     .principal(() -> "mlops-demo").build();
             FlowEngine engine = FlowEngine.builder().home(home.resolve("flows")).runTracker(registry).build();
             PredictionLog log = PredictionLog.rollingFiles(home.resolve("predictions"))) {
            Pipeline pipeline = trainingFlow(registry);
            Flow<Outcome> flow = pipeline.flow();
            FlowParams params = FlowParams.of().with("csv", data.resolve("breast_cancer.csv"))
                    .with("split", data.resolve("breast_cancer_split.json"));

            // 1. Train, evaluate, register.
            FlowResult<Outcome> trained = engine.run(flow, params);
            Outcome first = trained.get();
            out.printf("[train] flow %s %s: loaded, validated, split, trained %d models%n", trained.runId(),
                    trained.state(), first.candidates().size());
            for (Candidate c : first.candidates()) {
                JsonNode ref = sklearn.get(c.name().equals("random-forest") ? "random_forest" : "logistic_regression")
                        .get("metrics");
                out.printf("[eval]  %-19s accuracy %.5f F1(benign) %.5f | scikit-learn %.5f %.5f (run %s)%n", c.name(),
                        c.accuracy(), c.f1(), ref.get("accuracy").asDouble(), ref.get("f1_positive_1_benign").asDouble(),
                        c.runId());
            }
            out.printf("[register] %s version %d (%s) as @candidate%n", MODEL, first.version(), first.best().name());

            // 2. Gate and promote.
            PromotionDecision firstDecision = registry.promote(MODEL, first.version(), "champion", FIRST_GATE,
                    "first champion");
            out.printf("[promote] version %d to @champion by gate '%s': %s%n", first.version(), FIRST_GATE.gate(),
                    firstDecision.approved() ? "approved" : "denied " + firstDecision.reasons());
            if (!firstDecision.approved()) {
                throw new IllegalStateException("the first model did not pass the gate: " + firstDecision.reasons());
            }

            // 3. Serve, simulate traffic with drift, monitor windows, alert, trigger retraining.
            Prepared prepared = trained.value(pipeline.prepared()).orElseThrow();
            Table test = prepared.test();
            FlowTrigger retrainFlow = engine.trigger(flow, params, false);
            // The monitor fires with its own reason and no parameters; the demo's retraining run needs three.
            FlowTrigger retrain = (why, ignored) -> retrainFlow.fire(why,
                    Map.of("shift", SHIFT, "alias", "challenger", "reason", "retrain on drift"));
            List<MonitorResult> windows = new ArrayList<>();
            int alertWindow = -1;
            String retrainRunId = null;
            // The monitor's windows go to a durable history beside the reference profile it checks against, so the
            // dashboard (mlops dashboard --home) can show them after the demo: see DashboardCommand.
            Path driftHome = Files.createDirectories(home.resolve("drift"));
            Table reference = prepared.train().select(FEATURES);
            ReferenceProfile.of(reference, List.of()).save(driftHome.resolve(MODEL + ".profile"));
            DriftMonitor monitor = DriftMonitor.builder().log(log).model(MODEL)
                    .reference(reference).detector(detector())
                    .window(Duration.ofSeconds(WINDOW)).clock(clock).trigger(retrain)
                    .historyFile(driftHome.resolve(MODEL + ".history.jsonl")).build();
            try (monitor; ModelServer server = ModelServer.builder().registry(registry)
                    .model("models:/" + MODEL + "@champion").pollInterval(Duration.ZERO).clock(clock).predictionLog(log)
                    .build()) {
                server.refresh();
                out.printf("[serve] models:/%s@champion -> version %d, logging to %s%n", MODEL,
                        server.health().primary().version(), home.resolve("predictions"));
                out.printf("[traffic] %d requests, 1 per simulated second; from request %d on, %s shifted by +%.0f "
                        + "training std%n", test.rowCount(), DRIFT_FROM, DRIFTED, SHIFT);
                int errors = 0;
                for (int i = 0; i < test.rowCount(); i++) {
                    ServedPrediction p = server.predict("req-" + i, row(test, i, i >= DRIFT_FROM));
                    if (!p.label().equals(Long.toString((long) test.toDoubleArray("target")[i]))) {
                        errors++;
                    }
                    clock.advance(Duration.ofSeconds(1));
                    if ((i + 1) % WINDOW == 0) {
                        log.flush();
                        int w = (i + 1) / WINDOW - 1;
                        MonitorResult window = monitor.checkNow();
                        windows.add(window);
                        List<String> drifted = driftedColumns(window);
                        out.printf("[monitor] window %d [%s, %s) %d predictions: %s%n", w, window.from(), window.to(),
                                window.rows(), window.drift() ? "DRIFT in " + drifted + minP(window)
                                        : "no drift" + minP(window));
                        if (window.triggered()) {
                            alertWindow = w;
                            retrainRunId = window.runId()
                                    .orElseThrow(() -> new IllegalStateException("the retraining trigger declined"));
                            out.printf("[alert] drift in %s (window %d): DriftMonitor triggered retraining%n",
                                    drifted, w);
                            out.printf("[retrain] flow run %s started by the trigger%n", retrainRunId);
                        }
                    }
                }
                out.printf("[traffic] champion made %d errors on %d requests (ground truth joined afterwards)%n",
                        errors, test.rowCount());
            }
            if (retrainRunId == null) {
                throw new IllegalStateException("no drift was detected, so nothing was retrained");
            }

            // 4. The retrained version: challenger, shadow, gate.
            FlowRunRecord retrainRun = awaitRun(engine, retrainRunId);
            Outcome retrained = pipeline.outcomes().get(retrainRunId);
            out.printf("[retrain] flow run %s %s: %s%n", retrainRunId, retrainRun.state(),
                    describe(retrained.candidates()));
            out.printf("[register] version %d (%s) as @challenger%n", retrained.version(), retrained.best().name());
            AtomicInteger agree = new AtomicInteger();
            AtomicInteger compared = new AtomicInteger();
            ServerListener shadowListener = new ServerListener() {
                @Override
                public void shadowCompared(ShadowComparison c) {
                    compared.incrementAndGet();
                    if (c.agree()) {
                        agree.incrementAndGet();
                    }
                }
            };
            try (ModelServer server = ModelServer.builder().registry(registry).model("models:/" + MODEL + "@champion")
                    .shadow("models:/" + MODEL + "@challenger").shadowExecutor(Runnable::run).listener(shadowListener)
                    .pollInterval(Duration.ZERO).clock(clock).predictionLog(log).build()) {
                server.refresh();
                for (int i = DRIFT_FROM; i < test.rowCount(); i++) {
                    server.predict("shadow-" + i, row(test, i, true));
                    clock.advance(Duration.ofSeconds(1));
                }
            }
            out.printf("[shadow] challenger v%d beside champion v%d on %d drifted requests: %d of %d answers agree%n",
                    retrained.version(), first.version(), test.rowCount() - DRIFT_FROM, agree.get(), compared.get());
            PromotionDecision decision = registry.promote(MODEL, retrained.version(), "champion", CHALLENGER_GATE,
                    "retrained on drift");
            out.printf("[promote] challenger v%d by gate '%s' (same eval data): %s%n", retrained.version(),
                    CHALLENGER_GATE.gate(), decision.approved() ? "approved" : "rejected");
            decision.reasons().forEach(r -> out.println("          " + r));

            // 5. Rollback.
            int before = registry.resolve("models:/" + MODEL + "@champion").version();
            ModelVersion back = registry.rollback(MODEL, "champion", "demo: roll back the last champion change");
            out.printf("[rollback] @champion: version %d -> %d%n", before, back.version());
            out.printf("[registry] %d versions, aliases %s, %d audit entries (chain intact: %s)%n",
                    registry.versions(MODEL).size(), registry.model(MODEL).aliases(), registry.auditLog().size(),
                    registry.verifyAuditLog().intact());
            out.println("[done] registry, flows and prediction log in " + home.toAbsolutePath());
            return new Result(home, first, windows, alertWindow, retrained, decision, agree.get(), compared.get(),
                    before, back.version());
        }
    }

    /**
     * The monitor's detector: every feature tested (KS on windows this small, Evidently's automatic choice),
     * p-values Bonferroni-corrected across the 30 features, and a window drifts when at least one feature drifts.
     */
    static DriftDetector detector() {
        return DriftDetector.builder().columns(FEATURES).correction(Correction.BONFERRONI)
                .driftShare(1.0 / FEATURES.size()).build();
    }

    /** The drifted columns of a checked window, in the reference's order. */
    static List<String> driftedColumns(MonitorResult w) {
        return w.report().map(r -> r.columns().values().stream().filter(ColumnDrift::drift).map(ColumnDrift::column)
                .toList()).orElse(List.of());
    }

    private static String minP(MonitorResult w) {
        return w.report().orElseThrow().columns().values().stream().min(Comparator.comparingDouble(c -> c.adjustedPValue()))
                .map(c -> String.format(" (smallest adjusted p: %s %.3g)", c.column(), c.adjustedPValue())).orElse("");
    }

    private static String describe(List<Candidate> candidates) {
        StringBuilder s = new StringBuilder();
        for (Candidate c : candidates) {
            s.append(s.isEmpty() ? "" : ", ").append(String.format("%s accuracy %.5f", c.name(), c.accuracy()));
        }
        return s.toString();
    }

    private static FlowRunRecord awaitRun(FlowEngine engine, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<FlowRunRecord> r = engine.history().run(runId);
            if (r.isPresent() && r.get().state() != FlowState.RUNNING) {
                if (r.get().state() != FlowState.COMPLETED) {
                    throw new IllegalStateException("the retraining run " + runId + " ended " + r.get().state());
                }
                return r.get();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the retraining run " + runId + " did not finish within 2 minutes");
    }

    private static List<String> features() {
        try (InputStream in = resource("breast_cancer.csv")) {
            String header = new String(in.readNBytes(8192), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .findFirst().orElseThrow();
            return java.util.Arrays.stream(header.split(",")).filter(h -> !h.equals("target")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the bundled breast cancer CSV", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ContinuousTrainingDemo.class.getResourceAsStream("/dev/mlops/examples/data/" + name);
        if (in == null) {
            throw new IllegalStateException("example data " + name + " is missing from the class path");
        }
        return in;
    }

    /** scikit-learn's metrics on the same split (breast_cancer_reference.json, bundled). */
    static JsonNode readReference() throws IOException {
        try (InputStream in = resource("breast_cancer_reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Copies the bundled CSV and split into {@code dir}. */
    private static Path bundledData(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : List.of("breast_cancer.csv", "breast_cancer_split.json")) {
            Path target = dir.resolve(name);
            if (!Files.exists(target)) {
                try (InputStream in = resource(name)) {
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }

    /** The serving host's simulated clock: one request per second, independent of wall time. */
    static final class SimClock extends Clock {
        private volatile Instant now;

        SimClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the demo clock is UTC only");
        }
    }
}
