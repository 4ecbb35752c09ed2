package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * The ONNX flavor on the breast cancer split of {@code /work/shared/data}: a Tribuo logistic regression exported to
 * ONNX must predict what the Tribuo model itself predicts (the independent reference is Tribuo's own
 * {@code Model.predict} on the same rows; ONNX computes in float32, hence the 1e-5 tolerance).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxFlavorTest {

    static final Path DATA = Path.of("/work/shared/data");
    ModelRegistry registry;
    String[] features;
    double[][] testX;
    double[][] trainX;
    String[] trainY;
    Model<Label> model;
    ModelSignature signature;
    String runId;
    Path home;

    @BeforeAll
    void trainAndRegister(@TempDir Path home) throws Exception {
        this.home = home;
        JsonNode split = new ObjectMapper().readTree(DATA.resolve("breast_cancer_split.json").toFile());
        Table table = CsvReader.builder().inferSchema().build().read(DATA.resolve("breast_cancer.csv"));
        List<String> names = new ArrayList<>(table.schema().names());
        names.remove("target");
        features = names.toArray(String[]::new);
        int[] train = TribuoFlavorTest.ints(split.get("train_indices"));
        int[] test = TribuoFlavorTest.ints(split.get("test_indices"));
        double[][] cols = new double[features.length][];
        double[] mean = new double[features.length];
        double[] std = new double[features.length];
        for (int j = 0; j < features.length; j++) {
            cols[j] = table.toDoubleArray(features[j]);
            double s = 0;
            double q = 0;
            for (int i : train) {
                s += cols[j][i];
                q += cols[j][i] * cols[j][i];
            }
            mean[j] = s / train.length;
            std[j] = Math.sqrt(q / train.length - mean[j] * mean[j]);
        }
        trainX = TribuoFlavorTest.rows(cols, train, mean, std);
        testX = TribuoFlavorTest.rows(cols, test, mean, std);
        trainY = TribuoFlavorTest.labels(table.toDoubleArray("target"), train);

        registry = ModelRegistry.builder().home(home).principal(() -> "ci").build();
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> trainSet = new MutableDataset<>(new SimpleDataSourceProvenance("train", factory), factory);
        for (int r = 0; r < trainX.length; r++) {
            trainSet.add(new ArrayExample<>(new Label(trainY[r]), features, trainX[r]));
        }
        model = new LogisticRegressionTrainer().train(trainSet);
        List<Field> fields = new ArrayList<>();
        for (String f : features) {
            fields.add(Field.of(f, ColumnType.DOUBLE));
        }
        signature = new ModelSignature(Schema.of(fields), ColumnType.STRING);
        try (RegistryRun run = registry.startRun("breast-cancer", "onnx")) {
            OnnxModels.logModel(run, model, "onnx");
            TribuoModels.logModel(run, model, "tribuo");
            runId = run.runId();
        }
        registry.createVersion(VersionRequest.builder("cancer", runId, "onnx").flavor(OnnxModels.FLAVOR)
                .signature(signature).build());
        registry.createVersion(VersionRequest.builder("cancer", runId, "tribuo").flavor(TribuoModels.FLAVOR)
                .signature(signature).build());
    }

    @AfterAll
    void close() {
        registry.close();
    }

    Map<String, Object> row(double[] x) {
        Map<String, Object> m = new HashMap<>();
        for (int j = 0; j < features.length; j++) {
            m.put(features[j], x[j]);
        }
        return m;
    }

    @Test
    void onnxPredictionsEqualTheTribuoModelsOwn() {
        Predictor onnx = registry.load("models:/cancer/1");
        assertThat(onnx.version().flavor()).isEqualTo("onnx");
        int checked = 0;
        for (double[] x : testX) {
            org.tribuo.Prediction<Label> expected = model.predict(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, x));
            Prediction got = onnx.predict(row(x));
            assertThat(got.label()).isEqualTo(expected.getOutput().getLabel());
            for (Map.Entry<String, Label> e : expected.getOutputScores().entrySet()) {
                assertThat(got.score(e.getKey())).as("p(%s)", e.getKey()).isCloseTo(e.getValue().getScore(), within(1e-5));
            }
            checked++;
        }
        assertThat(checked).isEqualTo(114);
    }

    @Test
    void aTableIsOneBatchWithTheSameAnswersAsSingleRows() {
        Predictor onnx = registry.load("models:/cancer/1");
        List<DoubleColumn> cols = new ArrayList<>();
        // columns in reverse order and an extra column: the predictor maps by name and ignores the rest
        for (int j = features.length - 1; j >= 0; j--) {
            double[] c = new double[testX.length];
            for (int r = 0; r < testX.length; r++) {
                c[r] = testX[r][j];
            }
            cols.add(DoubleColumn.of(features[j], c));
        }
        cols.add(DoubleColumn.of("unused", new double[testX.length]));
        Table t = Table.of(cols.toArray(DoubleColumn[]::new));
        List<Prediction> batch = onnx.predict(t);
        assertThat(batch).hasSize(testX.length);
        for (int r = 0; r < testX.length; r++) {
            Prediction single = onnx.predict(row(testX[r]));
            assertThat(batch.get(r).label()).isEqualTo(single.label());
            assertThat(batch.get(r).score("1")).isCloseTo(single.score("1"), within(1e-6));
        }
    }

    @Test
    void badInputGetsTheSameClearErrorsAsTribuo() {
        Predictor p = registry.load("models:/cancer/1");
        Map<String, Object> missing = row(testX[0]);
        missing.remove("mean radius");
        assertThatThrownBy(() -> p.predict(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mean radius' is missing");
        Map<String, Object> wrongType = row(testX[0]);
        wrongType.put("mean texture", "high");
        assertThatThrownBy(() -> p.predict(wrongType)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mean texture'").hasMessageContaining("'high'").hasMessageContaining("DOUBLE");
        Map<String, Object> nan = row(testX[0]);
        nan.put("worst area", Double.NaN);
        assertThatThrownBy(() -> p.predict(nan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'worst area' is NaN");
    }

    @Test
    void aRegressorExportsAndPredictsItsValue() {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> data = new MutableDataset<>(new SimpleDataSourceProvenance("reg", factory), factory);
        // y = 2a - 3b + 1 on a small grid
        for (int i = 0; i < 50; i++) {
            double a = (i % 10) / 10.0;
            double b = (i / 10) / 5.0;
            data.add(new ArrayExample<>(new Regressor("y", 2 * a - 3 * b + 1), new String[] {"a", "b"}, new double[] {a, b}));
        }
        Model<Regressor> reg = new LinearSGDTrainer(new SquaredLoss(), new org.tribuo.math.optimisers.AdaGrad(0.5), 20, 1)
                .train(data);
        String rid;
        try (RegistryRun run = registry.startRun("breast-cancer", "onnx-regression")) {
            OnnxModels.logModel(run, reg, "m");
            rid = run.runId();
        }
        ModelVersion v = registry.createVersion(VersionRequest.builder("reg", rid, "m").flavor(OnnxModels.FLAVOR)
                .signature(new ModelSignature(Schema.of(List.of(Field.of("a", ColumnType.DOUBLE),
                        Field.of("b", ColumnType.DOUBLE))), ColumnType.DOUBLE)).build());
        Predictor p = registry.load(v.uri());
        double expected = reg.predict(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, new String[] {"a", "b"},
                new double[] {0.3, 0.4})).getOutput().getValues()[0];
        assertThat((Double) p.predict(Map.of("a", 0.3, "b", 0.4)).value()).isCloseTo(expected, within(1e-5));
    }

    @Test
    void aTreeCannotBeExportedAndSaysWhy() {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("t", factory), factory);
        for (int r = 0; r < 50; r++) {
            d.add(new ArrayExample<>(new Label(trainY[r]), features, trainX[r]));
        }
        Model<Label> tree = new CARTClassificationTrainer(3).train(d);
        try (RegistryRun run = registry.startRun("breast-cancer", "tree")) {
            assertThatThrownBy(() -> OnnxModels.logModel(run, tree, "t")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot be exported to ONNX").hasMessageContaining("TribuoModels.logModel");
        }
    }

    @Test
    void aTruncatedOnnxFileIsRejectedOnLoadWithItsSize(@TempDir Path tmp) throws Exception {
        Path good = registry.downloadArtifacts(runId, "onnx", tmp.resolve("good"));
        byte[] bytes = Files.readAllBytes(good.resolve(OnnxModels.FILE));
        Path truncated = tmp.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        List<String> layout = layoutInputs(good);
        String rid;
        try (RegistryRun run = registry.startRun("breast-cancer", "truncated")) {
            OnnxModels.logFile(run, truncated, layout, List.of("0", "1"), "bad");
            rid = run.runId();
        }
        ModelVersion v = registry.createVersion(VersionRequest.builder("broken", rid, "bad").flavor(OnnxModels.FLAVOR)
                .signature(signature).build());
        assertThatThrownBy(() -> registry.load(v.uri())).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("models:/broken/1").hasMessageContaining("model.onnx (" + bytes.length / 2 + " bytes)")
                .hasMessageContaining("is not a loadable ONNX model").hasMessageContaining("Fix:");
    }

    @Test
    void aLayoutThatDisagreesWithTheModelIsRejectedOnLoad(@TempDir Path tmp) throws Exception {
        Path good = registry.downloadArtifacts(runId, "onnx", tmp.resolve("good"));
        List<String> inputs = layoutInputs(good);
        String rid;
        try (RegistryRun run = registry.startRun("breast-cancer", "three-labels")) {
            OnnxModels.logFile(run, good.resolve(OnnxModels.FILE), inputs, List.of("0", "1", "2"), "three");
            OnnxModels.logFile(run, good.resolve(OnnxModels.FILE), inputs.subList(0, 29), List.of("0", "1"), "short");
            rid = run.runId();
        }
        ModelVersion three = registry.createVersion(VersionRequest.builder("mismatch", rid, "three")
                .flavor(OnnxModels.FLAVOR).signature(signature).build());
        ModelVersion shortInputs = registry.createVersion(VersionRequest.builder("mismatch", rid, "short")
                .flavor(OnnxModels.FLAVOR).signature(signature).build());
        assertThatThrownBy(() -> registry.load(three.uri())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[rows, 3]").hasMessageContaining("one column per label");
        assertThatThrownBy(() -> registry.load(shortInputs.uri())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one float tensor [rows, 29]");
    }

    @Test
    void aCorruptedStoredBlobIsDetectedBeforeOnnxruntimeSeesIt() throws Exception {
        ModelVersion v = registry.version("cancer", 1);
        ArtifactEntry file = v.files().stream().filter(f -> f.path().equals(OnnxModels.FILE)).findFirst().orElseThrow();
        Path blob = home.resolve("artifacts/sha256/" + file.sha256().hex().substring(0, 2) + "/" + file.sha256().hex());
        byte[] original = Files.readAllBytes(blob);
        try {
            byte[] flipped = original.clone();
            flipped[flipped.length / 2] ^= 0x5A;
            Files.write(blob, flipped);
            assertThatThrownBy(() -> registry.load("models:/cancer/1")).isInstanceOf(StoreCorruptedException.class);
        } finally {
            Files.write(blob, original);
        }
        assertThat(registry.load("models:/cancer/1").predict(row(testX[0])).label()).isIn("0", "1");
    }

    static List<String> layoutInputs(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        new ObjectMapper().readTree(dir.resolve(OnnxModels.LAYOUT).toFile()).get("inputs").forEach(n -> out.add(n.asText()));
        return out;
    }
}
