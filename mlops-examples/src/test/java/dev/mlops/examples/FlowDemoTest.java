package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.flow.FlowResult;
import dev.mlops.core.flow.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the documented training flow on the shared breast cancer data and compares it with scikit-learn's
 * published reference ({@code ../shared/data/breast_cancer_reference.json}: StandardScaler +
 * LogisticRegression(C=1.0) on {@code breast_cancer_split.json}, sklearn 1.2.1).
 */
class FlowDemoTest {

    private static final Path DATA = Path.of("../../shared/data").toAbsolutePath().normalize();

    @TempDir
    Path home;

    @Test
    void trainingFlow_matchesScikitLearn_deploys_andIsCachedOnRerun() throws Exception {
        Path data = Files.isDirectory(DATA) ? DATA : Path.of("/work/shared/data");
        JsonNode ref = new ObjectMapper().readTree(data.resolve("breast_cancer_reference.json").toFile())
                .get("logistic_regression");
        FlowDemo.Pipeline pipeline = FlowDemo.trainingFlow();
        FlowParams params = FlowParams.of()
                .with("csv", data.resolve("breast_cancer.csv"))
                .with("split", data.resolve("breast_cancer_split.json"))
                .with("deployDir", home.resolve("deployed"));
        try (FlowEngine engine = FlowEngine.builder().home(home.resolve("engine")).build()) {
            FlowResult<FlowDemo.Deployment> first = engine.run(pipeline.flow(), params);
            assertThat(first.succeeded()).as(first.toString()).isTrue();
            FlowDemo.Metrics m = first.value(pipeline.metrics()).orElseThrow();
            assertThat(m.accuracy()).isCloseTo(ref.get("metrics").get("accuracy").asDouble(), within(1e-6));
            assertThat(m.f1()).isCloseTo(ref.get("metrics").get("f1_positive_1_benign").asDouble(), within(1e-6));
            assertThat(m.errors()).isEqualTo(ref.get("metrics").get("n_test_errors").asInt());
            assertThat(first.get().deployed()).isTrue();
            assertThat(home.resolve("deployed/model.json")).exists();

            FlowResult<FlowDemo.Deployment> second = engine.run(pipeline.flow(), params);
            assertThat(second.task("train").state()).isEqualTo(TaskState.CACHED);
            assertThat(second.value(pipeline.metrics()).orElseThrow()).isEqualTo(m);

            FlowResult<FlowDemo.Deployment> strict = engine.run(pipeline.flow(), params.with("minAccuracy", 0.99));
            assertThat(strict.get().deployed()).isFalse();
            assertThat(strict.get().detail()).contains("accuracy 0.9825 < 0.9900");
        }
    }

    @Test
    void logisticRegression_coefficientsMatchScikitLearn() throws Exception {
        Path data = Files.isDirectory(DATA) ? DATA : Path.of("/work/shared/data");
        JsonNode ref = new ObjectMapper().readTree(data.resolve("breast_cancer_reference.json").toFile())
                .get("logistic_regression");
        var table = dev.mlops.core.io.CsvReader.builder().inferSchema().build()
                .read(data.resolve("breast_cancer.csv"));
        var train = table.take(FlowDemo.indices(data.resolve("breast_cancer_split.json"), "train"));
        FlowDemo.Model model = LogisticRegression.fit(train);
        // sklearn stops lbfgs at its default tolerance, so agreement is to about 1e-3, not to the last digit
        assertThat(model.intercept()).isCloseTo(ref.get("intercept").asDouble(), within(5e-3));
        for (int j = 0; j < 30; j++) {
            assertThat(model.coef()[j]).as("coef %d", j).isCloseTo(ref.get("coef").get(j).asDouble(), within(5e-3));
            assertThat(model.mean()[j]).isCloseTo(ref.get("scaler_mean").get(j).asDouble(), within(1e-9));
        }
    }
}
