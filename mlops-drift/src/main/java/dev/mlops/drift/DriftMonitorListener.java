package dev.mlops.drift;

import java.time.Instant;
import java.util.Optional;

/**
 * Events of a {@link DriftMonitor}. Called on the thread that ran the check (the monitor's scheduler or the
 * caller of {@link DriftMonitor#checkWindowEndingAt}), one check at a time; methods should return quickly.
 * All default to doing nothing.
 */
public interface DriftMonitorListener {

    /** A listener that ignores every event. */
    DriftMonitorListener NONE = new DriftMonitorListener() {
    };

    /** A window was checked (or skipped); called for every window, after {@link #drift}. */
    default void windowChecked(MonitorResult result) {
    }

    /** A checked window drifted; called for every drifting window, whether or not it fired the trigger. */
    default void drift(MonitorResult result) {
    }

    /** The retraining trigger was fired for {@code result}; {@code runId} is empty if the trigger declined. */
    default void retrainingTriggered(MonitorResult result, Optional<String> runId) {
    }

    /**
     * A scheduled check of the window ending at {@code windowEnd} failed (bad records, a failing log or
     * trigger); the schedule goes on with the next window.
     */
    default void checkFailed(Instant windowEnd, RuntimeException error) {
    }
}
