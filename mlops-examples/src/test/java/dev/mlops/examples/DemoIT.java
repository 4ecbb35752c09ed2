package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowRunRecord;
import dev.mlops.core.flow.FlowState;
import dev.mlops.dashboard.Dashboard;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureValue;
import dev.mlops.features.OnlineResponse;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code mlops demo --no-dashboard} in-process, through the command line, and checks what the three systems
 * left behind: a model promoted, drift detected, retraining triggered, answers with sources and feedback, online
 * features PRESENT with the values of the source data. Then drives {@code registry} and {@code flows runs} over the
 * demo's stores.
 *
 * <p>To stay fast, the RAG scenario ingests the four pages its questions are about
 * ({@code --rag-docs wal.txt,atomiccommit.txt,lockingv3.txt,datatype3.txt}); which page covers which question is
 * known from the SQLite documentation itself, independently of the retriever.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    private static final String PAGES = "wal.txt,atomiccommit.txt,lockingv3.txt,datatype3.txt";

    @TempDir
    static Path tmp;

    private Path home;
    private int status;
    private String output;
    private String errors;

    @BeforeAll
    void runTheDemo() {
        home = tmp.resolve("demo");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        status = Main.run(List.of("demo", "--home", home.toString(), "--no-dashboard", "--rag-docs", PAGES),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        output = out.toString(StandardCharsets.UTF_8);
        errors = err.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void theDemoSucceedsAndPrintsEveryStageOfTheThreeSystems() {
        assertThat(status).as("exit status; stderr:%n%s", errors).isZero();
        assertThat(output).contains("== 1. continuous training", "== 2. RAG over the SQLite documentation",
                "== 3. real-time feature store", "[train]", "[promote]", "[monitor]", "[alert]", "[retrain]",
                "[shadow]", "[rollback]", "[rag-ingest]", "[rag-ask]", "[rag-feedback]", "[apply]", "[backfill]",
                "[training-data]", "[materialize]", "[stream]", "[predict]", "== all three systems done");
        // --no-dashboard: no dashboard step at the end
        assertThat(output).doesNotContain("[dashboard]");
    }

    @Test
    @Order(2)
    void aModelWasPromotedAndDriftTriggeredRetraining() {
        // The traffic shifts two features from request 57 on, in windows of 19 requests: windows 0-2 are clean,
        // window 3 is the first drifting one.
        for (int w = 0; w < 3; w++) {
            assertThat(output).containsPattern("\\[monitor\\] window " + w + " .*: no drift");
        }
        assertThat(output).containsPattern("\\[monitor\\] window 3 .*: DRIFT in \\[mean radius, mean texture\\]");
        assertThat(output).contains("[alert] drift in [mean radius, mean texture] (window 3)");
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            assertThat(registry.aliasHistory("breast-cancer", "champion"))
                    .extracting(AliasChange::fromVersion, AliasChange::toVersion)
                    .containsExactly(Tuple.tuple(null, 1), Tuple.tuple(1, 2), Tuple.tuple(2, 1));
            assertThat(registry.version("breast-cancer", 2).description()).startsWith("retrain on drift");
            assertThat(registry.model("bike-demand").aliases()).containsEntry("champion", 1);
        }
        // the retraining run is in the flow history: two completed runs of the training flow
        try (FlowEngine engine = FlowEngine.builder().home(home.resolve("flows")).build()) {
            List<FlowRunRecord> runs = engine.history().lastRuns(ContinuousTrainingDemo.FLOW, 10);
            assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(FlowState.COMPLETED));
        }
    }

    @Test
    @Order(3)
    void everyAnswerCitesThePageAboutItsQuestionAndFeedbackIsRecordedAndTracked() throws Exception {
        JsonNode answers = new ObjectMapper().readTree(home.resolve("rag/answers.json").toFile());
        assertThat(answers).hasSize(RagDemo.QUESTIONS.size());
        for (JsonNode a : answers) {
            String expectedPage = RagDemo.QUESTIONS.get(a.get("question").asText());
            assertThat(a.get("answer").asText()).as(a.get("question").asText()).isNotBlank().contains("[1]");
            List<String> pages = new java.util.ArrayList<>();
            a.get("chunks").forEach(c -> pages.add(RagDemo.page(c.asText())));
            assertThat(pages).as(a.get("question").asText()).isNotEmpty().contains(expectedPage);
        }
        List<Feedback> feedback = FeedbackStore.read(home.resolve("rag/feedback.jsonl"));
        assertThat(feedback).hasSize(RagDemo.QUESTIONS.size())
                .allSatisfy(f -> assertThat(f.rating()).isEqualTo(Feedback.Rating.UP));
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            List<RunInfo> runs = registry.searchRuns(RunQuery.builder().experiments(RagDemo.EXPERIMENT).build()).runs();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).metric("answers")).contains(4.0);
            assertThat(runs.get(0).metric("feedback.up")).contains(4.0);
            assertThat(runs.get(0).params()).containsEntry("pages", PAGES);
            assertThat(registry.artifacts(runs.get(0).runId())).extracting(e -> e.path())
                    .anySatisfy(p -> assertThat(p).contains("feedback"));
        }
    }

    @Test
    @Order(4)
    void onlineFeaturesArePresentAndEqualTheSourceDataOfTheLastHour() throws Exception {
        assertThat(output).containsPattern("\\[predict\\] 2012-12-31T23:10:00Z: \\d+ rentals predicted, \\d+ actual; "
                + "features 9 PRESENT");
        // Expected values straight from examples/data/bike_sharing/hour.csv (not from the store): the weather row of
        // 2012-12-31 hour 23 and the rentals of hours 22 (the last hour) and 20-22 (the last 3).
        Map<Integer, String[]> lastDay = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("../examples/data/bike_sharing/hour.csv"))) {
            String[] f = line.split(",");
            if (f[1].equals("2012-12-31")) {
                lastDay.put(Integer.parseInt(f[5]), f);
            }
        }
        String[] h23 = lastDay.get(23);
        long cnt22 = Long.parseLong(lastDay.get(22)[16]);
        long cnt20to22 = cnt22 + Long.parseLong(lastDay.get(21)[16]) + Long.parseLong(lastDay.get(20)[16]);
        Instant at = Instant.parse("2012-12-31T23:10:00Z");
        try (FeatureStore store = FeatureStore.builder().home(home.resolve("features"))
                .clock(Clock.fixed(at, ZoneOffset.UTC)).build()) {
            OnlineResponse r = store.readOnline(RealTimeFeaturesDemo.FEATURES, "dc");
            assertThat(r.values()).extracting(FeatureValue::status).containsOnly(FeatureStatus.PRESENT);
            assertThat((Double) r.get("weather:temp").value()).isCloseTo(Double.parseDouble(h23[10]), within(1e-12));
            assertThat((Double) r.get("weather:hum").value()).isCloseTo(Double.parseDouble(h23[12]), within(1e-12));
            assertThat(r.get("weather:weathersit").value()).isEqualTo(Long.parseLong(h23[9]));
            assertThat((Double) r.get("demand:rentals_1h").value()).isEqualTo((double) cnt22);
            assertThat((Double) r.get("demand:rentals_3h").value()).isEqualTo((double) cnt20to22);
        }
    }

    @Test
    @Order(5)
    void theRegistryAndFlowsCommandsWorkOnTheDemosStores() {
        String registry = home.resolve("registry").toString();
        assertThat(cli("registry", "list", "--home", registry)).isZero();
        assertThat(lastOut).containsPattern("(?m)^breast-cancer +2 ").containsPattern("(?m)^bike-demand +1 ");
        assertThat(cli("registry", "show", "--home", registry, "breast-cancer/2")).isZero();
        assertThat(lastOut).contains("retrain on drift").contains("metric test.accuracy");
        // a gate the challenger cannot pass: denied, the job failed (1), the alias unchanged
        assertThat(cli("registry", "promote", "--home", registry, "breast-cancer", "2", "--gate",
                "test.accuracy >= 0.999")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(lastOut).contains("denied");
        assertThat(cli("registry", "promote", "--home", registry, "breast-cancer", "2", "--gate",
                "test.accuracy >= 0.95", "--same-dataset", "eval")).isZero();
        assertThat(lastOut).contains("approved");
        assertThat(cli("registry", "rollback", "--home", registry, "breast-cancer")).isZero();
        assertThat(lastOut).contains("@champion: version 2 -> 1");
        assertThat(cli("flows", "runs", "--home", home.resolve("flows").toString(), "--flow",
                ContinuousTrainingDemo.FLOW)).isZero();
        assertThat(lastOut).contains("2 runs of 'train-breast-cancer', 0 failed");
    }

    @Test
    @Order(6)
    void theDashboardOpensEveryStoreOfTheDemosHome() {
        assertThat(cli("dashboard", "--home", home.toString(), "--port", "0", "--seconds", "0")).isZero();
        assertThat(lastOut).containsPattern("dashboard over .*: http://127\\.0\\.0\\.1:[0-9]+/")
                .doesNotContain("skipped");
    }

    @Test
    @Order(7)
    void theDashboardsDriftPageShowsTheMonitorsWindowsFromItsDurableHistory() throws Exception {
        try (DashboardCommand.Opened o = DashboardCommand.open(home, Dashboard.builder().port(0))) {
            String token = o.dashboard.uri().getQuery().substring("token=".length());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    o.dashboard.baseUri().resolve("/drift")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            // the page is built from drift/breast-cancer.history.jsonl, which the demo's monitor wrote; the demo's
            // own output above says which columns drifted in window 3
            assertThat(r.body()).contains("breast-cancer").contains("mean radius").contains("mean texture")
                    .doesNotContain("is not configured");
        }
    }

    private String lastOut;

    private int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        lastOut = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        return code;
    }
}
