package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.dashboard.Dashboard;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.VersionRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardCommandTest {

    @TempDir
    Path home;

    private void fillHome() throws Exception {
        Path artifact = Files.createDirectories(home.resolve("artifact"));
        Files.writeString(artifact.resolve("weights.txt"), "1 2 3");
        try (ModelRegistry registry = ModelRegistry.open(home.resolve("registry"))) {
            try (RegistryRun run = registry.startRun("exp", "first")) {
                run.logMetric("accuracy", 0.9);
                run.logArtifact(artifact, "model");
                registry.createVersion(VersionRequest.builder("churn", run.runId(), "model").flavor("custom")
                        .reason("test").build());
            }
            registry.setAlias("churn", "champion", 1, "first");
        }
        try (FlowEngine engine = FlowEngine.builder().home(home.resolve("flows")).build()) {
            Flow.Builder b = Flow.builder("nightly-etl");
            engine.run(b.build(b.task("load").run(() -> 1)));
        }
        Files.createDirectories(home.resolve("rag"));
        try (FeedbackStore feedback = FeedbackStore.open(home.resolve("rag/feedback.jsonl"))) {
            feedback.record("a1", Feedback.Rating.DOWN, "missed the point");
        }
    }

    private static String get(Dashboard d, String path) throws Exception {
        String token = d.uri().getQuery().substring("token=".length());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(d.baseUri().resolve(path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void open_showsTheStoresOfAHome() throws Exception {
        fillHome();
        try (DashboardCommand.Opened o = DashboardCommand.open(home, Dashboard.builder().port(0))) {
            assertThat(o.notes).isEmpty();
            assertThat(get(o.dashboard, "/registry")).contains("<td>churn</td>").contains("@champion");
            assertThat(get(o.dashboard, "/flows")).contains("<td>nightly-etl</td>");
            assertThat(get(o.dashboard, "/rag")).contains("0 up, 1 down").contains("missed the point");
            // no predictions/ or features/ in this home: those pages say how to configure them
            assertThat(get(o.dashboard, "/features")).contains("is not configured");
        }
    }

    @Test
    void aStoreHeldByAnotherProcess_isSkippedWithANote() throws Exception {
        fillHome();
        try (FlowEngine running = FlowEngine.builder().home(home.resolve("flows")).build();
             DashboardCommand.Opened o = DashboardCommand.open(home, Dashboard.builder().port(0))) {
            assertThat(o.notes).singleElement().asString().startsWith("flows/ skipped: ");
            assertThat(get(o.dashboard, "/flows")).contains("is not configured");
            assertThat(get(o.dashboard, "/registry")).contains("churn");
        }
    }

    @Test
    void theCommand_printsTheUrl_andRejectsBadUsage() throws Exception {
        fillHome();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of("dashboard", "--home", home.toString(), "--port", "0", "--seconds", "0"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("dashboard over .*: http://127\\.0\\.0\\.1:"
                + "[0-9]+/(\\?token=[0-9a-f]{32})?");

        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertThat(Main.run(List.of("dashboard", "--window", "a week"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err2, true, StandardCharsets.UTF_8))).isEqualTo(Main.EXIT_USAGE);
        assertThat(err2.toString(StandardCharsets.UTF_8)).contains("--window 'a week' is not valid");
        assertThat(Main.run(List.of("dashboard", "--home", home.resolve("nope").toString()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())))
                .isEqualTo(1);
    }
}
