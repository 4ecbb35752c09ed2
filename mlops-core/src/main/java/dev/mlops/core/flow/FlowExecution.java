package dev.mlops.core.flow;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A flow run in progress, returned by {@link FlowEngine#submit}.
 *
 * @param <R> the flow result type
 */
public interface FlowExecution<R> {

    /** The run id, also the key of its history record. */
    String runId();

    /** Completes with the result when every task reached a final state; never completes exceptionally. */
    CompletableFuture<FlowResult<R>> result();

    /** Waits for the result. */
    FlowResult<R> await() throws InterruptedException;

    /** Waits at most {@code timeout}; null if the run has not finished by then. */
    FlowResult<R> await(Duration timeout) throws InterruptedException;

    /**
     * Cancels the run: tasks not yet started end CANCELLED, running attempts are interrupted and abandoned
     * (CANCELLED), and the run ends CANCELLED at once. Does nothing once the run has finished.
     */
    void cancel();

    /** Counts of tasks by state right now. */
    Progress progress();
}
