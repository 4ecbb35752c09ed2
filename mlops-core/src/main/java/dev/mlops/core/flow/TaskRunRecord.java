package dev.mlops.core.flow;

import java.time.Instant;

/**
 * What happened to one task in one flow run, as kept in the run history.
 *
 * @param flowRunId the flow run
 * @param task      the task name
 * @param state     its final state
 * @param attempts  attempts started (0 for CACHED and NOT_RUN)
 * @param start     when it started (first attempt or cache lookup), or null if it never did
 * @param end       when it reached its final state
 * @param error     the last error as {@code class: message}, or null
 * @param cacheKey  the cache key as {@code sha256:...}, or null if the task is not cached or the key could
 *                  not be computed
 * @param cacheNote why the cache was not used or not written (fail-closed reasons), or null
 */
public record TaskRunRecord(String flowRunId, String task, TaskState state, int attempts, Instant start,
        Instant end, String error, String cacheKey, String cacheNote) {
}
