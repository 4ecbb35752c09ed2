package dev.mlops.core.flow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Queries over the durable history of flow and task runs kept in the engine's home directory. */
public interface RunHistory {

    /** The run with this id. */
    Optional<FlowRunRecord> run(String runId);

    /** The last {@code n} runs of {@code flow}, newest first (by start time, then record order). */
    List<FlowRunRecord> lastRuns(String flow, int n);

    /** The last {@code n} runs of any flow, newest first (by start time, then record order). */
    List<FlowRunRecord> recentRuns(int n);

    /** Runs of any flow that ended FAILED or CRASHED and started at or after {@code since}, newest first. */
    List<FlowRunRecord> failedSince(Instant since);
}
