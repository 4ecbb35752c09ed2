package dev.mlops.core.flow;

import dev.mlops.core.MlopsException;
import java.io.Serial;

/**
 * A flow run did not complete: a task failed (the root cause is the cause of this exception) or the run
 * was cancelled. Retriable exactly when the root cause is.
 */
public class FlowFailedException extends MlopsException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final String task;
    private final FlowState state;

    public FlowFailedException(String flow, String runId, FlowState state, String task, Throwable cause) {
        super("flow '" + flow + "' run " + runId + " ended " + state
                + (task == null ? "" : ": task '" + task + "' failed: " + cause), cause);
        this.runId = runId;
        this.task = task;
        this.state = state;
    }

    /** The run id. */
    public String runId() {
        return runId;
    }

    /** The failed task that caused it, or null for a cancelled run. */
    public String task() {
        return task;
    }

    /** FAILED or CANCELLED. */
    public FlowState state() {
        return state;
    }

    @Override
    public boolean retriable() {
        return getCause() instanceof MlopsException m ? m.retriable() : state == FlowState.FAILED
                && getCause() != null && !(getCause() instanceof Error);
    }
}
