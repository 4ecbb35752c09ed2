package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Fingerprint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by format version 1 (committed, see {@link FixtureGen}) must keep loading. */
class FormatFixtureTest {

    private static final String FIXTURE = "/dev/mlops/core/flow/fixture-v1/";
    private static final String ENTRY = "cache/70/70cf912153698eb3f5e241efce9a2a798e34ec5af80827af3ab27d0af7c0b09f.entry";

    @TempDir
    Path home;

    @Test
    void version1HistoryAndCacheEntry_stillLoad() throws IOException {
        copy("history.journal");
        copy(ENTRY);
        // the key of 'square' with n = 6, recomputed from the documented recipe
        Fingerprint key = Fingerprint.hasher().putString("mlops.flow.cache.v1").putString("fixture")
                .putString("square").putString("1").putString("n")
                .putFingerprint(Fingerprint.hasher().putLong(6).finish()).finish();
        assertThat(ENTRY).contains(key.hex());
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowRunRecord run = engine.history().lastRuns("fixture", 5).get(0);
            assertThat(run.state()).isEqualTo(FlowState.FAILED);
            assertThat(run.start()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
            assertThat(run.error()).contains("task 'boom'").contains("fixture failure");
            assertThat(run.tasks()).extracting(TaskRunRecord::task).containsExactlyInAnyOrder("square", "boom");
            TaskRunRecord squareRecord = run.tasks().stream().filter(t -> t.task().equals("square")).findFirst()
                    .orElseThrow();
            assertThat(squareRecord.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(squareRecord.cacheKey()).isEqualTo(key.toString());

            // same flow name, task, version and input: the key is the same, so the v1 entry is read back
            Flow.Builder b = Flow.builder("fixture");
            Param<Long> n = b.param("n", Long.class, 6L);
            TaskHandle<Long> square = b.task("square").cache(CachePolicy.of(Serializers.longs()))
                    .run(n, x -> {
                        throw new AssertionError("must come from the cache");
                    });
            FlowResult<Long> again = engine.run(b.build(square));
            assertThat(again.task("square").state()).isEqualTo(TaskState.CACHED);
            assertThat(again.get()).isEqualTo(36L);
        }
    }

    private void copy(String relative) throws IOException {
        Path target = home.resolve(relative);
        Files.createDirectories(target.getParent());
        try (InputStream in = FormatFixtureTest.class.getResourceAsStream(FIXTURE + relative)) {
            assertThat(in).as("fixture " + relative).isNotNull();
            Files.copy(in, target);
        }
    }
}
