package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.spi.RunTracker;
import dev.mlops.core.spi.TrackedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackingTest {

    @TempDir
    Path home;

    /** Keeps what it is given. */
    static final class Recorder implements RunTracker {
        final List<Run> runs = new CopyOnWriteArrayList<>();

        @Override
        public TrackedRun startRun(String experiment, String runName) {
            Run r = new Run(experiment + "/" + runName);
            runs.add(r);
            return r;
        }
    }

    static final class Run implements TrackedRun {
        final String id;
        final Map<String, String> params = new ConcurrentHashMap<>();
        final Map<String, String> tags = new ConcurrentHashMap<>();
        final Map<String, Double> metrics = new ConcurrentHashMap<>();
        final Map<String, Fingerprint> datasets = new ConcurrentHashMap<>();
        final List<Run> children = new CopyOnWriteArrayList<>();
        volatile RunStatus status = RunStatus.RUNNING;

        Run(String id) {
            this.id = id;
        }

        @Override
        public String runId() {
            return id;
        }

        @Override
        public RunStatus status() {
            return status;
        }

        @Override
        public void logParam(String key, String value) {
            params.put(key, value);
        }

        @Override
        public void logMetric(String key, double value, long step) {
            metrics.put(key, value);
        }

        @Override
        public void setTag(String key, String value) {
            tags.put(key, value);
        }

        @Override
        public void logArtifact(Path fileOrDirectory, String artifactPath) {
        }

        @Override
        public void logDataset(String name, Fingerprint fingerprint) {
            datasets.put(name, fingerprint);
        }

        @Override
        public TrackedRun startChildRun(String name) {
            Run child = new Run(id + ">" + name);
            children.add(child);
            return child;
        }

        @Override
        public void end(RunStatus s) {
            status = s;
        }

        @Override
        public void close() {
            end(RunStatus.FINISHED);
        }
    }

    @Test
    void trackedFlow_opensARun_logsParamsAndDatasets_tasksLogMetrics_endsWithTheFlow() throws Exception {
        Path data = Files.writeString(home.resolve("data.csv"), "x\n1\n");
        Files.createDirectories(home.resolve("engine"));
        Recorder tracker = new Recorder();
        Flow.Builder b = Flow.builder("train").tracked("churn");
        Param<Path> file = b.param("file", Path.class);
        Param<Integer> depth = b.param("depth", Integer.class, 6);
        b.task("fit").run(file, depth, (f, d) -> {
            TaskContext ctx = TaskContext.current();
            ctx.trackedRun().orElseThrow().logMetric("accuracy", 0.91);
            return ctx.taskName() + "#" + ctx.attempt();
        });
        Flow<Void> ok = b.build();
        Flow.Builder fb = Flow.builder("broken").tracked("churn");
        fb.task("fail").run(() -> {
            throw new NonRetriableException("bad");
        });
        try (FlowEngine engine = FlowEngine.builder().home(home.resolve("engine")).runTracker(tracker).build()) {
            FlowResult<Void> r = engine.run(ok, FlowParams.of().with(file, data));
            engine.run(fb.build());
            Run run = tracker.runs.get(0);
            assertThat(run.id).isEqualTo("churn/train");
            assertThat(run.params).containsEntry("depth", "6").containsEntry("file", data.toString());
            assertThat(run.datasets).containsEntry("file", Fingerprint.of("x\n1\n"));
            assertThat(run.metrics).containsEntry("accuracy", 0.91);
            assertThat(run.tags).containsEntry("mlops.flow.runId", r.runId()).containsEntry("mlops.flow.state",
                    "COMPLETED");
            assertThat(run.status).isEqualTo(RunStatus.FINISHED);
            assertThat(tracker.runs.get(1).status).isEqualTo(RunStatus.FAILED);
        }
        assertThatThrownBy(TaskContext::current).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void subflowRuns_areChildRunsOfTheParentsTrackingRun_notTopLevelRuns() {
        Recorder tracker = new Recorder();
        Flow.Builder cb = Flow.builder("evaluate").tracked("other-experiment"); // nested anyway under a parent
        Param<Integer> x = cb.param("x", Integer.class);
        TaskHandle<Integer> doubled = cb.task("double").run(x, v -> {
            TaskContext.current().trackedRun().orElseThrow().logMetric("doubled", 2.0 * v);
            return 2 * v;
        });
        Flow<Integer> child = cb.build(doubled);
        Flow.Builder fb = Flow.builder("fails");
        fb.task("no").run(() -> {
            throw new NonRetriableException("bad child");
        });
        Flow<Void> failing = fb.build();

        Flow.Builder b = Flow.builder("train").tracked("churn");
        TaskHandle<Integer> one = b.task("one").run(() -> 21);
        TaskHandle<Integer> sub = b.task("sub").subflow(child, Bind.of(x, one));
        TaskHandle<?> bad = b.task("bad").after(sub).subflow(failing);
        Flow<Integer> parent = b.build(sub);
        try (FlowEngine engine = FlowEngine.builder().home(home).runTracker(tracker).build()) {
            FlowResult<Integer> r = engine.run(parent);
            assertThat(r.value(sub)).hasValue(42);
            assertThat(r.task(bad).state()).isEqualTo(TaskState.FAILED);
            assertThat(tracker.runs).as("only the parent is a top-level run").singleElement()
                    .satisfies(top -> assertThat(top.id).isEqualTo("churn/train"));
            Run top = tracker.runs.get(0);
            assertThat(top.children).extracting(c -> c.id)
                    .containsExactlyInAnyOrder("churn/train>evaluate", "churn/train>fails");
            Run evaluate = top.children.stream().filter(c -> c.id.endsWith("evaluate")).findFirst().orElseThrow();
            Run fails = top.children.stream().filter(c -> c.id.endsWith("fails")).findFirst().orElseThrow();
            assertThat(evaluate.metrics).containsEntry("doubled", 42.0);
            assertThat(evaluate.params).containsEntry("x", "21");
            assertThat(evaluate.status).isEqualTo(RunStatus.FINISHED);
            assertThat(fails.status).isEqualTo(RunStatus.FAILED);
            FlowRunRecord childRecord = engine.history().lastRuns("evaluate", 1).get(0);
            assertThat(childRecord.parentRunId()).isEqualTo(r.runId());
            assertThat(evaluate.tags).containsEntry("mlops.flow.runId", childRecord.runId())
                    .containsEntry("mlops.flow.parentRunId", r.runId());
            assertThat(top.status).isEqualTo(RunStatus.FAILED);
        }
    }

    @Test
    void trackerThatFails_doesNotStopTheFlow() {
        RunTracker down = (experiment, name) -> {
            throw new dev.mlops.core.ResourceUnavailableException("tracker", "connection refused");
        };
        Flow.Builder b = Flow.builder("f").tracked("exp");
        b.task("t").run(() -> TaskContext.current().trackedRun().isPresent());
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).runTracker(down).build()) {
            FlowResult<Void> r = engine.run(flow);
            assertThat(r.state()).isEqualTo(FlowState.COMPLETED);
        }
    }
}
