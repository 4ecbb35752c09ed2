package dev.mlops.core.flow;

import java.time.Duration;

/**
 * Lifecycle hooks of flow and task runs. Every method defaults to doing nothing; override what you need.
 * Called on engine threads, possibly concurrently; must be fast and must not throw (an exception is
 * logged and ignored).
 */
public interface FlowListener {

    /** A listener that does nothing. */
    FlowListener NONE = new FlowListener() {
    };

    default void flowStarted(String flow, String runId) {
    }

    default void flowFinished(FlowResult<?> result) {
    }

    default void taskStarted(String flow, String runId, String task, int attempt) {
    }

    default void taskSucceeded(String flow, String runId, String task, int attempt) {
    }

    default void taskCacheHit(String flow, String runId, String task, String cacheKey) {
    }

    default void taskRetrying(String flow, String runId, String task, int failedAttempt, Duration delay,
            Throwable error) {
    }

    default void taskFailed(String flow, String runId, String task, int attempt, Throwable error) {
    }

    /** A task reached a final state; {@code progress} counts the run's tasks by state. */
    default void progress(String flow, String runId, Progress progress) {
    }
}
