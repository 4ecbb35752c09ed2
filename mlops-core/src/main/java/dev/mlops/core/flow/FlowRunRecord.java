package dev.mlops.core.flow;

import java.time.Instant;
import java.util.List;

/**
 * One flow run as kept in the run history.
 *
 * @param runId       the run id
 * @param flow        the flow name
 * @param parentRunId the run of the parent flow if this ran as a subflow, else null
 * @param state       RUNNING while going, then its final state; CRASHED if the process died
 * @param start       start time
 * @param end         end time, or null while running
 * @param error       the root cause as {@code task 'x': class: message}, or null
 * @param tasks       the task runs recorded so far, in the order they finished
 */
public record FlowRunRecord(String runId, String flow, String parentRunId, FlowState state, Instant start,
        Instant end, String error, List<TaskRunRecord> tasks) {

    public FlowRunRecord {
        tasks = List.copyOf(tasks);
    }
}
