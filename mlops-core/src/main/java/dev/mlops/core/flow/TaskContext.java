package dev.mlops.core.flow;

import dev.mlops.core.spi.TrackedRun;
import java.util.Optional;

/**
 * What a running task body may ask about itself: its flow run, its attempt, and the tracking run the flow
 * opened (see {@link Flow.Builder#tracked(String)}). Available through {@link #current()} on the thread
 * that runs the body, for the duration of the attempt.
 *
 * <pre>{@code
 * b.task("evaluate").run(model, test, (m, t) -> {
 *     Metrics metrics = evaluate(m, t);
 *     TaskContext.current().trackedRun().ifPresent(run -> run.logMetric("accuracy", metrics.accuracy()));
 *     return metrics;
 * });
 * }</pre>
 */
public final class TaskContext {

    private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

    private final String flow;
    private final String flowRunId;
    private final String task;
    private final int attempt;
    private final TrackedRun trackedRun;

    TaskContext(String flow, String flowRunId, String task, int attempt, TrackedRun trackedRun) {
        this.flow = flow;
        this.flowRunId = flowRunId;
        this.task = task;
        this.attempt = attempt;
        this.trackedRun = trackedRun;
    }

    /**
     * The context of the task running on this thread.
     *
     * @throws IllegalStateException outside a task body
     */
    public static TaskContext current() {
        TaskContext c = CURRENT.get();
        if (c == null) {
            throw new IllegalStateException("TaskContext.current() was called outside a flow task body; it is only "
                    + "available on the thread running a task");
        }
        return c;
    }

    static void set(TaskContext c) {
        CURRENT.set(c);
    }

    static void clear() {
        CURRENT.remove();
    }

    public String flowName() {
        return flow;
    }

    public String flowRunId() {
        return flowRunId;
    }

    public String taskName() {
        return task;
    }

    /** The attempt number, 1 for the first. */
    public int attempt() {
        return attempt;
    }

    /** The tracking run of this flow run, if the flow is {@linkplain Flow.Builder#tracked tracked}. */
    public Optional<TrackedRun> trackedRun() {
        return Optional.ofNullable(trackedRun);
    }
}
