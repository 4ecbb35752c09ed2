package dev.mlops.core.flow;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a finished flow run: its state, the record of every task, the typed value of any task
 * that finished, and the root cause of a failure.
 *
 * @param <R> the flow result type
 */
public final class FlowResult<R> {

    private final Flow<R> flow;
    private final String runId;
    private final FlowState state;
    private final Instant start;
    private final Instant end;
    private final Object[] values;
    private final TaskRunRecord[] tasks;
    private final int rootTask;
    private final Throwable rootCause;

    FlowResult(Flow<R> flow, String runId, FlowState state, Instant start, Instant end, Object[] values,
            TaskRunRecord[] tasks, int rootTask, Throwable rootCause) {
        this.flow = flow;
        this.runId = runId;
        this.state = state;
        this.start = start;
        this.end = end;
        this.values = values;
        this.tasks = tasks;
        this.rootTask = rootTask;
        this.rootCause = rootCause;
    }

    public String flowName() {
        return flow.name;
    }

    public String runId() {
        return runId;
    }

    public FlowState state() {
        return state;
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return end;
    }

    /** Whether the run ended COMPLETED. */
    public boolean succeeded() {
        return state == FlowState.COMPLETED;
    }

    /**
     * The flow's result value.
     *
     * @throws FlowFailedException   if the run did not complete, with the root cause as its cause
     * @throws IllegalStateException if the flow was built without an output
     */
    @SuppressWarnings("unchecked")
    public R get() {
        if (state != FlowState.COMPLETED) {
            throw failure();
        }
        if (flow.output < 0) {
            throw new IllegalStateException("flow '" + flow.name + "' has no output; build it with build(handle)");
        }
        return (R) values[flow.output];
    }

    /** The value of a task that finished COMPLETED or CACHED, or empty. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> value(TaskHandle<T> task) {
        check(task);
        return Optional.ofNullable((T) values[task.index]);
    }

    /** The record of a task of this flow. */
    public TaskRunRecord task(TaskHandle<?> task) {
        check(task);
        return tasks[task.index];
    }

    /** The record of the named task. */
    public TaskRunRecord task(String name) {
        for (TaskRunRecord r : tasks) {
            if (r.task().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("flow '" + flow.name + "' has no task '" + name + "'; tasks are "
                + flow.taskNames());
    }

    /** Every task record, in declaration order. */
    public List<TaskRunRecord> tasks() {
        return Arrays.asList(tasks.clone());
    }

    /** The first task that failed (by the time it failed), or empty. */
    public Optional<String> failedTask() {
        return rootTask < 0 ? Optional.empty() : Optional.of(flow.nodes[rootTask].name);
    }

    /** The error of {@link #failedTask()}, or empty. */
    public Optional<Throwable> rootCause() {
        return Optional.ofNullable(rootCause);
    }

    /** The exception {@link #get()} throws for a run that did not complete. */
    public FlowFailedException failure() {
        if (state == FlowState.COMPLETED) {
            throw new IllegalStateException("flow run " + runId + " completed; there is no failure");
        }
        return new FlowFailedException(flow.name, runId, state, failedTask().orElse(null), rootCause);
    }

    private void check(TaskHandle<?> task) {
        Objects.requireNonNull(task, "task");
        if (task.owner != flow.owner) {
            throw new IllegalArgumentException(task + " is not a task of flow '" + flow.name + "'");
        }
    }

    @Override
    public String toString() {
        return "FlowResult[" + flow.name + " " + runId + " " + state
                + failedTask().map(t -> ", failed task '" + t + "': " + rootCause).orElse("") + "]";
    }
}
