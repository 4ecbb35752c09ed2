package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.spi.FlowTrigger;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-27T02:00:00Z"); // a Friday

    @TempDir
    Path home;

    @Test
    void cron_nextTicks_handComputed() {
        assertThat(Schedule.cron("0 3 * * *").next(T0, T0)).isEqualTo(Instant.parse("2026-11-27T03:00:00Z"));
        assertThat(Schedule.cron("0 3 * * 1").next(T0, T0)).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
        assertThat(Schedule.cron("*/15 * * * *").next(T0, T0.plusSeconds(60)))
                .isEqualTo(Instant.parse("2026-11-27T02:15:00Z"));
        assertThat(Schedule.cron("30 8 1 1 *").next(T0, T0)).isEqualTo(Instant.parse("2027-01-01T08:30:00Z"));
        assertThat(Schedule.cron("0 0 29 2 *").next(T0, T0)).isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
        // both day fields restricted: the 1st of the month OR a Sunday (Vixie cron); next Sunday is Nov 29
        assertThat(Schedule.cron("0 12 1 * 0").next(T0, T0)).isEqualTo(Instant.parse("2026-11-29T12:00:00Z"));
        // 09:00 in Paris is 08:00 UTC in winter
        assertThat(Schedule.cron("0 9 * * *", ZoneId.of("Europe/Paris")).next(T0, T0))
                .isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
    }

    @Test
    void cron_matchesABruteForceScan() {
        // Reference: walk minute by minute from 'after' and test each minute against the fields directly.
        String[] exprs = {"5,35 */6 * * *", "0 9-17 * * 1-5", "15 2 13 * 5", "0 0 * 3-4 *", "*/7 1 1-7 * 7"};
        Predicate<ZonedDateTime>[] refs = new Predicate[] {
            t -> (((ZonedDateTime) t).getMinute() == 5 || ((ZonedDateTime) t).getMinute() == 35)
                    && ((ZonedDateTime) t).getHour() % 6 == 0,
            t -> ((ZonedDateTime) t).getMinute() == 0 && ((ZonedDateTime) t).getHour() >= 9
                    && ((ZonedDateTime) t).getHour() <= 17
                    && ((ZonedDateTime) t).getDayOfWeek().getValue() <= 5,
            t -> ((ZonedDateTime) t).getMinute() == 15 && ((ZonedDateTime) t).getHour() == 2
                    && (((ZonedDateTime) t).getDayOfMonth() == 13
                        || ((ZonedDateTime) t).getDayOfWeek() == DayOfWeek.FRIDAY),
            t -> ((ZonedDateTime) t).getMinute() == 0 && ((ZonedDateTime) t).getHour() == 0
                    && ((ZonedDateTime) t).getMonthValue() >= 3 && ((ZonedDateTime) t).getMonthValue() <= 4,
            t -> ((ZonedDateTime) t).getMinute() % 7 == 0 && ((ZonedDateTime) t).getHour() == 1
                    && (((ZonedDateTime) t).getDayOfMonth() <= 7
                        || ((ZonedDateTime) t).getDayOfWeek() == DayOfWeek.SUNDAY),
        };
        SplittableRandom random = new SplittableRandom(7);
        for (int e = 0; e < exprs.length; e++) {
            Schedule s = Schedule.cron(exprs[e]);
            for (int k = 0; k < 20; k++) {
                Instant after = T0.plusSeconds(random.nextLong(0, 200L * 24 * 3600));
                ZonedDateTime t = after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                while (!refs[e].test(t)) {
                    t = t.plusMinutes(1);
                }
                assertThat(s.next(T0, after)).as("%s after %s", exprs[e], after).isEqualTo(t.toInstant());
            }
        }
    }

    @Test
    void cron_badExpressions_sayWhatIsWrong() {
        assertThatThrownBy(() -> Schedule.cron("0 3 * *")).hasMessageContaining("expected 5");
        assertThatThrownBy(() -> Schedule.cron("61 3 * * *")).hasMessageContaining("minute \"61\" must be in 0..59");
        assertThatThrownBy(() -> Schedule.cron("0 5-2 * * *")).hasMessageContaining("runs backwards");
        assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *").next(T0, T0)).hasMessageContaining("never fires");
    }

    @Test
    void every_isAnchoredAtTheStart() {
        Schedule s = Schedule.every(Duration.ofMinutes(10));
        assertThat(s.next(T0, T0)).isEqualTo(T0.plusSeconds(600));
        assertThat(s.next(T0, T0.plusSeconds(1805))).isEqualTo(T0.plusSeconds(2400));
    }

    private Flow<Void> blockingFlow(CountDownLatch release, AtomicInteger runs) {
        Flow.Builder b = Flow.builder("scheduled");
        b.task("work").run(() -> {
            runs.incrementAndGet();
            return release.await(30, TimeUnit.SECONDS);
        });
        return b.build();
    }

    @Test
    void interval_noOverlap_skipsATickWhileTheRunGoes_thenRunsAgain() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ManualScheduler scheduler = new ManualScheduler();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).scheduler(scheduler).build()) {
            ScheduledFlow sf = engine.schedule(blockingFlow(release, runs), FlowParams.of(),
                    Schedule.every(Duration.ofHours(1)));
            assertThat(scheduler.requested()).containsExactly(Duration.ofHours(1));
            assertThat(sf.nextTick()).isEqualTo(T0.plusSeconds(3600));
            clock.advance(Duration.ofHours(1));
            scheduler.fireAll();
            assertThat(sf.runIds()).hasSize(1);
            clock.advance(Duration.ofHours(1));
            scheduler.fireAll(); // the first run still blocks
            assertThat(sf.runIds()).hasSize(1);
            assertThat(sf.skipped()).isEqualTo(1);
            release.countDown();
            engine.history(); // wait for the first run to end
            awaitDone(engine, sf.runIds().get(0));
            clock.advance(Duration.ofHours(1));
            scheduler.fireAll();
            assertThat(sf.runIds()).hasSize(2);
            sf.cancel();
            assertThat(sf.nextTick()).isNull();
            clock.advance(Duration.ofHours(1));
            scheduler.fireAll();
            assertThat(sf.runIds()).hasSize(2);
        }
    }

    @Test
    void catchUp_skipMissedRunsOnce_runAllRunsEveryMissedTick() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ManualScheduler scheduler = new ManualScheduler();
        CountDownLatch open = new CountDownLatch(0);
        AtomicInteger runs = new AtomicInteger();
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).scheduler(scheduler).build()) {
            Flow<Void> flow = blockingFlow(open, runs);
            ScheduledFlow skip = engine.schedule(flow, FlowParams.of(), Schedule.every(Duration.ofHours(1)));
            ScheduledFlow all = engine.schedule(flow, FlowParams.of(),
                    Schedule.every(Duration.ofHours(1)).catchUp(Schedule.CatchUp.RUN_ALL));
            clock.advance(Duration.ofMinutes(3 * 60 + 30)); // 3 ticks missed
            scheduler.fireAll();
            for (String id : skip.runIds()) {
                awaitDone(engine, id);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (all.runIds().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10); // RUN_ALL queues runs one after another (no overlap)
            }
            assertThat(skip.runIds()).hasSize(1);
            assertThat(skip.skipped()).isEqualTo(2);
            assertThat(all.runIds()).hasSize(3);
            assertThat(skip.nextTick()).isEqualTo(T0.plusSeconds(4 * 3600));
        }
    }

    @Test
    void trigger_startsARun_declinesWhileOneIsGoing_andChecksParams() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Flow.Builder b = Flow.builder("retrain");
        Param<String> why = b.param("why", String.class, "manual");
        TaskHandle<String> t = b.task("t").run(why, w -> release.await(30, TimeUnit.SECONDS) ? w : "timeout");
        Flow<String> flow = b.build(t);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowTrigger trigger = engine.trigger(flow, FlowParams.of(), false);
            Optional<String> first = trigger.fire("drift in 'mean radius'", Map.of("why", "drift"));
            assertThat(first).isPresent();
            assertThat(trigger.fire("drift again", Map.of())).isEmpty();
            assertThatThrownBy(() -> engine.trigger(flow, FlowParams.of(), true).fire("x", Map.of("why", 3)))
                    .isInstanceOf(FlowDefinitionException.class);
            release.countDown();
            awaitDone(engine, first.get());
            Optional<String> second = trigger.fire("drift once more", Map.of());
            assertThat(second).isPresent().isNotEqualTo(first);
            awaitDone(engine, second.get());
            assertThat(engine.history().lastRuns("retrain", 5)).hasSize(2);
        }
        assertThat(FlowTrigger.noop().fire("x", Map.of())).isEmpty();
    }

    @Test
    void schedules_arePersisted_andResumeAfterARestart_withTheirAnchorAndCatchUpPolicy() throws Exception {
        MutableClock clock = new MutableClock(T0);
        AtomicInteger runs = new AtomicInteger();
        Flow<Void> flow = blockingFlow(new CountDownLatch(0), runs);
        Schedule hourly = Schedule.every(Duration.ofHours(1));
        Schedule hourlyRunAll = hourly.catchUp(Schedule.CatchUp.RUN_ALL);
        ManualScheduler first = new ManualScheduler();
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).scheduler(first).build()) {
            ScheduledFlow skip = engine.schedule(flow, FlowParams.of(), hourly);
            ScheduledFlow all = engine.schedule("nightly-all", flow, FlowParams.of(), hourlyRunAll);
            assertThat(skip.id()).isEqualTo("scheduled every PT1H, SKIP_MISSED");
            clock.advance(Duration.ofHours(1));
            first.fireAll(); // tick T0 + 1 h: one run each
            for (String id : skip.runIds()) {
                awaitDone(engine, id);
            }
            for (String id : all.runIds()) {
                awaitDone(engine, id);
            }
            assertThatThrownBy(() -> engine.schedule("nightly-all", flow, FlowParams.of(), hourly))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        } // the process stops; the schedules' state stays in the home
        assertThat(home.resolve("schedules.json")).exists();
        clock.advance(Duration.ofMinutes(3 * 60 + 30)); // down for 3.5 h: ticks T0+2h, +3h, +4h are missed
        ManualScheduler second = new ManualScheduler();
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).scheduler(second).build()) {
            ScheduledFlow skip = engine.schedule(flow, FlowParams.of(), hourly);
            ScheduledFlow all = engine.schedule("nightly-all", flow, FlowParams.of(), hourlyRunAll);
            // resumed at the first missed tick (a fresh schedule would say T0 + 5.5 h)
            assertThat(skip.nextTick()).isEqualTo(T0.plusSeconds(2 * 3600));
            assertThat(second.requested()).containsOnly(Duration.ZERO); // both due at once
            second.fireAll();
            for (String id : skip.runIds()) {
                awaitDone(engine, id);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (all.runIds().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10); // RUN_ALL queues its three runs one after another
            }
            for (String id : all.runIds()) {
                awaitDone(engine, id);
            }
            assertThat(skip.runIds()).hasSize(1);
            assertThat(skip.skipped()).isEqualTo(2);
            assertThat(all.runIds()).hasSize(3);
            // still on the original grid: T0 + k h, not restart time + k h
            assertThat(skip.nextTick()).isEqualTo(T0.plusSeconds(5 * 3600));
            assertThat(all.nextTick()).isEqualTo(T0.plusSeconds(5 * 3600));
            all.cancel(); // forgets its state: scheduling it again starts afresh
        }
        assertThat(runs).hasValue(2 + 1 + 3);
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).scheduler(new ManualScheduler())
                .build()) {
            ScheduledFlow all = engine.schedule("nightly-all", flow, FlowParams.of(), hourlyRunAll);
            assertThat(all.nextTick()).isEqualTo(clock.instant().plusSeconds(3600));
            ScheduledFlow skip = engine.schedule(flow, FlowParams.of(), hourly);
            assertThat(skip.nextTick()).isEqualTo(T0.plusSeconds(5 * 3600)); // never cancelled: resumed
        }
    }

    @Test
    void aDamagedSchedulesFile_isReportedWhenTheEngineOpens() throws Exception {
        java.nio.file.Files.writeString(home.resolve("schedules.json"), "{\"format\": 1, \"schedules\": [{\"id\": 3}]}");
        assertThatThrownBy(() -> FlowEngine.builder().home(home).build())
                .isInstanceOf(dev.mlops.core.StoreCorruptedException.class)
                .hasMessageContaining("schedules.json").hasMessageContaining("no text field \"id\"");
        java.nio.file.Files.delete(home.resolve("schedules.json"));
        FlowEngine.builder().home(home).build().close(); // the lock was released
    }

    private static void awaitDone(FlowEngine engine, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var run = engine.history().run(runId);
            if (run.isPresent() && run.get().state() != FlowState.RUNNING) {
                Thread.sleep(20); // let the schedule's completion callback run
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("run " + runId + " did not finish");
    }
}
