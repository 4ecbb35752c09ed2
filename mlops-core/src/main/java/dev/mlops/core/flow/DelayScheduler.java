package dev.mlops.core.flow;

import java.time.Duration;

/**
 * Runs an action after a delay: retry backoff and timeouts go through it, so tests inject a manual one
 * and never sleep. {@link FlowEngine.Builder} defaults to a single daemon thread owned by the engine.
 */
public interface DelayScheduler {

    /** Runs {@code action} once after {@code delay}; the returned handle cancels it if not yet run. */
    Cancellable schedule(Duration delay, Runnable action);

    /** A scheduled action. */
    @FunctionalInterface
    interface Cancellable {
        /** Prevents the action from running if it has not started; does nothing otherwise. */
        void cancel();
    }
}
