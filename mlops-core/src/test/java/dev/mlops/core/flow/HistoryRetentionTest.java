package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run-history compaction: a bounded journal that keeps the last N runs per flow and drops runs past a max age. */
class HistoryRetentionTest {

    @TempDir
    Path home;

    private static Flow<Integer> flow(String name) {
        Flow.Builder b = Flow.builder(name);
        TaskHandle<Integer> a = b.task("a").run(() -> 1);
        TaskHandle<Integer> c = b.task("c").run(a, x -> x + 1);
        return b.build(c);
    }

    @Test
    void keepRuns_keepsTheNewestRunsOfEachFlow_andRewritesTheJournal() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        List<String> etl = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            for (int i = 0; i < 5; i++) {
                etl.add(engine.run(flow("etl")).runId());
                clock.advance(Duration.ofMinutes(1));
            }
            for (int i = 0; i < 2; i++) {
                other.add(engine.run(flow("other")).runId());
                clock.advance(Duration.ofMinutes(1));
            }
        }
        Path journal = home.resolve("history.journal");
        long before = Files.size(journal);
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).historyKeepRuns(3).build()) {
            // newest first: the last three etl runs, both other runs
            assertThat(engine.history().lastRuns("etl", 10)).extracting(FlowRunRecord::runId)
                    .containsExactly(etl.get(4), etl.get(3), etl.get(2));
            assertThat(engine.history().lastRuns("other", 10)).hasSize(2);
            assertThat(engine.history().run(etl.get(0))).isEmpty();
            assertThat(engine.history().run(etl.get(2)).orElseThrow().tasks()).extracting(TaskRunRecord::task)
                    .containsExactly("a", "c");
        }
        // 7 runs became 5: an etl run takes E bytes, an other run E + 2 (its name is 2 bytes longer), the header 8
        long e = (before - 8 - 2 * 2) / 7;
        assertThat(Files.size(journal)).isEqualTo(8 + 3 * e + 2 * (e + 2));
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            assertThat(engine.history().lastRuns("etl", 10)).hasSize(3); // really gone from the file
        }
    }

    @Test
    void maxAge_dropsRunsThatEndedLongerAgo_byTheEngineClock() {
        Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        String old;
        String recent;
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            old = engine.run(flow("etl")).runId(); // ends at t0
            clock.advance(Duration.ofHours(30));
            recent = engine.run(flow("etl")).runId(); // ends at t0 + 30 h
        }
        clock.advance(Duration.ofHours(18)); // now t0 + 48 h: the first ended 48 h ago, the second 18 h ago
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).historyMaxAge(Duration.ofHours(24))
                .build()) {
            assertThat(engine.history().lastRuns("etl", 10)).extracting(FlowRunRecord::runId).containsExactly(recent);
            assertThat(engine.history().run(old)).isEmpty();
        }
    }

    @Test
    void aGrowingJournal_isCompactedAutomatically_andStaysBounded() throws Exception {
        Path journal = home.resolve("history.journal");
        try (FlowEngine engine = FlowEngine.builder().home(home).historyKeepRuns(3).build()) {
            Journal j = ((Engine) engine).journal;
            long oneRun;
            engine.run(flow("etl"));
            oneRun = Files.size(journal) - 8;
            j.minCompactBytes(10 * oneRun);
            String last = null;
            for (int i = 0; i < 40; i++) {
                last = engine.run(flow("etl")).runId();
            }
            assertThat(j.compactions()).isGreaterThanOrEqualTo(2);
            // compaction runs when the journal reaches max(threshold, twice its last compacted size)
            assertThat(Files.size(journal)).isLessThanOrEqualTo(8 + 11 * oneRun);
            assertThat(engine.history().lastRuns("etl", 100)).hasSizeBetween(3, 10)
                    .first().satisfies(r -> assertThat(r.state()).isEqualTo(FlowState.COMPLETED));
            assertThat(engine.history().lastRuns("etl", 1).get(0).runId()).isEqualTo(last);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).historyKeepRuns(3).build()) {
            assertThat(engine.history().lastRuns("etl", 100)).hasSize(3);
        }
    }

    @Test
    void aCompactionCutShortByACrash_leavesTheOldJournal_andItsLeftoverIsRemoved() throws Exception {
        String id;
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            id = engine.run(flow("etl")).runId();
        }
        Path leftover = home.resolve("history.journal.compact");
        Files.write(leftover, new byte[] {'M', 'L', 'F', 'J', 0, 0}); // a half-written new journal
        try (FlowEngine engine = FlowEngine.builder().home(home).historyKeepRuns(1).build()) {
            assertThat(engine.history().run(id)).isPresent();
        }
        assertThat(leftover).doesNotExist();
    }

    @Test
    void retentionSettings_areChecked() {
        assertThatThrownBy(() -> FlowEngine.builder().historyKeepRuns(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyKeepRuns must be >= 1, got 0");
        assertThatThrownBy(() -> FlowEngine.builder().historyMaxAge(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("historyMaxAge");
    }
}
