package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunQuery;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops registry-demo [home] [data-dir]}: tracks Tribuo logistic regressions on the breast cancer data,
 * finds the best run by search, registers a baseline and the best model, gates and promotes the best to
 * {@code @champion}, serves it by alias, rolls the alias back and verifies the audit log. The code of
 * {@code docs/registry.md}.
 */
@Command(name = "registry-demo",
        description = "Track, register, gate, promote and roll back a Tribuo model (the code of docs/registry.md).")
final class RegistryDemo extends CliCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOME", description = "The registry home (default: a new temporary one).")
    Path homeArg;
    @Parameters(index = "1", arity = "0..1", paramLabel = "DATA_DIR", description = "Holds breast_cancer.csv and its split (default: ../shared/data).")
    Path dataArg;

    RegistryDemo(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() throws Exception {
        return run(homeArg, dataArg, out);
    }

    static int run(Path homeOrNull, Path dataOrNull, PrintStream out) throws Exception {
        Path home = homeOrNull != null ? homeOrNull : Files.createTempDirectory("mlops-registry-demo");
        Path data = dataOrNull != null ? dataOrNull : Path.of("../shared/data");
        if (!Files.exists(data.resolve("breast_cancer.csv"))) {
            data = Path.of("/work/shared/data");
        }
        // 1. Data: the fixed sklearn split, standardized with the training rows' mean and (population) std.
        Table table = CsvReader.builder().inferSchema().build().read(data.resolve("breast_cancer.csv"));
        JsonNode split = new ObjectMapper().readTree(data.resolve("breast_cancer_split.json").toFile());
        List<String> features = new ArrayList<>(table.schema().names());
        features.remove("target");
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> train = dataset(table, features, split.get("train_indices"), split.get("train_indices"),
                labels, "train");
        MutableDataset<Label> test = dataset(table, features, split.get("test_indices"), split.get("train_indices"),
                labels, "test");

        try (ModelRegistry registry = ModelRegistry.builder().home(home).principal(() -> "demo-user").build()) {
            // 2. Track one run per number of epochs: params and tags from Tribuo's provenance, metrics from its
            //    evaluation, the model as a protobuf artifact, the data as fingerprints.
            for (int epochs : new int[] {1, 5, 50}) {
                try (RegistryRun run = registry.startRun("breast-cancer", "logreg-" + epochs)) {
                    run.logDataset("data", Fingerprint.of(data.resolve("breast_cancer.csv")));
                    run.logDataset("eval", Fingerprint.of(data.resolve("breast_cancer_split.json")));
                    var model = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, 1L)
                            .train(train);
                    TribuoModels.logModel(run, model, "model");
                    TribuoModels.logEvaluation(run, model, test, "test");
                }
            }
            // 3. Search: the runs of this experiment with accuracy above 0.9, best first.
            List<RunInfo> ranked = registry.searchRuns(RunQuery.builder().experiments("breast-cancer")
                    .filter("metrics.test.accuracy > 0.9 and params.tribuo.trainer.epochs in ('1', '5', '50')")
                    .orderBy("metrics.test.f1_macro desc").build()).runs();
            for (RunInfo r : ranked) {
                out.printf("run %s %-12s accuracy %.4f  f1_macro %.4f  auc %.4f%n", r.runId(), r.name(),
                        r.metric("test.accuracy").orElseThrow(), r.metric("test.f1_macro").orElseThrow(),
                        r.metric("test.auc.1").orElseThrow());
            }
            RunInfo best = ranked.get(0);
            RunInfo baseline = registry.searchRuns(RunQuery.of("attributes.run_name = 'logreg-1'")).runs().get(0);

            // 4. Register the baseline as champion, then the best model as a candidate.
            Schema inputs = Schema.of(features.stream().map(f -> Field.of(f, ColumnType.DOUBLE)).toList());
            ModelSignature signature = new ModelSignature(inputs, ColumnType.STRING);
            ModelVersion v1 = registry.createVersion(VersionRequest.builder("breast-cancer", baseline.runId(), "model")
                    .flavor(TribuoModels.FLAVOR).signature(signature).reason("baseline").build());
            registry.setAlias("breast-cancer", "champion", v1.version(), "baseline");
            ModelVersion v2 = registry.createVersion(VersionRequest.builder("breast-cancer", best.runId(), "model")
                    .flavor(TribuoModels.FLAVOR).signature(signature).reason("best of the sweep").build());

            // 5. Gate and promote: better than 0.95 accuracy and at least half a point of F1 over the champion,
            //    measured on the same evaluation split.
            PromotionPolicy policy = PromotionPolicy.builder()
                    .gate("test.accuracy >= 0.95 and test.f1_macro >= champion.test.f1_macro + 0.005")
                    .sameDataset("eval").build();
            PromotionDecision decision = registry.promote("breast-cancer", v2.version(), "champion", policy,
                    "weekly retrain");
            out.println("promotion of version " + v2.version() + ": " + (decision.approved() ? "approved" : "denied"));
            decision.reasons().forEach(r -> out.println("  " + r));

            // 6. Serve by alias.
            Predictor champion = registry.load("models:/breast-cancer@champion");
            Map<String, Object> row = new HashMap<>();
            for (int j = 0; j < features.size(); j++) {
                row.put(features.get(j), test.getExample(0).lookup(features.get(j)).getValue());
            }
            Prediction p = champion.predict(row);
            out.printf("models:/breast-cancer@champion is version %d; first test row -> %s (p=%.3f)%n",
                    champion.version().version(), p.label(), p.score(p.label()));

            // 7. Roll back in one call, and check the audit log.
            ModelVersion back = registry.rollback("breast-cancer", "champion", "demo rollback");
            out.println("rolled back: @champion is version " + back.version());
            out.println("audit log: " + registry.auditLog().size() + " entries, intact="
                    + registry.verifyAuditLog().intact());
            out.println("registry home: " + home.toAbsolutePath());
        }
        return 0;
    }

    private static MutableDataset<Label> dataset(Table table, List<String> features, JsonNode rows, JsonNode fitRows,
                                                 LabelFactory factory, String name) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("breast_cancer " + name, factory),
                factory);
        double[] target = table.toDoubleArray("target");
        double[][] cols = new double[features.size()][];
        double[] mean = new double[features.size()];
        double[] std = new double[features.size()];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = table.toDoubleArray(features.get(j));
            double s = 0;
            double q = 0;
            for (JsonNode i : fitRows) {
                s += cols[j][i.asInt()];
            }
            mean[j] = s / fitRows.size();
            for (JsonNode i : fitRows) {
                q += Math.pow(cols[j][i.asInt()] - mean[j], 2);
            }
            std[j] = Math.sqrt(q / fitRows.size());
        }
        String[] names = features.toArray(String[]::new);
        for (JsonNode i : rows) {
            double[] x = new double[cols.length];
            for (int j = 0; j < cols.length; j++) {
                x[j] = (cols[j][i.asInt()] - mean[j]) / std[j];
            }
            d.add(new ArrayExample<>(new Label(Integer.toString((int) target[i.asInt()])), names, x));
        }
        return d;
    }
}
