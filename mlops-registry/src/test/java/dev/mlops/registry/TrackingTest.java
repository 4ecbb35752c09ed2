package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.spi.TrackedRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingTest {

    @TempDir
    Path home;
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    ModelRegistry registry;

    @BeforeEach
    void open() {
        registry = ModelRegistry.builder().home(home).clock(clock).build();
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @Test
    void runRecordsStatusAndTimesFromTheInjectedClock() {
        String id;
        try (RegistryRun run = registry.startRun("exp", "first")) {
            id = run.runId();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            RunInfo info = registry.run(id);
            assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(info.startTime()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
            assertThat(info.endTime()).isNull();
            clock.advanceMillis(1500);
        }
        RunInfo info = registry.run(id);
        assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(info.endTime()).isEqualTo(Instant.parse("2026-11-27T10:00:01.500Z"));
        assertThat(info.name()).isEqualTo("first");
        assertThat(registry.experiment("exp")).get().extracting(Experiment::id).isEqualTo(info.experimentId());
    }

    @Test
    void paramsAreImmutableAndTheErrorNamesBothValues() {
        try (RegistryRun run = registry.startRun("exp", null)) {
            run.logParam("lr", "0.1");
            run.logParam("lr", "0.1"); // same value: no-op
            assertThatThrownBy(() -> run.logParam("lr", "0.2"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'0.1'").hasMessageContaining("'0.2'");
            // a batch with a conflicting param stores nothing of the batch
            assertThatThrownBy(() -> run.logBatch(RunBatch.builder().param("depth", "3").param("lr", "0.3")
                    .metric("loss", 1.0, 0).tag("t", "x").build()))
                    .isInstanceOf(IllegalStateException.class);
            RunInfo info = registry.run(run.runId());
            assertThat(info.params()).containsExactly(Map.entry("lr", "0.1"));
            assertThat(info.metrics()).isEmpty();
            assertThat(info.tags()).doesNotContainKey("t");
        }
    }

    @Test
    void metricsKeepTheirHistoryAndLatestIsTheHighestStep() {
        try (RegistryRun run = registry.startRun("exp", null)) {
            run.logMetric("loss", 0.9, 0);
            clock.advanceMillis(10);
            run.logMetric("loss", 0.5, 5);
            clock.advanceMillis(10);
            run.logMetric("loss", 0.7, 2); // late point at a lower step: history only
            run.logMetric("loss", 0.4, 5); // same highest step, logged later: wins
            run.logMetric("weird", Double.NaN);
            run.logMetric("inf", Double.POSITIVE_INFINITY);
            List<MetricPoint> history = registry.metricHistory(run.runId(), "loss");
            assertThat(history).extracting(MetricPoint::value).containsExactly(0.9, 0.5, 0.7, 0.4);
            assertThat(history).extracting(MetricPoint::step).containsExactly(0L, 5L, 2L, 5L);
            assertThat(history.get(1).timestamp()).isEqualTo(Instant.parse("2026-11-27T10:00:00.010Z"));
            RunInfo info = registry.run(run.runId());
            assertThat(info.metric("loss")).contains(0.4);
            assertThat(info.metrics().get("loss").step()).isEqualTo(5);
            assertThat(info.metric("weird").orElseThrow()).isNaN();
            assertThat(info.metric("inf")).contains(Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void tagsAreOverwritable() {
        try (RegistryRun run = registry.startRun("exp", null)) {
            run.setTag("stage", "dev");
            run.setTag("stage", "prod");
            assertThat(registry.run(run.runId()).tags()).containsEntry("stage", "prod");
        }
    }

    @Test
    void nestedRunsPointAtTheirParent() {
        try (RegistryRun parent = registry.startRun("cv", "search")) {
            try (RegistryRun child = parent.startChildRun("fold-1")) {
                RunInfo c = registry.run(child.runId());
                assertThat(c.parentRunId()).isEqualTo(parent.runId());
                assertThat(c.experimentId()).isEqualTo(parent.experimentId());
            }
            assertThat(registry.run(parent.runId()).parent()).isEmpty();
        }
    }

    @Test
    void anEndedRunRefusesWritesAndEndIsIdempotentOnlyForTheSameStatus() {
        RegistryRun run = registry.startRun("exp", null);
        run.end(RunStatus.FAILED);
        run.end(RunStatus.FAILED);
        run.close(); // never throws for an ended run
        assertThat(registry.run(run.runId()).status()).isEqualTo(RunStatus.FAILED);
        assertThatThrownBy(() -> run.end(RunStatus.FINISHED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FAILED");
        assertThatThrownBy(() -> run.logMetric("x", 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> run.end(RunStatus.RUNNING)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badKeysAreRejectedBeforeAnythingIsStored() {
        try (RegistryRun run = registry.startRun("exp", null)) {
            assertThatThrownBy(() -> run.logParam("bad\"key", "v")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'\"'");
            assertThatThrownBy(() -> run.logMetric("ok", 1, -1)).isInstanceOf(IllegalArgumentException.class);
            assertThat(registry.run(run.runId()).params()).isEmpty();
        }
    }

    @Test
    void datasetsAreImmutableLikeParams() {
        try (RegistryRun run = registry.startRun("exp", null)) {
            Fingerprint a = Fingerprint.of("train-a");
            run.logDataset("train", a);
            run.logDataset("train", a);
            assertThatThrownBy(() -> run.logDataset("train", Fingerprint.of("train-b")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(a.toString());
            assertThat(registry.run(run.runId()).datasets()).containsEntry("train", a.toString());
        }
    }

    @Test
    void unknownRunListsRecentRuns() {
        String id;
        try (RegistryRun run = registry.startRun("exp", null)) {
            id = run.runId();
        }
        assertThatThrownBy(() -> registry.run("nope")).isInstanceOf(NotFoundException.class).hasMessageContaining(id);
    }

    @Test
    void everyRunRecordsProvenanceWithTheGitCommitOfTheCheckout() throws Exception {
        // An independent fixture: a minimal .git directory with a loose ref and a packed ref.
        Path src = home.resolve("src");
        Path git = src.resolve(".git");
        Files.createDirectories(git.resolve("refs/heads"));
        String sha = "0123456789abcdef0123456789abcdef01234567";
        Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
        Files.writeString(git.resolve("refs/heads/main"), sha + "\n");
        Path nested = Files.createDirectories(src.resolve("module/sub"));
        try (ModelRegistry r = ModelRegistry.builder().home(home.resolve("h2")).sourceDirectory(nested).build();
             RegistryRun run = r.startRun("exp", null)) {
            Map<String, String> tags = r.run(run.runId()).tags();
            assertThat(tags).containsEntry("mlops.source.git.commit", sha).containsEntry("mlops.source.git.branch", "main");
            assertThat(tags.get("mlops.jvm")).contains(Runtime.version().toString());
            assertThat(tags.get("mlops.os")).contains(System.getProperty("os.name"));
            assertThat(tags).containsKey("mlops.lib.sqlite");
        }
        // packed refs
        Files.delete(git.resolve("refs/heads/main"));
        String packed = "fedcba9876543210fedcba9876543210fedcba98";
        Files.writeString(git.resolve("packed-refs"), "# pack-refs with: peeled\n" + packed + " refs/heads/main\n");
        try (ModelRegistry r = ModelRegistry.builder().home(home.resolve("h3")).sourceDirectory(src).build();
             RegistryRun run = r.startRun("exp", null)) {
            assertThat(r.run(run.runId()).tags()).containsEntry("mlops.source.git.commit", packed);
        }
    }

    @Test
    void theGitCommitOfThisCheckoutMatchesGitItself() throws Exception {
        Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
        String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0 && expected.length() == 40,
                "not running from a git checkout");
        try (RegistryRun run = registry.startRun("exp", null)) {
            assertThat(registry.run(run.runId()).tags()).containsEntry("mlops.source.git.commit", expected);
        }
    }

    @Test
    void implementsCoresRunTrackerContract() {
        dev.mlops.core.spi.RunTracker tracker = registry;
        try (TrackedRun run = tracker.startRun("contract", "r")) {
            run.logParams(Map.of("a", "1", "b", "2"));
            run.logMetrics(Map.of("m", 1.0, "n", 2.0), 3);
            assertThat(registry.run(run.runId()).metrics()).containsOnlyKeys("m", "n");
        }
        assertThatThrownBy(() -> tracker.startRun(" ", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reopeningTheHomeKeepsEverything() {
        String id;
        try (RegistryRun run = registry.startRun("exp", null)) {
            id = run.runId();
            run.logParam("p", "v");
            run.logMetric("m", 2.5, 3);
        }
        registry.close();
        registry = ModelRegistry.builder().home(home).clock(clock).build();
        RunInfo info = registry.run(id);
        assertThat(info.params()).containsEntry("p", "v");
        assertThat(info.metric("m")).contains(2.5);
        assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
    }
}
