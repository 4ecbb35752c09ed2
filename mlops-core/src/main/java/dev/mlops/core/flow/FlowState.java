package dev.mlops.core.flow;

/** The state of a flow run. */
public enum FlowState {
    /** Started and not finished. */
    RUNNING,
    /** Every task finished COMPLETED or CACHED. */
    COMPLETED,
    /** At least one task FAILED (the others that could run did). */
    FAILED,
    /** {@link FlowExecution#cancel()} was called before the run finished. */
    CANCELLED,
    /** The process died while the run was going: found unfinished when the history was reopened. */
    CRASHED
}
