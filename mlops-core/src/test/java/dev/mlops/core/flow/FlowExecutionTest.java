package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NonRetriableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class FlowExecutionTest {

    @TempDir
    Path home;

    @Test
    void diamond_passesTypedValuesDownstream() {
        Flow.Builder b = Flow.builder("diamond");
        Param<Integer> seed = b.param("seed", Integer.class, 2);
        TaskHandle<Integer> a = b.task("a").run(seed, s -> s);
        TaskHandle<Integer> plus = b.task("plus").run(a, x -> x + 1);
        TaskHandle<String> times = b.task("times").run(a, x -> Integer.toString(x * 10));
        TaskHandle<Integer> sum = b.task("sum").run(plus, times, (p, t) -> p + Integer.parseInt(t));
        Flow<Integer> flow = b.build(sum);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Integer> r = engine.run(flow, FlowParams.of().with(seed, 7));
            // by hand: a = 7, plus = 8, times = "70", sum = 78
            assertThat(r.get()).isEqualTo(78);
            assertThat(r.value(times)).contains("70");
            assertThat(r.tasks()).extracting(TaskRunRecord::state).containsOnly(TaskState.COMPLETED);
            assertThat(r.task(plus).attempts()).isEqualTo(1);
        }
    }

    @Test
    void independentTasks_runInParallel() throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(3);
        Flow.Builder b = Flow.builder("parallel");
        for (int i = 0; i < 3; i++) {
            // each task only returns once all three are inside their bodies at the same time
            b.task("t" + i).run(() -> barrier.await(10, TimeUnit.SECONDS));
        }
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(3).build()) {
            assertThat(engine.run(flow).state()).isEqualTo(FlowState.COMPLETED);
        }
    }

    @Test
    void fanOutAfterATask_runsInParallel() {
        CyclicBarrier barrier = new CyclicBarrier(3);
        Flow.Builder b = Flow.builder("fan-out");
        TaskHandle<Integer> root = b.task("root").run(() -> 1);
        for (int i = 0; i < 3; i++) {
            // each child only returns once all three are inside their bodies at the same time
            b.task("child" + i).run(root, r -> barrier.await(10, TimeUnit.SECONDS));
        }
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(3).build()) {
            FlowResult<Void> r = engine.run(flow);
            assertThat(r.state()).as(r.toString()).isEqualTo(FlowState.COMPLETED);
        }
    }

    @Test
    void concurrencyLimits_perFlowAndPerTag_areRespected() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger gpuRunning = new AtomicInteger();
        AtomicInteger maxGpu = new AtomicInteger();
        Flow.Builder b = Flow.builder("limits");
        for (int i = 0; i < 12; i++) {
            boolean gpu = i % 2 == 0;
            b.task("t" + i).tags(gpu ? "gpu" : "cpu").run(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                if (gpu) {
                    maxGpu.accumulateAndGet(gpuRunning.incrementAndGet(), Math::max);
                }
                Thread.sleep(15);
                if (gpu) {
                    gpuRunning.decrementAndGet();
                }
                running.decrementAndGet();
                return 1;
            });
        }
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(3).tagLimit("gpu", 1).build()) {
            assertThat(engine.run(flow).state()).isEqualTo(FlowState.COMPLETED);
        }
        assertThat(maxRunning.get()).isBetween(2, 3);
        assertThat(maxGpu).hasValue(1);
    }

    @Test
    void failure_marksDownstreamNotRun_runsIndependentTasks_andReportsRootCause() {
        NonRetriableException boom = new NonRetriableException("bad input in row 7");
        AtomicBoolean downstreamRan = new AtomicBoolean();
        Flow.Builder b = Flow.builder("failing");
        TaskHandle<Integer> bad = b.task("bad").run(() -> {
            throw boom;
        });
        TaskHandle<Integer> next = b.task("next").run(bad, x -> {
            downstreamRan.set(true);
            return x;
        });
        b.task("last").run(next, x -> x);
        TaskHandle<Integer> free = b.task("free").run(() -> 5);
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(flow);
            assertThat(r.state()).isEqualTo(FlowState.FAILED);
            assertThat(r.task("bad").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task("next").state()).isEqualTo(TaskState.NOT_RUN);
            assertThat(r.task("last").state()).isEqualTo(TaskState.NOT_RUN);
            assertThat(r.task("next").error()).contains("upstream task 'bad' FAILED");
            assertThat(r.task(free).state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.failedTask()).contains("bad");
            assertThat(r.rootCause()).containsSame(boom);
            assertThat(downstreamRan).isFalse();
            assertThatThrownBy(r::get).isInstanceOf(FlowFailedException.class).hasCause(boom)
                    .hasMessageContaining("task 'bad' failed");
        }
    }

    @Test
    void nullResult_failsTheTask() {
        Flow.Builder b = Flow.builder("nulls");
        b.task("nothing").run(() -> null);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(b.build());
            assertThat(r.task("nothing").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task("nothing").error()).contains("returned null");
        }
    }

    @Test
    void cancel_interruptsRunningTask_andCancelsTheRest() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch interruptSeen = new CountDownLatch(1);
        Flow.Builder b = Flow.builder("cancel");
        TaskHandle<Integer> slow = b.task("slow").run(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                interruptSeen.countDown();
                throw e;
            }
            return 1;
        });
        b.task("after").run(slow, x -> x);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            ex.cancel();
            FlowResult<Void> r = ex.await(Duration.ofSeconds(10));
            assertThat(r).isNotNull();
            assertThat(r.state()).isEqualTo(FlowState.CANCELLED);
            assertThat(r.task("slow").state()).isEqualTo(TaskState.CANCELLED);
            assertThat(r.task("after").state()).isEqualTo(TaskState.CANCELLED);
            assertThat(interruptSeen.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted).isTrue();
            assertThat(engine.history().run(ex.runId()).orElseThrow().state()).isEqualTo(FlowState.CANCELLED);
        }
    }

    @Test
    void subflow_runsAsATask_withItsOwnHistoryRecord() {
        Flow.Builder cb = Flow.builder("child");
        Param<Integer> x = cb.param("x", Integer.class);
        Param<Integer> k = cb.param("k", Integer.class, 3);
        Flow<Integer> child = cb.build(cb.task("mul").run(x, k, (a, c) -> a * c));

        Flow.Builder pb = Flow.builder("parent");
        TaskHandle<Integer> five = pb.task("five").run(() -> 5);
        TaskHandle<Integer> sub = pb.task("sub").subflow(child, Bind.of(x, five));
        Flow<Integer> parent = pb.build(pb.task("plus1").run(sub, v -> v + 1));
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Integer> r = engine.run(parent);
            assertThat(r.get()).isEqualTo(16); // 5 * 3 + 1
            FlowRunRecord childRun = engine.history().lastRuns("child", 1).get(0);
            assertThat(childRun.parentRunId()).isEqualTo(r.runId());
            assertThat(childRun.state()).isEqualTo(FlowState.COMPLETED);
        }
    }

    @Test
    void listener_meters_mdcAndProgress_seeEveryTask() {
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> mdcTasks = new CopyOnWriteArrayList<>();
        List<Progress> progress = new CopyOnWriteArrayList<>();
        FlowListener listener = new FlowListener() {
            @Override
            public void flowStarted(String flow, String runId) {
                events.add("flowStarted");
            }

            @Override
            public void taskSucceeded(String flow, String runId, String task, int attempt) {
                events.add("ok:" + task);
            }

            @Override
            public void progress(String flow, String runId, Progress p) {
                progress.add(p);
            }

            @Override
            public void flowFinished(FlowResult<?> result) {
                events.add("finished:" + result.state());
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Flow.Builder b = Flow.builder("observed");
        TaskHandle<String> a = b.task("a").run(() -> {
            mdcTasks.add(MDC.get("task") + "@" + MDC.get("flow"));
            return "x";
        });
        b.task("b").run(a, v -> {
            mdcTasks.add(MDC.get("task") + "@" + MDC.get("flow"));
            return v + "y";
        });
        org.slf4j.spi.MDCAdapter previous = org.slf4j.TestMdc.install();
        try (FlowEngine engine = FlowEngine.builder().home(home).listener(listener).meterRegistry(registry)
                .build()) {
            engine.run(b.build());
        } finally {
            org.slf4j.TestMdc.restore(previous);
        }
        assertThat(events).containsExactly("flowStarted", "ok:a", "ok:b", "finished:COMPLETED");
        assertThat(mdcTasks).containsExactly("a@observed", "b@observed");
        assertThat(progress).extracting(Progress::finished).containsExactly(1, 2);
        assertThat(progress.get(1).fraction()).isEqualTo(1.0);
        assertThat(registry.get("mlops.flow.task.duration").tag("task", "b").tag("state", "COMPLETED").functionTimer()
                .count()).isEqualTo(1);
        assertThat(registry.get("mlops.flow.runs").tag("state", "COMPLETED").counter().count()).isEqualTo(1.0);
    }

    @Test
    void secondEngineOnTheSameHome_isRefused() {
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThatThrownBy(() -> FlowEngine.builder().home(home).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another engine");
        }
        FlowEngine.builder().home(home).build().close(); // free again after close
    }

    @Test
    void wideFlow_ofManyTasks_completesWithEveryValue() {
        Flow.Builder b = Flow.builder("wide");
        TaskHandle<Long> root = b.task("root").run(() -> 1L);
        List<TaskHandle<Long>> leaves = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long k = i;
            leaves.add(b.task("leaf" + i).run(root, r -> r + k));
        }
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(flow);
            long sum = 0;
            for (TaskHandle<Long> leaf : leaves) {
                sum += r.value(leaf).orElseThrow();
            }
            // sum over i of (1 + i) for i in 0..1999 = 2000 + 1999*2000/2
            assertThat(sum).isEqualTo(2000L + 1999L * 2000L / 2);
        }
    }
}
