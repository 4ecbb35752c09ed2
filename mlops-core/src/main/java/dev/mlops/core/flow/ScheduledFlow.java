package dev.mlops.core.flow;

import java.time.Instant;
import java.util.List;

/** A flow running on a {@link Schedule}, returned by {@link FlowEngine#schedule}. */
public interface ScheduledFlow {

    /** The schedule's id, under which its state is persisted in the engine's home. */
    String id();

    /** The next tick it will wake up for, or null once cancelled. */
    Instant nextTick();

    /** Ids of the runs it started, oldest first. */
    List<String> runIds();

    /** Ticks skipped because the previous run was still going (overlap not allowed) or by catch-up. */
    int skipped();

    /**
     * Stops future ticks and forgets the schedule's persisted state (a later {@code schedule} with the same
     * id starts afresh); runs already started go on. Closing the engine instead keeps the state, so the
     * schedule resumes where it was when the host schedules it again.
     */
    void cancel();
}
