package dev.mlops.core.flow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ScheduledFlow} implementation: wakes up on the engine's DelayScheduler and clock. */
final class Scheduled implements ScheduledFlow {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduled.class);

    private final Engine engine;
    private final String id;
    private final Flow<?> flow;
    private final FlowParams params;
    private final Schedule schedule;
    private final Instant anchor;
    private final List<String> runIds = new ArrayList<>();
    private Instant lastHandled;
    private Instant next;
    private DelayScheduler.Cancellable timer;
    private int active;
    private int queued;
    private int skipped;
    private boolean cancelled;

    Scheduled(Engine engine, String id, Flow<?> flow, FlowParams params, Schedule schedule, Instant anchor,
            Instant lastHandled) {
        this.engine = engine;
        this.id = id;
        this.flow = flow;
        this.params = params;
        this.schedule = schedule;
        this.anchor = anchor;
        this.lastHandled = lastHandled;
    }

    @Override
    public String id() {
        return id;
    }

    synchronized void start() {
        arm();
    }

    /** Caller holds the lock. */
    private void arm() {
        if (cancelled) {
            return;
        }
        next = schedule.next(anchor, lastHandled);
        Duration delay = Duration.between(engine.clock.instant(), next);
        timer = engine.scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, this::wake);
    }

    private void wake() {
        int toStart = 0;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            Instant now = engine.clock.instant();
            List<Instant> due = new ArrayList<>();
            for (Instant t = schedule.next(anchor, lastHandled); !t.isAfter(now) && due.size() < Schedule.MAX_CATCH_UP;
                    t = schedule.next(anchor, t)) {
                due.add(t);
            }
            if (!due.isEmpty()) {
                lastHandled = due.get(due.size() - 1);
                persist(); // before the runs start: a crash after this point does not replay these ticks
                int wanted = due.size();
                if (schedule.catchUpPolicy() == Schedule.CatchUp.SKIP_MISSED && wanted > 1) {
                    skipped += wanted - 1;
                    wanted = 1;
                }
                if (schedule.overlapAllowed()) {
                    toStart = wanted;
                } else if (schedule.catchUpPolicy() == Schedule.CatchUp.RUN_ALL) {
                    queued += wanted;
                    if (active == 0) {
                        queued--;
                        toStart = 1;
                    }
                } else if (active == 0) {
                    toStart = 1;
                } else {
                    skipped++;
                    LOG.info("schedule of flow '{}': tick {} skipped, the previous run is still going", flow.name(),
                            lastHandled);
                }
            }
            arm();
        }
        for (int k = 0; k < toStart; k++) {
            launch();
        }
    }

    private void launch() {
        FlowExecution<?> execution;
        synchronized (this) {
            active++;
        }
        try {
            execution = engine.submit(flow, params);
        } catch (RuntimeException e) {
            synchronized (this) {
                active--;
            }
            LOG.error("schedule of flow '{}': could not start a run", flow.name(), e);
            return;
        }
        synchronized (this) {
            runIds.add(execution.runId());
        }
        execution.result().whenComplete((r, e) -> {
            boolean more;
            synchronized (this) {
                active--;
                more = queued > 0 && !cancelled;
                if (more) {
                    queued--;
                }
            }
            if (more) {
                launch();
            }
        });
    }

    @Override
    public synchronized Instant nextTick() {
        return cancelled ? null : next;
    }

    @Override
    public synchronized List<String> runIds() {
        return List.copyOf(runIds);
    }

    @Override
    public synchronized int skipped() {
        return skipped;
    }

    /** Caller holds the lock. */
    private void persist() {
        try {
            engine.scheduleStore.put(new ScheduleStore.State(id, flow.name(), schedule.timing(), anchor,
                    lastHandled));
        } catch (RuntimeException e) {
            LOG.error("schedule '{}' of flow '{}': its last handled tick {} could not be persisted; after a restart "
                    + "the ticks since the previous save are treated as missed", id, flow.name(), lastHandled, e);
        }
    }

    @Override
    public void cancel() {
        stop();
        engine.unschedule(this);
        try {
            engine.scheduleStore.remove(id);
        } catch (RuntimeException e) {
            LOG.error("schedule '{}' of flow '{}': cancelled, but its persisted state could not be removed", id,
                    flow.name(), e);
        }
    }

    /** Stops ticking and keeps the persisted state (the engine is closing). */
    synchronized void stop() {
        cancelled = true;
        if (timer != null) {
            timer.cancel();
        }
    }
}
