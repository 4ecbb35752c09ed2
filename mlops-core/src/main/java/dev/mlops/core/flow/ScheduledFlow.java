package dev.mlops.core.flow;

import java.time.Instant;
import java.util.List;

/** A flow running on a {@link Schedule}, returned by {@link FlowEngine#schedule}. */
public interface ScheduledFlow {

    /** The next tick it will wake up for, or null once cancelled. */
    Instant nextTick();

    /** Ids of the runs it started, oldest first. */
    List<String> runIds();

    /** Ticks skipped because the previous run was still going (overlap not allowed) or by catch-up. */
    int skipped();

    /** Stops future ticks; runs already started go on. */
    void cancel();
}
