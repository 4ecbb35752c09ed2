package dev.mlops.core.flow;

import dev.mlops.core.ResourceUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/** The {@link FlowEngine} implementation. */
final class Engine implements FlowEngine {

    final Path home;
    final Executor executor;
    private final ExecutorService ownedExecutor;
    final int maxConcurrency;
    final Map<String, Integer> tagLimits;
    final Clock clock;
    final DelayScheduler scheduler;
    private final ScheduledExecutorService ownedScheduler;
    final MeterRegistry meters;
    final FlowListener listener;
    private final RandomGenerator random;
    final Fingerprints fingerprints;
    final CacheStore cache;
    final Journal journal;
    final ScheduleStore scheduleStore;
    private final FileChannel lockChannel;
    private final FileLock lock;
    final AtomicInteger abandoned = new AtomicInteger();
    final dev.mlops.core.spi.RunTracker runTracker;
    private final Set<Execution<?>> running = ConcurrentHashMap.newKeySet();
    private final Set<Scheduled> schedules = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Flow<?>, FlowMeters> flowMeters = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Engine(FlowEngine.Builder b) {
        this.home = b.home;
        this.maxConcurrency = b.maxConcurrency;
        this.tagLimits = Map.copyOf(b.tagLimits);
        this.clock = b.clock;
        this.meters = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
        this.listener = b.listener;
        this.random = b.random != null ? b.random : new SplittableRandom();
        this.fingerprints = new Fingerprints(b.fingerprinters);
        this.runTracker = b.runTracker;
        try {
            Files.createDirectories(home);
            lockChannel = FileChannel.open(home.resolve("engine.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "cannot create the flow engine home ("
                    + e + ")", e);
        }
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            acquired = null;
        }
        if (acquired == null) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("flow engine home '" + home + "' is in use by another engine (in this "
                    + "or another process). Fix: close that engine first, or give this one its own home");
        }
        this.lock = acquired;
        ScheduledThreadPoolExecutor internal = new ScheduledThreadPoolExecutor(1, daemon("mlops-flow-timer"));
        internal.setRemoveOnCancelPolicy(true);
        this.ownedScheduler = internal;
        this.scheduler = b.scheduler != null ? b.scheduler : (delay, action) -> {
            var f = internal.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
        if (b.executor != null) {
            this.executor = b.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newCachedThreadPool(daemon("mlops-flow-worker"));
            this.executor = ownedExecutor;
        }
        try {
            this.journal = new Journal(home, clock, internal, b.historyKeepRuns, b.historyMaxAge);
        } catch (RuntimeException e) {
            shutdownOwned();
            releaseLock();
            throw e;
        }
        CacheStore openedCache = null;
        try {
            openedCache = new CacheStore(home.resolve("cache"), b.memoryCacheEntries);
            this.scheduleStore = new ScheduleStore(home);
        } catch (RuntimeException e) {
            if (openedCache != null) {
                openedCache.close();
            }
            journal.close();
            shutdownOwned();
            releaseLock();
            throw e;
        }
        this.cache = openedCache;
        Gauge.builder("mlops.flow.threads.abandoned", abandoned, AtomicInteger::get)
                .description("threads still inside a timed-out or cancelled task attempt")
                .register(meters);
        Gauge.builder("mlops.flow.history.dropped", journal, Journal::lostRecords)
                .description("task records the run history dropped because the disk was full")
                .register(meters);
    }

    @Override
    public <R> FlowExecution<R> submit(Flow<R> flow, FlowParams params) {
        return start(flow, params, null);
    }

    /** Starts a run; {@code parent} is the run a subflow task belongs to, or null for a top-level run. */
    <R> Execution<R> start(Flow<R> flow, FlowParams params, Execution<?> parent) {
        if (closed) {
            throw new IllegalStateException("the flow engine on '" + home + "' is closed");
        }
        Object[] values = params.resolve(flow);
        Execution<R> execution = new Execution<>(this, flow, values, UUID.randomUUID().toString(), parent);
        running.add(execution);
        try {
            execution.start();
        } catch (RuntimeException e) {
            running.remove(execution); // its start could not be recorded (a full disk): nothing ran
            throw e;
        }
        return execution;
    }

    @Override
    public ScheduledFlow schedule(String id, Flow<?> flow, FlowParams params, Schedule schedule) {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(schedule, "schedule");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a schedule id must not be blank");
        }
        if (closed) {
            throw new IllegalStateException("the flow engine on '" + home + "' is closed");
        }
        params.resolve(flow); // fail now, not at the first tick
        synchronized (schedules) {
            for (Scheduled s : schedules) {
                if (s.id().equals(id)) {
                    throw new IllegalStateException("schedule '" + id + "' is already running in this engine. Fix: "
                            + "cancel it first, or give the new one its own id with schedule(id, flow, params, "
                            + "schedule)");
                }
            }
            ScheduleStore.State saved = scheduleStore.get(id);
            Instant now = clock.instant();
            ScheduleStore.State state;
            if (saved != null && saved.flow().equals(flow.name()) && saved.schedule().equals(schedule.timing())) {
                state = saved;
                org.slf4j.LoggerFactory.getLogger(Engine.class).info("schedule '{}' of flow '{}' resumes: anchored "
                        + "at {}, last handled tick {}", id, flow.name(), saved.anchor(), saved.lastHandled());
            } else {
                state = new ScheduleStore.State(id, flow.name(), schedule.timing(), now, now);
                scheduleStore.put(state); // throws if it cannot be persisted: nothing scheduled
            }
            Scheduled scheduled = new Scheduled(this, id, flow, params, schedule, state.anchor(),
                    state.lastHandled());
            schedules.add(scheduled);
            scheduled.start();
            return scheduled;
        }
    }

    void unschedule(Scheduled s) {
        schedules.remove(s);
    }

    @Override
    public dev.mlops.core.spi.FlowTrigger trigger(Flow<?> flow, FlowParams defaults, boolean allowOverlap) {
        defaults.asMap(); // non-null check
        java.util.concurrent.atomic.AtomicReference<FlowExecution<?>> last =
                new java.util.concurrent.atomic.AtomicReference<>();
        return (reason, params) -> {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a trigger needs a reason for the logs, got \"" + reason + "\"");
            }
            FlowParams merged = defaults;
            for (Map.Entry<String, ?> e : params.entrySet()) {
                merged = merged.with(e.getKey(), e.getValue());
            }
            synchronized (last) {
                FlowExecution<?> previous = last.get();
                if (!allowOverlap && previous != null && !previous.result().isDone()) {
                    org.slf4j.LoggerFactory.getLogger(Engine.class).info("trigger of flow '{}' declined ({}): run {} "
                            + "is still going", flow.name(), reason, previous.runId());
                    return java.util.Optional.empty();
                }
                FlowExecution<?> started = submit(flow, merged);
                last.set(started);
                org.slf4j.LoggerFactory.getLogger(Engine.class).info("trigger started flow '{}' run {}: {}",
                        flow.name(), started.runId(), reason);
                return java.util.Optional.of(started.runId());
            }
        };
    }

    void finished(Execution<?> execution) {
        running.remove(execution);
    }

    Duration retryDelay(Retry retry, int attempt) {
        synchronized (random) {
            return retry.delay(attempt, random);
        }
    }

    FlowMeters meters(Flow<?> flow) {
        return flowMeters.computeIfAbsent(flow, f -> new FlowMeters(meters, f, tagLimits));
    }

    @Override
    public RunHistory history() {
        return journal;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Scheduled s : schedules) {
            s.stop(); // the persisted state stays: the schedule resumes when scheduled again after a restart
        }
        for (Execution<?> e : running) {
            e.cancel();
        }
        journal.close();
        cache.close();
        shutdownOwned();
        releaseLock();
    }

    private void shutdownOwned() {
        ownedScheduler.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    private void releaseLock() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Engine.class).warn("releasing {} failed", home, e);
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(Engine.class).warn("closing the engine lock failed", e);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Count and total time of one task in one state, read by a FunctionTimer when meters are published. */
    static final class Durations {
        final java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
        final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();

        long count() {
            return count.sum();
        }

        double nanos() {
            return nanos.sum();
        }
    }

    /**
     * Meters of one flow, created lazily per task and state so a run does no registry lookups; durations are
     * FunctionTimers over LongAdders, so recording one costs two adds.
     */
    static final class FlowMeters {
        private final MeterRegistry registry;
        private final Flow<?> flow;
        private final Durations[][] timers;
        private final Counter[] retries;
        private final Counter[][] cache;
        private final Counter[] timeouts;

        /** For each task, the indices (into the engine's limited tags) of its limited tags. */
        final int[][] nodeTags;
        final int[] tagLimit;

        FlowMeters(MeterRegistry registry, Flow<?> flow, Map<String, Integer> tagLimits) {
            java.util.List<String> limited = new java.util.ArrayList<>(tagLimits.keySet());
            this.tagLimit = limited.stream().mapToInt(tagLimits::get).toArray();
            this.nodeTags = new int[flow.nodes.length][];
            int[] none = new int[0];
            for (int i = 0; i < flow.nodes.length; i++) {
                nodeTags[i] = limited.isEmpty() || flow.nodes[i].tags.length == 0 ? none
                        : java.util.Arrays.stream(flow.nodes[i].tags).mapToInt(limited::indexOf).filter(t -> t >= 0)
                                .toArray();
            }
            this.registry = registry;
            this.flow = flow;
            int n = flow.nodes.length;
            this.timers = new Durations[n][TaskState.values().length];
            this.retries = new Counter[n];
            this.cache = new Counter[n][3];
            this.timeouts = new Counter[n];
        }

        void duration(int task, TaskState state, long nanos) {
            Durations d = timers[task][state.ordinal()];
            if (d == null) {
                d = new Durations();
                Durations registered = d;
                FunctionTimer.builder("mlops.flow.task.duration", registered, Durations::count, Durations::nanos,
                                TimeUnit.NANOSECONDS)
                        .tag("flow", flow.name).tag("task", flow.nodes[task].name).tag("state", state.name())
                        .description("time from a task's start (first attempt or cache lookup) to its final state")
                        .register(registry);
                timers[task][state.ordinal()] = d;
            }
            d.count.increment();
            d.nanos.add(nanos);
        }

        void retry(int task) {
            Counter c = retries[task];
            if (c == null) {
                c = Counter.builder("mlops.flow.task.retries").tag("flow", flow.name)
                        .tag("task", flow.nodes[task].name).register(registry);
                retries[task] = c;
            }
            c.increment();
        }

        /** {@code kind}: 0 hit, 1 miss, 2 disabled. */
        void cache(int task, int kind) {
            Counter c = cache[task][kind];
            if (c == null) {
                c = Counter.builder("mlops.flow.task.cache").tag("flow", flow.name)
                        .tag("task", flow.nodes[task].name)
                        .tag("result", kind == 0 ? "hit" : kind == 1 ? "miss" : "disabled").register(registry);
                cache[task][kind] = c;
            }
            c.increment();
        }

        void timeout(int task) {
            Counter c = timeouts[task];
            if (c == null) {
                c = Counter.builder("mlops.flow.task.timeouts").tag("flow", flow.name)
                        .tag("task", flow.nodes[task].name).register(registry);
                timeouts[task] = c;
            }
            c.increment();
        }

        void run(FlowState state) {
            registry.counter("mlops.flow.runs", "flow", flow.name, "state", state.name()).increment();
        }
    }
}
