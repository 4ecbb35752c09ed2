package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.Table;
import dev.mlops.drift.MonitorResult;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.Predictor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code mlops demo} in-process once, in a temporary home, and checks the story from facts the demo does not
 * report itself: where the drift was injected, what the registry holds, how the first champion scores on the test
 * rows when loaded from the registry, and what the alias history says about the rollback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContinuousTrainingDemoTest {

    private static final String MODEL = "breast-cancer";

    @TempDir
    static Path home;

    private ContinuousTrainingDemo.Result result;
    private String output;

    @BeforeAll
    void runDemo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        result = ContinuousTrainingDemo.run(home, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        output = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsEveryStep() {
        assertThat(output).contains("[train]", "[eval]", "[register]", "[promote]", "[serve]", "[traffic]",
                "[monitor]", "[alert]", "[retrain]", "[shadow]", "[rollback]");
    }

    @Test
    void driftIsDetectedInTheFirstWindowAfterTheInjectionAndNotBefore() {
        // The demo shifts two features from request 57 on, windows hold 19 requests: windows 0-2 (requests 0-56)
        // are clean, window 3 (requests 57-75) is the first drifted one.
        assertThat(ContinuousTrainingDemo.DRIFT_FROM).isEqualTo(57);
        assertThat(ContinuousTrainingDemo.WINDOW).isEqualTo(19);
        assertThat(result.windows()).hasSize(6);
        for (int index = 0; index < result.windows().size(); index++) {
            MonitorResult w = result.windows().get(index);
            boolean containsShiftedRows = (index + 1) * 19 > 57;
            assertThat(w.from()).isEqualTo(ContinuousTrainingDemo.START.plusSeconds(19L * index));
            assertThat(w.to()).isEqualTo(ContinuousTrainingDemo.START.plusSeconds(19L * (index + 1)));
            assertThat(w.drift()).as("window %d", index).isEqualTo(containsShiftedRows);
            assertThat(w.rows()).isEqualTo(19);
            if (containsShiftedRows) {
                assertThat(ContinuousTrainingDemo.driftedColumns(w))
                        .containsExactlyInAnyOrder("mean radius", "mean texture");
            }
            // DriftMonitor fires once per drift episode: at the first drifting window only
            assertThat(w.triggered()).as("window %d triggered", index).isEqualTo(index == 3);
        }
        assertThat(result.alertWindow()).isEqualTo(3);
    }

    @Test
    void theRegistryHoldsTheVersionsAliasesAndAuditTrailOfTheStory() {
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            assertThat(registry.versions(MODEL)).extracting(v -> v.version()).containsExactly(1, 2);
            assertThat(registry.model(MODEL).aliases())
                    .isEqualTo(Map.of("candidate", 1, "challenger", 2, "champion", 1));
            List<String> actions = registry.auditLog().stream().map(AuditEntry::action).toList();
            assertThat(actions).containsExactly("create_model", "create_version", "set_alias", "promote",
                    "create_version", "set_alias", "promote", "rollback");
            assertThat(registry.verifyAuditLog().intact()).isTrue();
        }
    }

    @Test
    void theRollbackRestoresTheChampionThatWasReplaced() {
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            List<AliasChange> history = registry.aliasHistory(MODEL, "champion");
            assertThat(history).extracting(AliasChange::fromVersion, AliasChange::toVersion)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(null, 1),
                            org.assertj.core.groups.Tuple.tuple(1, 2),
                            org.assertj.core.groups.Tuple.tuple(2, 1));
            assertThat(registry.resolve("models:/" + MODEL + "@champion").version()).isEqualTo(1);
        }
        assertThat(result.challengerDecision().approved()).isTrue();
        assertThat(result.championBeforeRollback()).isEqualTo(2);
        assertThat(result.championAfterRollback()).isEqualTo(1);
    }

    @Test
    void theFirstChampionScoresWithinTwoTestErrorsOfScikitLearn() throws Exception {
        // scikit-learn's accuracy from breast_cancer_reference.json (shared data, sklearn 1.2.1): 0.982456 on
        // the 114 test rows. The champion is loaded from the registry and scored here on the standardized rows.
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/dev/mlops/examples/data/breast_cancer_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        double sklearn = reference.get("logistic_regression").get("metrics").get("accuracy").asDouble();
        assertThat(sklearn).isEqualTo(0.982456);
        Table raw = CsvReader.builder().inferSchema().build().read(home.resolve("data/breast_cancer.csv"));
        Path split = home.resolve("data/breast_cancer_split.json");
        ContinuousTrainingDemo.Prepared prepared = ContinuousTrainingDemo.standardize(
                raw.take(FlowDemo.indices(split, "train")), raw.take(FlowDemo.indices(split, "test")));
        Table test = prepared.test();
        int errors = 0;
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            Predictor champion = registry.load("models:/" + MODEL + "/1");
            double[] target = test.toDoubleArray("target");
            for (int i = 0; i < test.rowCount(); i++) {
                Map<String, Object> row = new HashMap<>(ContinuousTrainingDemo.row(test, i, false));
                if (!champion.predict(row).label().equals(Long.toString((long) target[i]))) {
                    errors++;
                }
            }
        }
        assertThat(test.rowCount()).isEqualTo(114);
        assertThat((double) (114 - errors) / 114).isCloseTo(sklearn, org.assertj.core.data.Offset.offset(2.0 / 114));
    }
}
