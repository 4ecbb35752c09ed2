package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-op tracker must check arguments and lifecycle as the {@link TrackedRun} contract says. */
class RunTrackerTest {

    private final RunTracker tracker = RunTracker.noop();

    @TempDir
    Path dir;

    @Test
    void noopRun_acceptsValidCalls_andClosesFinished() throws Exception {
        Path model = Files.writeString(dir.resolve("model.bin"), "weights");
        TrackedRun run = tracker.startRun("churn", "gbm");
        try (run) {
            assertThat(run.runId()).startsWith("noop-");
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            run.logParam("max_depth", "6");
            run.logParams(Map.of("eta", "0.1", "sub sample/rate", "0.8"));
            run.logMetric("loss", 0.5, 1);
            run.logMetric("loss", Double.NaN, 2);
            run.logMetric("auc", 0.9);
            run.logMetrics(Map.of("precision", 0.7, "recall", Double.POSITIVE_INFINITY), 3);
            run.setTag("team", "risk");
            run.logArtifact(model, "model");
            run.logArtifact(dir, "");
            run.logDataset("train", Fingerprint.of("rows"));
        }
        assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void runIds_areUnique() {
        assertThat(tracker.startRun("e", null).runId()).isNotEqualTo(tracker.startRun("e", null).runId());
    }

    @Test
    void startRun_rejectsNullOrBlankExperiment_andBlankRunName() {
        assertThatThrownBy(() -> tracker.startRun(null, "r")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> tracker.startRun(" ", "r")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("experiment");
        assertThatThrownBy(() -> tracker.startRun("e", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("run name");
    }

    @Test
    void keys_areCheckedAgainstTheContract() {
        TrackedRun run = tracker.startRun("e", "r");

        assertThatThrownBy(() -> run.logParam(null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> run.logMetric("", 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 250 characters");
        assertThatThrownBy(() -> run.setTag("a".repeat(251), "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 251");
        assertThatThrownBy(() -> run.logParam("lr:init", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key 'lr:init' has the character ':' (U+003A) at index 2. Fix: use only letters, "
                        + "digits, '_', '-', '.', '/' and space");
        assertThatThrownBy(() -> run.logDataset("tr\u00e4in", Fingerprint.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+00E4");
        assertThat(TrackedRun.checkKey("a".repeat(250))).hasSize(250);
    }

    @Test
    void nullValues_areRejectedWithTheKey() {
        TrackedRun run = tracker.startRun("e", "r");

        assertThatThrownBy(() -> run.logParam("k", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("param 'k'");
        assertThatThrownBy(() -> run.setTag("k", null)).hasMessageContaining("tag 'k'");
        assertThatThrownBy(() -> run.logDataset("train", null)).hasMessageContaining("dataset 'train'");
        Map<String, Double> metrics = new HashMap<>();
        metrics.put("loss", null);
        assertThatThrownBy(() -> run.logMetrics(metrics, 0)).hasMessageContaining("metric 'loss'");
    }

    @Test
    void logParams_checksEveryEntryBeforeLoggingAny() {
        var logged = new LinkedHashMap<String, String>();
        TrackedRun recording = new RecordingRun(logged);
        var params = new LinkedHashMap<String, String>();
        params.put("good", "1");
        params.put("bad:key", "2");

        assertThatThrownBy(() -> recording.logParams(params)).isInstanceOf(IllegalArgumentException.class);
        assertThat(logged).isEmpty();
    }

    @Test
    void metricStep_mustNotBeNegative() {
        TrackedRun run = tracker.startRun("e", "r");

        assertThatThrownBy(() -> run.logMetric("loss", 1.0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric step must be >= 0, but was -1");
        assertThatThrownBy(() -> run.logMetrics(Map.of("loss", 1.0), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void artifacts_needAnExistingSource_andARelativePath() {
        TrackedRun run = tracker.startRun("e", "r");
        Path missing = dir.resolve("missing.bin");

        assertThatThrownBy(() -> run.logArtifact(missing, "model")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist");
        for (String bad : new String[] {"/abs", "a/../b", "a//b", "./a", "a/", "c:\\x", "a\\b"}) {
            assertThatThrownBy(() -> run.logArtifact(dir, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
        }
        assertThat(TrackedRun.checkArtifactPath("model/weights.bin")).isEqualTo("model/weights.bin");
    }

    @Test
    void end_rejectsRunning_isIdempotentForTheSameStatus_andRejectsAnother() {
        TrackedRun run = tracker.startRun("e", "r");

        assertThatThrownBy(() -> run.end(RunStatus.RUNNING)).isInstanceOf(IllegalArgumentException.class);
        run.end(RunStatus.FAILED);
        assertThatCode(() -> run.end(RunStatus.FAILED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> run.end(RunStatus.FINISHED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already ended FAILED");
        run.close();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
    }

    @Test
    void endedRun_rejectsLogging() {
        TrackedRun run = tracker.startRun("e", "r");
        run.close();

        assertThatThrownBy(() -> run.logMetric("loss", 1.0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(run.runId()).hasMessageContaining("FINISHED");
        assertThatThrownBy(() -> run.startChildRun("fold-1")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void childRuns_endIndependently() {
        try (TrackedRun parent = tracker.startRun("e", "cv")) {
            TrackedRun child = parent.startChildRun("fold-1");
            child.end(RunStatus.KILLED);

            assertThat(child.runId()).isNotEqualTo(parent.runId());
            assertThat(parent.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(parent.startChildRun(null).status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    @Test
    void terminal_isEverythingButRunning() {
        assertThat(RunStatus.RUNNING.terminal()).isFalse();
        assertThat(RunStatus.FINISHED.terminal()).isTrue();
        assertThat(RunStatus.FAILED.terminal()).isTrue();
        assertThat(RunStatus.KILLED.terminal()).isTrue();
    }

    /** Records params to check what the default {@link TrackedRun#logParams} does. */
    private record RecordingRun(Map<String, String> params) implements TrackedRun {
        @Override public String runId() { return "rec"; }
        @Override public RunStatus status() { return RunStatus.RUNNING; }
        @Override public void logParam(String key, String value) { params.put(key, value); }
        @Override public void logMetric(String key, double value, long step) { }
        @Override public void setTag(String key, String value) { }
        @Override public void logArtifact(Path fileOrDirectory, String artifactPath) { }
        @Override public void logDataset(String name, Fingerprint fingerprint) { }
        @Override public TrackedRun startChildRun(String name) { return this; }
        @Override public void end(RunStatus status) { }
        @Override public void close() { }
    }
}
