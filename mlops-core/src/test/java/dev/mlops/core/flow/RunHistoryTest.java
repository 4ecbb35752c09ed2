package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.RetriableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {

    @TempDir
    Path home;

    private static Flow<Void> flow(String name, boolean fail) {
        Flow.Builder b = Flow.builder(name);
        TaskHandle<Integer> a = b.task("a").retry(Retry.fixed(1, Duration.ZERO)).run(() -> {
            if (fail) {
                throw new RetriableException("still down");
            }
            return 1;
        });
        b.task("b").run(a, x -> x + 1);
        return b.build();
    }

    @Test
    void everyRun_isRecorded_andQueryable_acrossRestarts() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        String failedId;
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            engine.run(flow("etl", false));
            clock.advance(Duration.ofHours(1));
            failedId = engine.run(flow("etl", true)).runId();
            clock.advance(Duration.ofHours(1));
            engine.run(flow("etl", false));
            engine.run(flow("other", true));
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            RunHistory h = engine.history();
            List<FlowRunRecord> last = h.lastRuns("etl", 2);
            assertThat(last).hasSize(2);
            assertThat(last).extracting(FlowRunRecord::state).containsExactly(FlowState.COMPLETED, FlowState.FAILED);
            assertThat(last.get(1).runId()).isEqualTo(failedId);
            FlowRunRecord failed = h.run(failedId).orElseThrow();
            assertThat(failed.error()).contains("task 'a'").contains("still down");
            assertThat(failed.start()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
            assertThat(failed.tasks()).extracting(TaskRunRecord::task, TaskRunRecord::state, TaskRunRecord::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", TaskState.FAILED, 2),
                            org.assertj.core.groups.Tuple.tuple("b", TaskState.NOT_RUN, 0));
            assertThat(h.failedSince(Instant.parse("2026-03-01T11:00:00Z"))).extracting(FlowRunRecord::flow)
                    .containsExactly("other", "etl");
            assertThat(h.failedSince(Instant.parse("2026-03-01T11:00:01Z"))).extracting(FlowRunRecord::flow)
                    .containsExactly("other");
            assertThat(h.lastRuns("etl", 10)).hasSize(3);
            // all flows, newest first: 'other' and the third 'etl' share a start time, record order breaks the tie
            assertThat(h.recentRuns(3)).extracting(FlowRunRecord::flow, FlowRunRecord::state).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("other", FlowState.FAILED),
                    org.assertj.core.groups.Tuple.tuple("etl", FlowState.COMPLETED),
                    org.assertj.core.groups.Tuple.tuple("etl", FlowState.FAILED));
            assertThat(h.recentRuns(10)).hasSize(4);
            assertThat(h.recentRuns(0)).isEmpty();
            assertThatThrownBy(() -> h.recentRuns(-1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
            assertThat(h.run("no-such-run")).isEmpty();
        }
    }

    @Test
    void everyTaskRecord_isInTheHistory_whenTheRunReturns() {
        // Runners finishing at the same moment: the last one to finish writes the end record, and the caller may
        // close the engine at once, so every task record must be in the journal before that.
        Flow.Builder b = Flow.builder("wide");
        TaskHandle<Integer> root = b.task("root").run(() -> 0);
        for (int i = 0; i < 200; i++) {
            int k = i;
            b.task("t" + i).run(root, x -> x + k);
        }
        Flow<Void> flow = b.build();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int r = 0; r < 10; r++) {
            try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(4).build()) {
                FlowResult<Void> result = engine.run(flow);
                ids.add(result.runId());
                assertThat(engine.history().run(result.runId()).orElseThrow().tasks()).hasSize(201);
            }
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            for (String id : ids) {
                assertThat(engine.history().run(id).orElseThrow().tasks()).hasSize(201);
            }
        }
    }

    @Test
    void tornTail_isTruncated_andTheHistoryReopens() throws Exception {
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow("etl", false));
        }
        Path journal = home.resolve("history.journal");
        long good = Files.size(journal);
        Files.write(journal, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND); // a cut record
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThat(engine.history().lastRuns("etl", 5)).singleElement()
                    .satisfies(r -> assertThat(r.state()).isEqualTo(FlowState.COMPLETED));
            assertThat(Files.size(journal)).isEqualTo(good);
            engine.run(flow("etl", false));
            assertThat(engine.history().lastRuns("etl", 5)).hasSize(2);
        }
    }

    @Test
    void corruptRecordInTheMiddle_isReportedNotSkipped() throws Exception {
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow("etl", false));
            engine.run(flow("etl", false));
        }
        Path journal = home.resolve("history.journal");
        byte[] bytes = Files.readAllBytes(journal);
        bytes[20] ^= 0x40; // inside the first record's body (after the 8-byte header and 8-byte frame)
        Files.write(journal, bytes);
        assertThatThrownBy(() -> FlowEngine.builder().home(home).build())
                .isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("history.journal")
                .hasMessageContaining("record at byte 8 fails its CRC32C check");
        // the lock was released: after moving the file aside, the home opens again
        Files.move(journal, home.resolve("history.journal.bad"));
        FlowEngine.builder().home(home).build().close();
    }

    @Test
    void foreignFile_isRefused_notOverwritten() throws Exception {
        Path journal = home.resolve("history.journal");
        Files.writeString(journal, "id,name\n1,a\n");
        assertThatThrownBy(() -> FlowEngine.builder().home(home).build())
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("MLFJ magic");
        assertThat(Files.readString(journal)).isEqualTo("id,name\n1,a\n");
    }

    @Test
    void killedChildJvm_leavesAHistoryThatReopens_withTheRunCrashed() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), home.toString()).redirectErrorStream(true).start();
        String runId = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                if (line.startsWith("READY ")) {
                    runId = line.substring(6).trim();
                    break;
                }
            }
            assertThat(runId).as("child JVM reported its run id").isNotNull();
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowRunRecord crashed = engine.history().run(runId).orElseThrow();
            assertThat(crashed.state()).isEqualTo(FlowState.CRASHED);
            assertThat(crashed.flow()).isEqualTo("doomed");
            assertThat(crashed.error()).contains("process stopped");
            assertThat(crashed.tasks()).extracting(TaskRunRecord::task, TaskRunRecord::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("first", TaskState.COMPLETED));
            assertThat(engine.history().failedSince(Instant.EPOCH)).extracting(FlowRunRecord::runId)
                    .containsExactly(runId);
            engine.run(flow("after-crash", false)); // the reopened history accepts new runs
            // the killed process's cache entry for 'first' (appended, not fsynced: in the OS page cache) is there
            Flow.Builder b = Flow.builder("doomed");
            TaskHandle<Long> first = b.task("first").cache(CachePolicy.of(Serializers.longs())).run(() -> {
                throw new AssertionError("must come from the cache left by the killed process");
            });
            FlowResult<Long> again = engine.run(b.build(first));
            assertThat(again.task(first).state()).isEqualTo(TaskState.CACHED);
            assertThat(again.get()).isEqualTo(1L);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThat(engine.history().run(runId).orElseThrow().state()).isEqualTo(FlowState.CRASHED);
            assertThat(engine.history().lastRuns("after-crash", 1)).hasSize(1);
        }
    }
}
