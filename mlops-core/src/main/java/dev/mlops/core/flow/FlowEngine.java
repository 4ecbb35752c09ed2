package dev.mlops.core.flow;

import dev.mlops.core.Fingerprint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Runs {@link Flow}s in-process: independent tasks in parallel on an executor, with per-task retries,
 * timeouts and caching, and a durable run history in one home directory. Thread-safe; one engine may run
 * many flows at once. Close it to release the home directory (only one engine may hold it at a time).
 *
 * <pre>{@code
 * try (FlowEngine engine = FlowEngine.builder().home(Path.of("flows")).build()) {
 *     FlowResult<Double> result = engine.run(flow, FlowParams.of().with(csv, Path.of("data.csv")));
 *     double accuracy = result.get(); // throws FlowFailedException with the root cause if a task failed
 * }
 * }</pre>
 *
 * <p><b>Home directory.</b> {@code history.journal} (the run history), {@code cache/entries.pack} (persisted
 * task results), {@code schedules.json} (schedule state) and {@code engine.lock}. See {@code docs/flows.md} for the exact semantics of states, retries,
 * timeouts, caching and history.
 *
 * <p><b>Meters</b> (all tagged {@code flow}): {@code mlops.flow.runs} (counter, tag {@code state}),
 * {@code mlops.flow.task.duration} (timer, tags {@code task}, {@code state}), {@code mlops.flow.task.retries}
 * (counter, tag {@code task}), {@code mlops.flow.task.cache} (counter, tags {@code task},
 * {@code result}=hit|miss|disabled), {@code mlops.flow.task.timeouts} (counter, tag {@code task}); and
 * untagged {@code mlops.flow.threads.abandoned} (gauge: threads still inside a timed-out or cancelled
 * attempt) and {@code mlops.flow.history.dropped} (gauge: task records the history dropped because the disk
 * was full).
 */
public interface FlowEngine extends AutoCloseable {

    /** Starts configuring an engine. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a run and returns at once.
     *
     * @throws FlowDefinitionException if {@code params} do not fit the flow (unknown, missing, wrong type,
     *                                 rule broken): nothing has run and nothing was recorded
     * @throws IllegalStateException   if the engine is closed
     */
    <R> FlowExecution<R> submit(Flow<R> flow, FlowParams params);

    /**
     * Runs the flow and waits for it. If the calling thread is interrupted while waiting, the run is
     * cancelled, the interrupt flag is restored and the CANCELLED result returned.
     */
    default <R> FlowResult<R> run(Flow<R> flow, FlowParams params) {
        FlowExecution<R> execution = submit(flow, params);
        try {
            return execution.await();
        } catch (InterruptedException e) {
            execution.cancel();
            FlowResult<R> result = execution.result().join();
            Thread.currentThread().interrupt();
            return result;
        }
    }

    /** Runs a flow that has no parameters, or whose parameters all have defaults. */
    default <R> FlowResult<R> run(Flow<R> flow) {
        return run(flow, FlowParams.of());
    }

    /**
     * Runs {@code flow} with {@code params} on {@code schedule} until cancelled or the engine closes. Ticks
     * are computed from the engine's clock and waited for on its {@link DelayScheduler}. The schedule's id is
     * {@code "<flow name> <schedule>"}; see {@link #schedule(String, Flow, FlowParams, Schedule)} for how it
     * is persisted and resumed after a restart.
     *
     * @throws FlowDefinitionException if {@code params} do not fit the flow
     */
    default ScheduledFlow schedule(Flow<?> flow, FlowParams params, Schedule schedule) {
        return schedule(flow.name() + " " + schedule, flow, params, schedule);
    }

    /**
     * Runs {@code flow} on {@code schedule} under {@code id}. The schedule's anchor (intervals count from it)
     * and the last tick it handled are persisted in the home directory ({@code schedules.json}), so after a
     * restart, scheduling the same id again with the same timing resumes it: ticks that fell while no engine
     * ran are missed ticks, handled by the schedule's catch-up policy at once. With another flow or timing
     * the id starts afresh. The tick's state is saved before its runs start: a crash replays no tick.
     *
     * @throws FlowDefinitionException if {@code params} do not fit the flow
     * @throws IllegalStateException   if a schedule with this id is already running in this engine
     * @throws dev.mlops.core.ResourceUnavailableException if the new schedule cannot be persisted
     */
    ScheduledFlow schedule(String id, Flow<?> flow, FlowParams params, Schedule schedule);

    /**
     * A trigger that starts {@code flow} when fired, with {@code defaults} overridden by the parameters
     * given to {@code fire}. With {@code allowOverlap} false it declines (returns empty) while its previous
     * run is still going.
     */
    dev.mlops.core.spi.FlowTrigger trigger(Flow<?> flow, FlowParams defaults, boolean allowOverlap);

    /** The durable history of runs in this engine's home. */
    RunHistory history();

    /** Cancels running flows, flushes the history and releases the home directory and owned threads. */
    @Override
    void close();

    /** Configures a {@link FlowEngine}. */
    final class Builder {

        Path home;
        Executor executor;
        int maxConcurrency = Runtime.getRuntime().availableProcessors();
        final Map<String, Integer> tagLimits = new LinkedHashMap<>();
        Clock clock = Clock.systemUTC();
        DelayScheduler scheduler;
        MeterRegistry meterRegistry;
        FlowListener listener = FlowListener.NONE;
        RandomGenerator random;
        final Map<Class<?>, Function<Object, Fingerprint>> fingerprinters = new LinkedHashMap<>();
        int memoryCacheEntries = 100_000;
        int historyKeepRuns = Integer.MAX_VALUE;
        java.time.Duration historyMaxAge;
        dev.mlops.core.spi.RunTracker runTracker = dev.mlops.core.spi.RunTracker.noop();

        private Builder() {
        }

        /** The home directory (created if missing); required. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * Runs task attempts on {@code executor} (not closed by the engine). Default: an engine-owned pool of
         * daemon threads that grows as needed; parallelism is bounded by {@link #maxConcurrency}, so a thread
         * stuck in an attempt that ignores interruption never starves other tasks. With a fixed-size pool of
         * your own, such a thread is lost to the pool until the attempt returns.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The most tasks of one flow run running at once; default: the number of processors. */
        public Builder maxConcurrency(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + max);
            }
            this.maxConcurrency = max;
            return this;
        }

        /** The most tasks tagged {@code tag} running at once within one flow run. */
        public Builder tagLimit(String tag, int max) {
            Flow.checkName(tag, "tag");
            if (max < 1) {
                throw new IllegalArgumentException("tagLimit for '" + tag + "' must be >= 1, got " + max);
            }
            tagLimits.put(tag, max);
            return this;
        }

        /** The clock for run timestamps and cache expiry; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs retry delays and timeouts; default: one engine-owned daemon thread. */
        public Builder scheduler(DelayScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Lifecycle hooks; default {@link FlowListener#NONE}. */
        public Builder listener(FlowListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The source of retry jitter; default a {@link SplittableRandom}. Access is serialized. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How to fingerprint inputs of {@code type} (and subtypes) for cache keys. */
        @SuppressWarnings("unchecked")
        public <T> Builder fingerprinter(Class<T> type, Function<? super T, Fingerprint> fingerprinter) {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(fingerprinter, "fingerprinter");
            fingerprinters.put(type, v -> fingerprinter.apply((T) v));
            return this;
        }

        /** Where {@linkplain Flow.Builder#tracked tracked} flows open their runs; default {@code RunTracker.noop()}. */
        public Builder runTracker(dev.mlops.core.spi.RunTracker tracker) {
            this.runTracker = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /** How many deserialized results the cache keeps in memory in front of its files; default 100,000. */
        public Builder memoryCacheEntries(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("memoryCacheEntries must be >= 0, got " + entries);
            }
            this.memoryCacheEntries = entries;
            return this;
        }

        /**
         * Keeps only the last {@code runs} finished runs of each flow (by start time) in the run history; older
         * ones are dropped when the journal is compacted: at open, and whenever it has doubled since the last
         * compaction (and is at least 1 MiB). Running runs are always kept. Default: every run.
         */
        public Builder historyKeepRuns(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("historyKeepRuns must be >= 1, got " + runs);
            }
            this.historyKeepRuns = runs;
            return this;
        }

        /**
         * Drops finished runs that ended more than {@code maxAge} ago (by the engine's clock) from the run
         * history, when the journal is compacted (see {@link #historyKeepRuns}). Default: none expire.
         */
        public Builder historyMaxAge(java.time.Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("historyMaxAge must be positive, got " + maxAge);
            }
            this.historyMaxAge = maxAge;
            return this;
        }

        /**
         * Opens the engine on its home directory, recording runs left unfinished by a crashed process as
         * CRASHED.
         *
         * @throws IllegalStateException if no home was given, or another engine holds the home
         * @throws dev.mlops.core.StoreCorruptedException if the history is damaged beyond a torn tail
         */
        public FlowEngine build() {
            if (home == null) {
                throw new IllegalStateException("FlowEngine needs a home directory for its history and cache. "
                        + "Fix: call home(path)");
            }
            return new Engine(this);
        }
    }
}
