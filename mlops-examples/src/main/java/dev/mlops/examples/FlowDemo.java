package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.flow.CachePolicy;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.flow.FlowResult;
import dev.mlops.core.flow.Param;
import dev.mlops.core.flow.Retry;
import dev.mlops.core.flow.Serializers;
import dev.mlops.core.flow.TaskHandle;
import dev.mlops.core.flow.TaskRunRecord;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.Table;
import dev.mlops.core.validation.Expectations;
import dev.mlops.core.validation.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * The seed's training pipeline as a flow: load the breast cancer CSV, validate it with core's
 * {@link Expectations}, split it with scikit-learn's published split, train a logistic regression,
 * evaluate it on the test rows, and deploy the model only if its accuracy meets {@code minAccuracy}.
 * {@code docs/flows.md} quotes this class.
 *
 * <p>Training is a real, small L2-regularised logistic regression written here ({@link LogisticRegression}:
 * standardisation + Newton's method on sklearn's objective), a stand-in until the registry module's Tribuo
 * trainers land; it reproduces scikit-learn's {@code LogisticRegression(C=1.0)} on this split.
 *
 * <pre>
 * ./mlops flows [data-dir] [engine-home]     (defaults: the bundled breast cancer data and target/flow-demo)
 * </pre>
 */
public final class FlowDemo {

    private FlowDemo() {
    }

    /** The trained model, persisted by the cache and by {@code deploy} as JSON. */
    public record Model(List<String> features, double[] mean, double[] scale, double[] coef, double intercept) {
    }

    /** Test-set metrics; the positive class of F1 is 1 (benign), as in scikit-learn's default. */
    public record Metrics(double accuracy, double f1, int rows, int errors) {
    }

    /** What {@code deploy} did. */
    public record Deployment(boolean deployed, String detail) {
    }

    // --8<-- [start:flow]
    /** The flow and the handle of its metrics task, to read the metrics of a run. */
    public record Pipeline(Flow<Deployment> flow, TaskHandle<Metrics> metrics) {
    }

    /** Builds the training flow. */
    public static Pipeline trainingFlow() {
        Flow.Builder b = Flow.builder("train-breast-cancer");
        Param<Path> csv = b.param("csv", Path.class);
        Param<Path> splitFile = b.param("split", Path.class);
        Param<Path> deployDir = b.param("deployDir", Path.class);
        Param<Double> minAccuracy = b.param("minAccuracy", Double.class, 0.95,
                a -> a > 0 && a <= 1, "in (0, 1]");

        TaskHandle<Table> raw = b.task("load")
                .retry(Retry.exponential(3, Duration.ofMillis(200), 2.0, Duration.ofSeconds(2)).withJitter(0.5))
                .run(csv, path -> CsvReader.builder().inferSchema().build().read(path));
        TaskHandle<Table> valid = b.task("validate").run(raw, FlowDemo::validate);
        TaskHandle<Table> train = b.task("train-set").run(valid, splitFile, (t, s) -> t.take(indices(s, "train")));
        TaskHandle<Table> test = b.task("test-set").run(valid, splitFile, (t, s) -> t.take(indices(s, "test")));
        TaskHandle<Model> model = b.task("train").version("newton-l2-v1")
                .cache(CachePolicy.of(Serializers.json(Model.class)))   // key: task, version, train-set content
                .timeout(Duration.ofMinutes(5))
                .returns(Model.class)                                   // checked when it runs and on cache hits
                .run(train, LogisticRegression::fit);
        TaskHandle<Metrics> metrics = b.task("evaluate").run(model, test, LogisticRegression::evaluate);
        TaskHandle<Deployment> deploy = b.task("deploy")
                .run(model, metrics, minAccuracy, deployDir, FlowDemo::deployIfGoodEnough);
        return new Pipeline(b.build(deploy), metrics);
    }
    // --8<-- [end:flow]

    static Table validate(Table t) {
        Expectations.Builder rules = Expectations.builder().rowCount(100, 1_000_000);
        for (String column : LogisticRegression.features(t)) {
            rules.column(column).notNull().atLeast(0.0).and();
        }
        Validator validator = rules.column("target").notNull().allowedValues(0L, 1L).and().build();
        return validator.validateOrThrow(t);
    }

    static int[] indices(Path splitJson, String which) throws IOException {
        JsonNode node = new ObjectMapper().readTree(splitJson.toFile()).get(which + "_indices");
        if (node == null || !node.isArray()) {
            throw new NonRetriableException("split file '" + splitJson + "' has no array '" + which
                    + "_indices'. Fix: pass breast_cancer_split.json from the shared data");
        }
        int[] rows = new int[node.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = node.get(i).asInt();
        }
        return rows;
    }

    static Deployment deployIfGoodEnough(Model model, Metrics metrics, Double minAccuracy, Path dir)
            throws Exception {
        if (metrics.accuracy() < minAccuracy) {
            return new Deployment(false, String.format("not deployed: accuracy %.4f < %.4f", metrics.accuracy(),
                    minAccuracy));
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "model", ".tmp");
        Files.write(tmp, Serializers.json(Model.class).write(model));
        Path target = dir.resolve("model.json");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new Deployment(true, "deployed " + target);
    }

    /** Copies the breast cancer data bundled with the examples into {@code dir} (once) and returns it. */
    private static Path bundledData(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : List.of("breast_cancer.csv", "breast_cancer_split.json")) {
                Path target = dir.resolve(name);
                if (!Files.exists(target)) {
                    try (var in = FlowDemo.class.getResourceAsStream("/dev/mlops/examples/data/" + name)) {
                        if (in == null) {
                            throw new IllegalStateException("example data " + name + " is missing from the class path");
                        }
                        Files.copy(in, target);
                    }
                }
            }
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot copy the example data to " + dir, e);
        }
    }

    /** The {@code mlops flows} subcommand: runs the flow twice to show the cache. */
    static int command(Path dataOrNull, Path homeOrNull, PrintStream out, PrintStream err) {
        Path home = homeOrNull != null ? homeOrNull : Path.of("target/flow-demo");
        Path data = dataOrNull != null ? dataOrNull : bundledData(home.resolve("data"));
        Pipeline pipeline = trainingFlow();
        Flow<Deployment> flow = pipeline.flow();
        FlowParams params = FlowParams.of()
                .with("csv", data.resolve("breast_cancer.csv"))
                .with("split", data.resolve("breast_cancer_split.json"))
                .with("deployDir", home.resolve("deployed"));
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            for (int run = 1; run <= 2; run++) {
                FlowResult<Deployment> result = engine.run(flow, params);
                out.printf("run %d (%s): %s%n", run, result.runId(), result.state());
                for (TaskRunRecord t : result.tasks()) {
                    out.printf("  %-10s %-9s attempts=%d%s%n", t.task(), t.state(), t.attempts(),
                            t.cacheKey() == null ? "" : " key=" + t.cacheKey().substring(0, 19) + "...");
                }
                if (!result.succeeded()) {
                    err.println("flow failed: " + result.failure().getMessage());
                    return 1;
                }
                Metrics m = result.value(pipeline.metrics()).orElseThrow();
                out.printf("  accuracy %.5f, F1 %.5f, %d errors of %d; %s%n", m.accuracy(), m.f1(), m.errors(),
                        m.rows(), result.get().detail());
            }
            out.println("history: " + engine.history().lastRuns(flow.name(), 5).size() + " runs of '" + flow.name()
                    + "' in " + home.resolve("history.journal"));
        }
        return 0;
    }
}
