package dev.mlops.drift;

import dev.mlops.core.spi.FlowTrigger;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DriftMonitor} against an in-memory log, a manual clock and a counting trigger. Windows are one hour;
 * each holds 200 records of {@code x} (normal) and {@code c} (two categories). A drifting hour shifts x by
 * 1.5 sd and c's mix from 50/50 to 90/10, which every test finds at p far below 1e-6, while a clean hour is
 * drawn from the reference distribution (the detector uses p < 1e-4, so a false alarm in these seeded hours
 * would be a 1-in-10,000 event per column).
 */
class DriftMonitorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class CountingTrigger implements FlowTrigger {
        final List<String> reasons = new ArrayList<>();

        @Override
        public synchronized Optional<String> fire(String reason, Map<String, ?> params) {
            reasons.add(reason);
            return Optional.of("run-" + reasons.size());
        }
    }

    private static Table reference(long seed) {
        Schema schema = Schema.builder().add("x", ColumnType.DOUBLE).add("c", ColumnType.STRING).build();
        TableBuilder b = Table.builder(schema);
        Random rnd = new Random(seed);
        for (int i = 0; i < 500; i++) {
            b.addRow(rnd.nextGaussian(), rnd.nextBoolean() ? "a" : "b");
        }
        return b.build();
    }

    /** Appends one hour of records starting at {@code start}; {@code drift} shifts both inputs. */
    private static void hour(PredictionLog log, Instant start, boolean drift, Random rnd) {
        for (int i = 0; i < 200; i++) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("x", rnd.nextGaussian() + (drift ? 1.5 : 0));
            in.put("c", rnd.nextDouble() < (drift ? 0.9 : 0.5) ? "a" : "b");
            in.put("unused", 1L);
            log.append(new PredictionRecord("churn", "1", start.plusSeconds(i * 18L), "r" + i, in, 0.5, 1000));
        }
    }

    private static DriftMonitor.Builder monitor(PredictionLog log, ManualClock clock, FlowTrigger trigger) {
        return DriftMonitor.builder().log(log).model("churn").reference(reference(1))
                .detector(DriftDetector.builder().pValueThreshold(1e-4).build())
                .window(HOUR).clock(clock).trigger(trigger);
    }

    /** Writes the hours (true = drift) and checks each one as it ends; returns the results. */
    private static List<MonitorResult> run(DriftMonitor m, PredictionLog log, ManualClock clock, boolean... hours) {
        Random rnd = new Random(7);
        List<MonitorResult> out = new ArrayList<>();
        for (int h = 0; h < hours.length; h++) {
            hour(log, T0.plus(HOUR.multipliedBy(h)), hours[h], rnd);
            clock.now = T0.plus(HOUR.multipliedBy(h + 1));
            out.add(m.checkNow());
        }
        return out;
    }

    @Test
    void driftInjectedPartWayTriggersExactlyOnce() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        List<String> drifted = new ArrayList<>();
        DriftMonitor m = monitor(log, clock, trigger).listener(new DriftMonitorListener() {
            @Override
            public void drift(MonitorResult r) {
                drifted.add(r.to().toString());
            }
        }).build();

        List<MonitorResult> rs = run(m, log, clock, false, false, false, false, true, true, true, true, true, true);

        assertThat(rs).extracting(MonitorResult::drift)
                .containsExactly(false, false, false, false, true, true, true, true, true, true);
        assertThat(trigger.reasons).hasSize(1);
        assertThat(trigger.reasons.get(0)).contains("churn", "2026-01-01T05:00:00Z");
        assertThat(rs.get(4).triggered()).isTrue();
        assertThat(rs.get(4).runId()).contains("run-1");
        assertThat(rs).filteredOn(MonitorResult::triggered).hasSize(1);
        assertThat(drifted).hasSize(6);
        assertThat(rs.get(0).rows()).isEqualTo(200);
        assertThat(rs.get(0).from()).isEqualTo(T0);
    }

    @Test
    void noDriftNeverTriggers() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        DriftMonitor m = monitor(log, clock, trigger).build();

        List<MonitorResult> rs = run(m, log, clock, new boolean[12]);

        assertThat(rs).noneMatch(MonitorResult::drift);
        assertThat(trigger.reasons).isEmpty();
    }

    @Test
    void aNewEpisodeWithinTheCoolDownWaitsForIt() {
        boolean[] hours = {false, true, true, false, true, true, true, true, false};
        // episode 1: hours 1-2 (ends 02:00); clean 3; episode 2: hours 4-7 (windows end 05:00 .. 08:00)

        PredictionLog log1 = PredictionLog.inMemory(100_000);
        ManualClock clock1 = new ManualClock(T0);
        CountingTrigger long1 = new CountingTrigger();
        List<MonitorResult> rs = run(monitor(log1, clock1, long1).coolDown(Duration.ofHours(24)).build(), log1, clock1, hours);
        assertThat(long1.reasons).hasSize(1);
        assertThat(rs.get(1).triggered()).isTrue();

        PredictionLog log2 = PredictionLog.inMemory(100_000);
        ManualClock clock2 = new ManualClock(T0);
        CountingTrigger mid = new CountingTrigger();
        // first firing at 02:00; episode 2 starts at 05:00 (3 h later) but the cool-down of 5 h ends at 07:00
        rs = run(monitor(log2, clock2, mid).coolDown(Duration.ofHours(5)).build(), log2, clock2, hours);
        assertThat(mid.reasons).hasSize(2);
        assertThat(rs).extracting(MonitorResult::triggered)
                .containsExactly(false, true, false, false, false, false, true, false, false);

        PredictionLog log3 = PredictionLog.inMemory(100_000);
        ManualClock clock3 = new ManualClock(T0);
        CountingTrigger none = new CountingTrigger();
        rs = run(monitor(log3, clock3, none).build(), log3, clock3, hours);
        assertThat(rs).extracting(MonitorResult::triggered)
                .containsExactly(false, true, false, false, true, false, false, false, false);
    }

    @Test
    void aFailingTriggerDoesNotCountAsFired() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        int[] calls = {0};
        List<Instant> failures = new ArrayList<>();
        FlowTrigger flaky = (reason, params) -> {
            if (++calls[0] == 1) {
                throw new IllegalStateException("flow engine down");
            }
            return Optional.empty();
        };
        DriftMonitor m = monitor(log, clock, flaky).listener(new DriftMonitorListener() {
            @Override
            public void checkFailed(Instant windowEnd, RuntimeException error) {
                failures.add(windowEnd);
            }
        }).build();
        List<MonitorResult> rs = run(m, log, clock, true, true, true);
        assertThat(rs).extracting(MonitorResult::triggered).containsExactly(false, true, false);
        assertThat(rs.get(1).runId()).isEmpty();
        assertThat(failures).containsExactly(T0.plus(HOUR));
        assertThat(calls[0]).isEqualTo(2);
    }

    @Test
    void gaugesShowTheLastWindow() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftMonitor m = monitor(log, clock, new CountingTrigger()).meterRegistry(registry).build();

        run(m, log, clock, false, true);
        assertThat(registry.get("mlops.drift.monitor.share").tag("model", "churn").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("mlops.drift.monitor.dataset_drift").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("mlops.drift.monitor.column_drift").tag("column", "x").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("mlops.drift.monitor.column_drift").tag("column", "c").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("mlops.drift.monitor.triggers").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("mlops.drift.monitor.windows").tag("result", "no_drift").counter().count()).isEqualTo(1.0);

        hour(log, T0.plus(HOUR.multipliedBy(2)), false, new Random(3));
        clock.now = T0.plus(HOUR.multipliedBy(3));
        m.checkNow();
        assertThat(registry.get("mlops.drift.monitor.share").gauge().value()).isEqualTo(0.0);
        assertThat(registry.get("mlops.drift.monitor.column_drift").tag("column", "x").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void historyIsBoundedAndQueryable() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        DriftMonitor m = monitor(log, clock, new CountingTrigger()).historySize(3).build();
        assertThat(m.latest()).isEmpty();
        run(m, log, clock, false, false, true, true, false);
        assertThat(m.history()).extracting(MonitorResult::to)
                .containsExactly(T0.plus(HOUR.multipliedBy(3)), T0.plus(HOUR.multipliedBy(4)), T0.plus(HOUR.multipliedBy(5)));
        assertThat(m.history(T0.plus(HOUR.multipliedBy(4)), T0.plus(HOUR.multipliedBy(5)))).hasSize(1)
                .allMatch(MonitorResult::drift);
        assertThat(m.latest()).get().extracting(MonitorResult::drift).isEqualTo(false);
    }

    @Test
    void aWindowWithTooFewRecordsIsSkippedAndDoesNotEndAnEpisode() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        DriftMonitor m = monitor(log, clock, trigger).minRows(50).build();
        Random rnd = new Random(5);
        hour(log, T0, true, rnd);
        clock.now = T0.plus(HOUR);
        assertThat(m.checkNow().triggered()).isTrue();
        clock.now = T0.plus(HOUR.multipliedBy(2));          // an hour without records
        MonitorResult empty = m.checkNow();
        assertThat(empty.skipped()).isTrue();
        assertThat(empty.rows()).isZero();
        hour(log, T0.plus(HOUR.multipliedBy(2)), true, rnd);
        clock.now = T0.plus(HOUR.multipliedBy(3));
        assertThat(m.checkNow().triggered()).isFalse();
        assertThat(trigger.reasons).hasSize(1);
    }

    @Test
    void aValueOfTheWrongTypeFailsPreciselyAndRecordsNothing() {
        PredictionLog log = PredictionLog.inMemory(1000);
        ManualClock clock = new ManualClock(T0.plus(HOUR));
        DriftMonitor m = monitor(log, clock, new CountingTrigger()).build();
        hour(log, T0, false, new Random(2));
        log.append(new PredictionRecord("churn", "1", T0.plusSeconds(100), "req-42",
                Map.of("x", "12.5", "c", "a"), 0.5, 10));
        assertThatThrownBy(m::checkNow).isInstanceOf(DriftInputException.class)
                .hasMessageContaining("'x'").hasMessageContaining("req-42").hasMessageContaining("12.5")
                .hasMessageContaining("String").hasMessageContaining("DOUBLE").hasMessageContaining("Fix:");
        assertThat(m.history()).isEmpty();
    }

    @Test
    void aProfileReferenceConvertsByKind() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        DriftMonitor m = DriftMonitor.builder().log(log).model("churn")
                .reference(ReferenceProfile.of(reference(1), List.of()))
                .detector(DriftDetector.builder().pValueThreshold(1e-4).build())
                .window(HOUR).clock(clock).trigger(trigger).build();
        List<MonitorResult> rs = run(m, log, clock, false, true);
        assertThat(rs).extracting(MonitorResult::drift).containsExactly(false, true);
        assertThat(rs.get(1).report().orElseThrow().columns()).containsOnlyKeys("x", "c");
    }

    @Test
    void builderRefusesMissingOrConflictingSettings() {
        PredictionLog log = PredictionLog.inMemory(10);
        assertThatThrownBy(() -> DriftMonitor.builder().model("m").reference(reference(1)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("log");
        assertThatThrownBy(() -> DriftMonitor.builder().log(log).model("m").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("reference");
        assertThatThrownBy(() -> DriftMonitor.builder().log(log).model("m").reference(reference(1))
                .reference(ReferenceProfile.of(reference(1), List.of())).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("both");
        assertThatThrownBy(() -> DriftMonitor.builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> DriftMonitor.builder().coolDown(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coolDown");
        assertThatThrownBy(() -> DriftMonitor.builder().log(log).model("m").reference(reference(1)).build().start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scheduler");
    }

    @Test
    void readsARollingFileLog(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        try (PredictionLog log = PredictionLog.rollingFiles(dir)) {
            DriftMonitor m = monitor(log, clock, trigger).build();
            Random rnd = new Random(13);
            hour(log, T0, false, rnd);
            hour(log, T0.plus(HOUR), true, rnd);
            log.flush();
            clock.now = T0.plus(HOUR);
            assertThat(m.checkNow().drift()).isFalse();
            clock.now = T0.plus(HOUR.multipliedBy(2));
            MonitorResult r = m.checkNow();
            assertThat(r.rows()).isEqualTo(200);
            assertThat(r.triggered()).isTrue();
        }
        assertThat(trigger.reasons).hasSize(1);
    }

    @Test
    void startChecksOnTheSchedulerUntilClosed() throws Exception {
        PredictionLog log = PredictionLog.inMemory(100_000);
        hour(log, T0, false, new Random(9));
        ManualClock clock = new ManualClock(T0.plus(HOUR));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            DriftMonitor m = monitor(log, clock, new CountingTrigger()).step(Duration.ofMillis(20)).scheduler(scheduler).build();
            m.start();
            assertThatThrownBy(m::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (m.history().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(m.history().size()).isGreaterThanOrEqualTo(3);
            m.close();
            Thread.sleep(100);
            int after = m.history().size();
            Thread.sleep(200);
            assertThat(m.history()).hasSize(after);
            assertThat(m.history()).allMatch(r -> r.rows() == 200 && !r.drift());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
