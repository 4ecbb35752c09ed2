package dev.mlops.core.flow;

/** The state of one task in a flow run, as in Prefect. */
public enum TaskState {
    /** Waiting for its inputs or a free slot. */
    PENDING,
    /** An attempt is running. */
    RUNNING,
    /** Finished with a value computed by this run. */
    COMPLETED,
    /** Finished with a value read from the cache. */
    CACHED,
    /** An attempt failed and another is scheduled after a delay. */
    RETRYING,
    /** The last attempt failed (threw, timed out, or returned null); the error is recorded. */
    FAILED,
    /** The run was cancelled before the task finished. */
    CANCELLED,
    /** Never started because an upstream task failed or was not run. */
    NOT_RUN;

    /** Whether the state is final. */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING && this != RETRYING;
    }
}
