package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeoutTest {

    @TempDir
    Path home;

    @Test
    void timeout_interruptsTheTask_failsIt_andMarksDownstreamNotRun() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Flow.Builder b = Flow.builder("hang");
        TaskHandle<Integer> hang = b.task("hang").timeout(Duration.ofHours(1)).run(() -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return 1;
        });
        b.task("next").run(hang, x -> x);
        try (FlowEngine engine = FlowEngine.builder().home(home).scheduler(scheduler).build()) {
            FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            scheduler.awaitRequested(1);
            assertThat(scheduler.requested()).containsExactly(Duration.ofHours(1));
            scheduler.fireAll(); // the hour has passed
            FlowResult<Void> r = ex.await(Duration.ofSeconds(10));
            assertThat(r.task("hang").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.rootCause().orElseThrow()).isInstanceOf(TaskTimeoutException.class)
                    .hasMessageContaining("timed out after PT1H");
            assertThat(r.task("next").state()).isEqualTo(TaskState.NOT_RUN);
        }
        assertThat(interrupted).isTrue();
    }

    @Test
    void timeout_onTheRealScheduler_stopsASleepingTask() {
        Flow.Builder b = Flow.builder("real");
        b.task("sleepy").timeout(Duration.ofMillis(200)).run(() -> {
            Thread.sleep(Duration.ofMinutes(10));
            return 1;
        });
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            long t0 = System.nanoTime();
            FlowResult<Void> r = engine.run(b.build());
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
            assertThat(r.task("sleepy").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task("sleepy").error()).contains("TaskTimeoutException");
        }
    }

    @Test
    void taskIgnoringInterrupts_isAbandoned_andDoesNotBlockTheFlow() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean release = new AtomicBoolean();
        AtomicBoolean stubbornReturned = new AtomicBoolean();
        Flow.Builder b = Flow.builder("stubborn");
        TaskHandle<Integer> stubborn = b.task("stubborn").timeout(Duration.ofSeconds(5)).run(() -> {
            started.countDown();
            while (!release.get()) { // ignores interruption on purpose
                Thread.onSpinWait();
            }
            stubbornReturned.set(true);
            return 1;
        });
        TaskHandle<Integer> other = b.task("other").after(stubborn.name()).run(() -> 2);
        b.task("independent").run(() -> 3);
        try (FlowEngine engine = FlowEngine.builder().home(home).scheduler(scheduler).meterRegistry(registry)
                .maxConcurrency(1).build()) {
            FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            scheduler.awaitRequested(1);
            scheduler.fireAll();
            // with one slot, 'independent' can only run if the stuck task's slot was released
            FlowResult<Void> r = ex.await(Duration.ofSeconds(10));
            assertThat(r).as("flow finished while the stubborn thread still spins").isNotNull();
            assertThat(stubbornReturned).isFalse();
            assertThat(r.task("stubborn").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task(other).state()).isEqualTo(TaskState.NOT_RUN);
            assertThat(r.task("independent").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(registry.get("mlops.flow.threads.abandoned").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("mlops.flow.task.timeouts").counter().count()).isEqualTo(1.0);

            release.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (registry.get("mlops.flow.threads.abandoned").gauge().value() > 0
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(registry.get("mlops.flow.threads.abandoned").gauge().value()).isZero();
            assertThat(r.task("stubborn").state()).isEqualTo(TaskState.FAILED); // late result discarded
        }
    }

    @Test
    void timeout_isRetriedLikeAnyRetriableFailure() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        CountDownLatch firstStarted = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Flow.Builder b = Flow.builder("retry-timeout");
        b.task("t").timeout(Duration.ofSeconds(30)).retry(Retry.fixed(1, Duration.ZERO)).run(() -> {
            if (calls.incrementAndGet() == 1) {
                firstStarted.countDown();
                Thread.sleep(Duration.ofDays(1));
            }
            return "second try";
        });
        try (FlowEngine engine = FlowEngine.builder().home(home).scheduler(scheduler).build()) {
            FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            scheduler.awaitRequested(1);
            scheduler.fireAll();
            FlowResult<Void> r = ex.await(Duration.ofSeconds(10));
            assertThat(r.task("t").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task("t").attempts()).isEqualTo(2);
        }
    }
}
