package dev.mlops.core.flow;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One flow run. Scheduling state is guarded by {@code this}; task bodies run outside the lock.
 *
 * <p>Up to {@code maxConcurrency} runner loops take ready tasks (respecting tag limits) and run them one
 * after another on their thread, so a chain of tasks does not pay an executor hand-off per task. A task
 * whose inputs are all final and COMPLETED/CACHED becomes ready; a FAILED, CANCELLED or NOT_RUN upstream
 * makes every downstream task NOT_RUN.
 */
final class Execution<R> implements FlowExecution<R> {

    private static final Logger LOG = LoggerFactory.getLogger(Execution.class);
    private static final TaskState[] STATES = TaskState.values();

    private final Engine engine;
    private final Flow<R> flow;
    private final Node[] nodes;
    private final Object[] params;
    private final String runId;
    private final String parentRunId;
    private final Execution<?> parent;
    private final Engine.FlowMeters meters;
    private final int limit;
    private final int[][] nodeTags;
    private final int[] tagLimit;
    private final int[] tagRunning;

    private final Object[] values;
    private final Fingerprint[] paramFingerprints;
    private final TaskState[] states;
    private final int[] waiting;
    private final int[] attempts;
    private final Instant[] starts;
    private final long[] startNanos;
    private final String[] errors;
    private final String[] cacheKeys;
    private final String[] cacheNotes;
    private final TaskRunRecord[] records;
    private final Attempt[] current;
    private final DelayScheduler.Cancellable[] retryTimers;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private int activeRunners;
    private int finished;
    private int runningCount;
    private int failedCount;
    private boolean cancelled;
    private boolean done;
    private int rootTask = -1;
    private Throwable rootCause;
    private Instant start;
    private dev.mlops.core.spi.TrackedRun trackedRun;
    private final CompletableFuture<FlowResult<R>> future = new CompletableFuture<>();

    Execution(Engine engine, Flow<R> flow, Object[] params, String runId, Execution<?> parent) {
        this.engine = engine;
        this.flow = flow;
        this.nodes = flow.nodes;
        this.params = params;
        this.runId = runId;
        this.parent = parent;
        this.parentRunId = parent == null ? null : parent.runId;
        this.meters = engine.meters(flow);
        this.limit = engine.maxConcurrency;
        int n = nodes.length;
        this.tagLimit = meters.tagLimit;
        this.tagRunning = new int[tagLimit.length];
        this.nodeTags = meters.nodeTags;
        values = new Object[n];
        paramFingerprints = new Fingerprint[params.length];
        states = new TaskState[n];
        java.util.Arrays.fill(states, TaskState.PENDING);
        waiting = new int[n];
        attempts = new int[n];
        starts = new Instant[n];
        startNanos = new long[n];
        errors = new String[n];
        cacheKeys = new String[n];
        cacheNotes = new String[n];
        records = new TaskRunRecord[n];
        current = new Attempt[n];
        retryTimers = new DelayScheduler.Cancellable[n];
    }

    void start() {
        start = engine.clock.instant();
        engine.journal.flowStarted(runId, flow.name, parentRunId, start);
        LOG.info("flow '{}' run {} started ({} tasks)", flow.name, runId, nodes.length);
        if (flow.experiment != null || parent != null && parent.trackedRun != null) {
            openTrackedRun();
        }
        notify(l -> l.flowStarted(flow.name, runId));
        synchronized (this) {
            for (int i : flow.order) {
                waiting[i] = nodes[i].upstream.length;
                if (waiting[i] == 0) {
                    ready.add(i);
                }
            }
        }
        spawn();
    }

    private void openTrackedRun() {
        dev.mlops.core.spi.TrackedRun run = null;
        try {
            // A subflow of a tracked run nests under it (one child per subflow run), whatever the child flow
            // declares; otherwise a tracked flow opens a top-level run in its experiment.
            dev.mlops.core.spi.TrackedRun parentRun = parent == null ? null : parent.trackedRun;
            run = parentRun != null ? parentRun.startChildRun(flow.name)
                    : engine.runTracker.startRun(flow.experiment, flow.name);
            run.setTag("mlops.flow.runId", runId);
            if (parentRun != null) {
                run.setTag("mlops.flow.parentRunId", parentRunId);
            }
            for (Param<?> p : flow.params) {
                Object v = params[p.index];
                run.logParam(p.name, String.valueOf(v));
                if (v instanceof dev.mlops.core.table.Table || v instanceof java.nio.file.Path path
                        && java.nio.file.Files.isRegularFile(path)) {
                    try {
                        run.logDataset(p.name, engine.fingerprints.of(v));
                    } catch (Fingerprints.Unfingerprintable e) {
                        LOG.warn("flow '{}' run {}: dataset parameter '{}' not fingerprinted: {}", flow.name, runId,
                                p.name, e.getMessage());
                    }
                }
            }
            trackedRun = run;
        } catch (RuntimeException e) {
            // Tracking is observability: a tracker that is down must not stop the pipeline. Logged loudly.
            LOG.error("flow '{}' run {}: could not open its tracking run in experiment '{}'; the flow runs "
                    + "untracked", flow.name, runId, flow.experiment, e);
            if (run != null) {
                try {
                    run.end(dev.mlops.core.spi.RunStatus.FAILED);
                } catch (RuntimeException ignored) {
                    e.addSuppressed(ignored);
                }
            }
        }
    }

    private void closeTrackedRun(FlowState state) {
        if (trackedRun == null) {
            return;
        }
        try {
            trackedRun.setTag("mlops.flow.state", state.name());
            trackedRun.end(switch (state) {
                case COMPLETED -> dev.mlops.core.spi.RunStatus.FINISHED;
                case CANCELLED, CRASHED -> dev.mlops.core.spi.RunStatus.KILLED;
                default -> dev.mlops.core.spi.RunStatus.FAILED;
            });
        } catch (RuntimeException e) {
            LOG.error("flow '{}' run {}: ending its tracking run failed", flow.name, runId, e);
        }
    }

    // ---------------------------------------------------------------- runners

    private void spawn() {
        int toStart;
        synchronized (this) {
            if (cancelled || done) {
                return;
            }
            toStart = Math.min(ready.size(), limit - activeRunners);
            if (toStart <= 0) {
                return;
            }
            activeRunners += toStart;
        }
        for (int k = 0; k < toStart; k++) {
            startRunner();
        }
    }

    /** Starts one runner loop whose slot the caller already counted in {@code activeRunners}. */
    private void startRunner() {
        try {
            engine.executor.execute(this::runnerLoop);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                activeRunners--;
                if (activeRunners > 0) {
                    return; // the other runners carry on
                }
                if (rootTask < 0 && rootCause == null) {
                    rootCause = e;
                }
            }
            LOG.error("flow '{}' run {}: the executor rejected its tasks; cancelling the run", flow.name, runId, e);
            cancel();
        }
    }

    private void runnerLoop() {
        while (true) {
            int i;
            int helpers;
            synchronized (this) {
                i = cancelled || done ? -1 : pollStartable();
                if (i < 0) {
                    activeRunners--;
                    return;
                }
                setState(i, TaskState.RUNNING);
                if (starts[i] == null) {
                    starts[i] = engine.clock.instant();
                    startNanos[i] = System.nanoTime();
                }
                // Tasks made ready by the previous task (a fan-out) get runners of their own, up to the limit.
                helpers = Math.min(ready.size(), limit - activeRunners);
                if (helpers > 0) {
                    activeRunners += helpers;
                }
            }
            for (int k = 0; k < helpers; k++) {
                startRunner();
            }
            boolean keepGoing;
            try {
                keepGoing = runTask(i);
            } catch (RuntimeException | Error e) {
                // An engine fault (history write, cache store, listener) outside the task body: fail the task
                // so the run still ends, and report it as the root cause.
                LOG.error("flow '{}' run {}: internal error while running task '{}'", flow.name, runId,
                        nodes[i].name, e);
                failed(i, attempts[i], e, false);
                keepGoing = true;
            }
            if (!keepGoing) {
                return; // abandoned: the timeout or cancel path released this runner's slot
            }
        }
    }

    /** The first ready task whose tags all have room, removed from the queue; -1 if none. */
    private int pollStartable() {
        if (tagLimit.length == 0) {
            Integer i = ready.poll();
            return i == null ? -1 : i;
        }
        for (Iterator<Integer> it = ready.iterator(); it.hasNext(); ) {
            int i = it.next();
            boolean fits = true;
            for (int t : nodeTags[i]) {
                if (tagRunning[t] >= tagLimit[t]) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                it.remove();
                return i;
            }
        }
        return -1;
    }

    /** Keeps counters and tag slots in step with state changes. Caller holds the lock. */
    private void setState(int i, TaskState next) {
        TaskState prev = states[i];
        if (prev == TaskState.RUNNING) {
            runningCount--;
            for (int t : nodeTags[i]) {
                tagRunning[t]--;
            }
        }
        if (next == TaskState.RUNNING) {
            runningCount++;
            for (int t : nodeTags[i]) {
                tagRunning[t]++;
            }
        }
        states[i] = next;
    }

    // ---------------------------------------------------------------- one task

    /** Runs the task's cache lookup or one attempt; false if the attempt was abandoned. */
    private boolean runTask(int i) {
        Node node = nodes[i];
        Object[] args = new Object[node.inputs.length];
        for (int k = 0; k < args.length; k++) {
            Input<?> in = node.inputs[k];
            args[k] = in instanceof TaskHandle<?> h ? values[h.index] : params[((Param<?>) in).index];
        }
        String key = null;
        if (node.cache != null && attempts[i] == 0) {
            key = cacheKey(node, args, i);
            if (key != null && !node.cache.refresh()) {
                CacheStore.Lookup hit = engine.cache.get(key, node.cache, engine.clock.instant());
                if (hit.value() != null && node.outputType != null && !node.outputType.isInstance(hit.value())) {
                    hit = new CacheStore.Lookup(null, "cache entry holds a " + hit.value().getClass().getName()
                            + ", not the declared " + node.outputType.getName() + "; recomputed");
                }
                if (hit.value() != null) {
                    meters.cache(i, 0);
                    String k = key;
                    notify(l -> l.taskCacheHit(flow.name, runId, node.name, k));
                    succeed(i, hit.value(), TaskState.CACHED);
                    return true;
                }
                cacheNotes[i] = hit.note();
            }
            meters.cache(i, key == null ? 2 : 1);
        } else if (node.cache != null) {
            key = cacheKeys[i];
        }
        int attempt;
        Attempt a = new Attempt(Thread.currentThread());
        synchronized (this) {
            if (states[i] != TaskState.RUNNING) {
                return true; // cancelled during the cache lookup
            }
            attempt = ++attempts[i];
            current[i] = a;
        }
        DelayScheduler.Cancellable timer = node.timeout == null ? null
                : engine.scheduler.schedule(node.timeout, () -> timedOut(i, a, attempt));
        notify(l -> l.taskStarted(flow.name, runId, node.name, attempt));
        MDC.put("flow", flow.name);
        MDC.put("flowRunId", runId);
        MDC.put("task", node.name);
        TaskContext.set(new TaskContext(flow.name, runId, node.name, attempt, trackedRun));
        Object value = null;
        Throwable error = null;
        try {
            value = node.subflow != null ? runSubflow(node, args) : node.body.call(args);
            if (value == null) {
                error = new NonRetriableException("task '" + node.name + "' of flow '" + flow.name
                        + "' returned null. Fix: return a value (Optional.empty() for none) or Boolean.TRUE for "
                        + "a task run only for its effect");
            } else if (node.outputType != null && !node.outputType.isInstance(value)) {
                error = new NonRetriableException("task '" + node.name + "' of flow '" + flow.name
                        + "' returned a " + value.getClass().getName() + " (" + abbreviate(value) + "), but it "
                        + "is declared to return " + node.outputType.getName() + ". Fix: return a "
                        + node.outputType.getSimpleName() + " (an unchecked cast or raw type let the wrong value "
                        + "through), or correct returns(...)");
                value = null;
            }
        } catch (Throwable t) {
            // Recorded as the task's failure and reported as the flow's root cause; nothing is swallowed.
            error = t;
        } finally {
            TaskContext.clear();
            MDC.remove("task");
            MDC.remove("flowRunId");
            MDC.remove("flow");
        }
        if (timer != null) {
            timer.cancel();
        }
        if (!a.finish()) {
            Thread.interrupted(); // clear an interrupt aimed at the abandoned attempt
            engine.abandoned.decrementAndGet();
            LOG.warn("flow '{}' run {}: task '{}' returned after it was abandoned; its result is discarded",
                    flow.name, runId, node.name);
            return false;
        }
        synchronized (this) {
            current[i] = null;
        }
        if (error == null) {
            if (key != null) {
                String note = engine.cache.put(key, value, node.cache, engine.clock.instant());
                if (note != null) {
                    cacheNotes[i] = note;
                }
            }
            succeed(i, value, TaskState.COMPLETED);
        } else {
            failed(i, attempt, error, true);
        }
        return true;
    }

    private Object runSubflow(Node node, Object[] args) throws Exception {
        FlowParams p = FlowParams.of();
        for (int k = 0; k < node.bindings.size(); k++) {
            p = p.with(node.bindings.get(k).param().name, args[k]);
        }
        Execution<?> child = engine.start(node.subflow, p, this);
        FlowResult<?> result;
        try {
            result = child.future.get();
        } catch (InterruptedException e) {
            child.cancel();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("subflow '" + node.subflow.name + "' ended abnormally", e.getCause());
        }
        if (!result.succeeded()) {
            throw result.failure();
        }
        return node.subflow.output < 0 ? Boolean.TRUE : result.get();
    }

    private String cacheKey(Node node, Object[] args, int i) {
        Fingerprint.Hasher h = Fingerprint.hasher().putString("mlops.flow.cache.v1").putString(flow.name)
                .putString(node.name).putString(node.version);
        try {
            for (int k = 0; k < args.length; k++) {
                h.putString(node.inputs[k].name());
                try {
                    Input<?> in = node.inputs[k];
                    h.putFingerprint(in instanceof Param<?> p ? paramFingerprint(p.index) : engine.fingerprints.of(args[k]));
                } catch (Fingerprints.Unfingerprintable e) {
                    throw new Fingerprints.Unfingerprintable("input '" + node.inputs[k].name() + "': "
                            + e.getMessage());
                }
            }
            for (Param<?> p : node.cache.keyParamList()) {
                h.putString(p.name);
                try {
                    h.putFingerprint(paramFingerprint(p.index));
                } catch (Fingerprints.Unfingerprintable e) {
                    throw new Fingerprints.Unfingerprintable("parameter '" + p.name + "': " + e.getMessage());
                }
            }
        } catch (Fingerprints.Unfingerprintable e) {
            cacheNotes[i] = "cache disabled for this call: the key cannot be computed (" + e.getMessage() + ")";
            LOG.warn("flow '{}' run {}: task '{}' runs uncached: {}", flow.name, runId, node.name, cacheNotes[i]);
            return null;
        }
        String hex = h.finish().hex();
        cacheKeys[i] = hex;
        return hex;
    }

    /** Parameter values are fixed for the run, so each is fingerprinted at most once. */
    private Fingerprint paramFingerprint(int index) throws Fingerprints.Unfingerprintable {
        Fingerprint f = paramFingerprints[index];
        if (f == null) {
            f = engine.fingerprints.of(params[index]);
            paramFingerprints[index] = f; // a benign race: every thread computes the same value
        }
        return f;
    }

    // ---------------------------------------------------------------- outcomes

    private void succeed(int i, Object value, TaskState state) {
        boolean finishedRun;
        TaskRunRecord r;
        synchronized (this) {
            if (states[i].isFinal()) {
                return; // cancelled meanwhile
            }
            values[i] = value;
            setState(i, state);
            r = record(i);
            for (int d : nodes[i].downstream) {
                if (--waiting[d] == 0 && states[d] == TaskState.PENDING) {
                    ready.add(d);
                }
            }
            finishedRun = finished == nodes.length;
            // Under the lock, so every task record is in the journal before the thread that finishes the run
            // writes its end record (a task record after the end would miss the end's fsync, or find the
            // journal closed once the caller has its result). The journal only appends to a buffer here.
            engine.journal.task(r);
        }
        meters.duration(i, state, System.nanoTime() - startNanos[i]);
        if (state == TaskState.COMPLETED) {
            int attempt = attempts[i];
            notify(l -> l.taskSucceeded(flow.name, runId, nodes[i].name, attempt));
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("flow '{}' run {}: task '{}' {}", flow.name, runId, nodes[i].name, state);
        }
        afterFinal(finishedRun);
    }

    private void failed(int i, int attempt, Throwable error, boolean retryable) {
        Node node = nodes[i];
        boolean retry;
        synchronized (this) {
            retry = retryable && !cancelled && !states[i].isFinal() && node.retry.shouldRetry(error, attempt);
        }
        if (retry) {
            Duration delay = engine.retryDelay(node.retry, attempt);
            synchronized (this) {
                if (states[i].isFinal()) {
                    return;
                }
                setState(i, TaskState.RETRYING);
                errors[i] = describe(error);
            }
            meters.retry(i);
            LOG.warn("flow '{}' run {}: task '{}' attempt {} failed ({}); retrying in {}", flow.name, runId,
                    node.name, attempt, error.toString(), delay);
            notify(l -> l.taskRetrying(flow.name, runId, node.name, attempt, delay, error));
            if (delay.isZero()) {
                requeue(i);
            } else {
                DelayScheduler.Cancellable timer = engine.scheduler.schedule(delay, () -> {
                    requeue(i);
                    spawn();
                });
                synchronized (this) {
                    retryTimers[i] = timer;
                }
            }
            return;
        }
        boolean finishedRun;
        List<TaskRunRecord> batch = new ArrayList<>();
        synchronized (this) {
            if (states[i].isFinal()) {
                return;
            }
            errors[i] = describe(error);
            setState(i, TaskState.FAILED);
            failedCount++;
            if (rootTask < 0) {
                rootTask = i;
                rootCause = error;
            }
            batch.add(record(i));
            markNotRun(i, batch);
            finishedRun = finished == nodes.length;
            write(batch); // under the lock: see succeed
        }
        meters.duration(i, TaskState.FAILED, System.nanoTime() - startNanos[i]);
        LOG.error("flow '{}' run {}: task '{}' failed after {} attempt(s): {}", flow.name, runId, node.name,
                attempt, error.toString());
        notify(l -> l.taskFailed(flow.name, runId, node.name, attempt, error));
        afterFinal(finishedRun);
    }

    private void requeue(int i) {
        synchronized (this) {
            retryTimers[i] = null;
            if (states[i] != TaskState.RETRYING || cancelled) {
                return;
            }
            setState(i, TaskState.PENDING);
            ready.add(i);
        }
    }

    /** Every task downstream of {@code i} that has not run ends NOT_RUN. Caller holds the lock. */
    private void markNotRun(int i, List<TaskRunRecord> batch) {
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        todo.add(i);
        while (!todo.isEmpty()) {
            for (int d : nodes[todo.poll()].downstream) {
                if (states[d] == TaskState.PENDING) {
                    setState(d, TaskState.NOT_RUN);
                    errors[d] = "upstream task '" + nodes[i].name + "' " + states[i];
                    batch.add(record(d));
                    todo.add(d);
                }
            }
        }
    }

    private void timedOut(int i, Attempt a, int attempt) {
        if (!a.abandon()) {
            return;
        }
        engine.abandoned.incrementAndGet();
        meters.timeout(i);
        synchronized (this) {
            activeRunners--; // the stuck runner never comes back for more work
            current[i] = null;
        }
        failed(i, attempt, new TaskTimeoutException(flow.name, nodes[i].name, attempt, nodes[i].timeout), true);
        spawn();
    }

    /** Builds the task's history record; the caller writes it to the journal after releasing the lock. */
    private TaskRunRecord record(int i) {
        finished++;
        TaskRunRecord r = new TaskRunRecord(runId, nodes[i].name, states[i], attempts[i], starts[i],
                engine.clock.instant(), errors[i], cacheKeys[i] == null ? null : Fingerprint.PREFIX + cacheKeys[i],
                cacheNotes[i]);
        records[i] = r;
        return r;
    }

    private void write(List<TaskRunRecord> batch) {
        for (TaskRunRecord r : batch) {
            engine.journal.task(r);
        }
    }

    private void afterFinal(boolean finishedRun) {
        if (engine.listener != FlowListener.NONE) {
            Progress p = progress();
            notify(l -> l.progress(flow.name, runId, p));
        }
        if (finishedRun) {
            complete();
        }
    }

    private void complete() {
        FlowState state;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            state = cancelled ? FlowState.CANCELLED : failedCount > 0 ? FlowState.FAILED : FlowState.COMPLETED;
        }
        Instant end = engine.clock.instant();
        String error = rootTask >= 0 ? "task '" + nodes[rootTask].name + "': " + describe(rootCause)
                : rootCause != null ? describe(rootCause) : null;
        try {
            engine.journal.flowEnded(runId, state, end, error);
        } catch (RuntimeException e) {
            LOG.error("flow '{}' run {}: recording its end failed", flow.name, runId, e);
        }
        meters.run(state);
        closeTrackedRun(state);
        FlowResult<R> result = new FlowResult<>(flow, runId, state, start, end, values, records, rootTask,
                rootCause);
        if (state == FlowState.COMPLETED) {
            LOG.info("flow '{}' run {} completed", flow.name, runId);
        } else {
            LOG.warn("flow '{}' run {} ended {}{}", flow.name, runId, state, error == null ? "" : ": " + error);
        }
        engine.finished(this);
        notify(l -> l.flowFinished(result));
        future.complete(result);
    }

    // ---------------------------------------------------------------- API

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public CompletableFuture<FlowResult<R>> result() {
        return future;
    }

    @Override
    public FlowResult<R> await() throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("flow run " + runId + " ended abnormally", e.getCause());
        }
    }

    @Override
    public FlowResult<R> await(Duration timeout) throws InterruptedException {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("flow run " + runId + " ended abnormally", e.getCause());
        }
    }

    @Override
    public void cancel() {
        List<Attempt> toInterrupt = new ArrayList<>();
        List<TaskRunRecord> batch = new ArrayList<>();
        boolean finishedRun;
        synchronized (this) {
            if (done || cancelled) {
                return;
            }
            cancelled = true;
            ready.clear();
            for (int i = 0; i < nodes.length; i++) {
                TaskState s = states[i];
                if (s.isFinal()) {
                    continue;
                }
                if (retryTimers[i] != null) {
                    retryTimers[i].cancel();
                    retryTimers[i] = null;
                }
                if (s == TaskState.RUNNING && current[i] != null) {
                    Attempt a = current[i];
                    if (a.abandon()) {
                        toInterrupt.add(a);
                        activeRunners--;
                    }
                    current[i] = null;
                }
                errors[i] = errors[i] == null ? "flow run cancelled" : errors[i];
                setState(i, TaskState.CANCELLED);
                batch.add(record(i));
            }
            finishedRun = finished == nodes.length;
            write(batch); // under the lock: see succeed
        }
        engine.abandoned.addAndGet(toInterrupt.size());
        LOG.warn("flow '{}' run {} cancelled; {} running attempt(s) interrupted", flow.name, runId,
                toInterrupt.size());
        if (finishedRun) {
            complete();
        }
    }

    @Override
    public synchronized Progress progress() {
        return new Progress(nodes.length, finished, runningCount, failedCount);
    }

    private void notify(java.util.function.Consumer<FlowListener> call) {
        FlowListener l = engine.listener;
        if (l == FlowListener.NONE) {
            return;
        }
        try {
            call.accept(l);
        } catch (RuntimeException e) {
            LOG.warn("flow listener {} threw; ignored", l, e);
        }
    }

    private static String abbreviate(Object value) {
        String s;
        try {
            s = String.valueOf(value);
        } catch (RuntimeException e) {
            return "its toString() threw " + e.getClass().getSimpleName();
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + ": " + t.getMessage();
    }

    /** One attempt's thread, and whether it finished or was abandoned first. */
    private static final class Attempt {
        private final Thread thread;
        private int state; // 0 running, 1 finished, 2 abandoned

        Attempt(Thread thread) {
            this.thread = thread;
        }

        /** The body returned; false if the attempt had been abandoned. */
        synchronized boolean finish() {
            if (state == 0) {
                state = 1;
                return true;
            }
            return false;
        }

        /** Abandons a running attempt and interrupts its thread; false if it already finished. */
        synchronized boolean abandon() {
            if (state != 0) {
                return false;
            }
            state = 2;
            thread.interrupt();
            return true;
        }
    }
}
