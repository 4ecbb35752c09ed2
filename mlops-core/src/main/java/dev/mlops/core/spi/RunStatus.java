package dev.mlops.core.spi;

/** The lifecycle state of a {@link TrackedRun}. Every run starts {@link #RUNNING} and ends exactly once. */
public enum RunStatus {
    /** Started and not yet ended; the only state in which a run accepts params, metrics and artifacts. */
    RUNNING,
    /** Ended normally, by {@link TrackedRun#close()} or {@code end(FINISHED)}. */
    FINISHED,
    /** Ended by its caller after an error. */
    FAILED,
    /** Ended from outside: cancelled, interrupted, or found abandoned by the tracker. */
    KILLED;

    /** Whether this is an end state, that is anything but {@link #RUNNING}. */
    public boolean terminal() {
        return this != RUNNING;
    }
}
