package dev.mlops.registry.internal;

import dev.mlops.core.MlopsException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.MetricLogger;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Appends points to parallel arrays under a short lock; a full chunk is handed to the executor and written in
 * one transaction. Chunks are chained, so they are written in order on any executor; at most
 * {@link #MAX_PENDING_CHUNKS} wait, after which {@link #log} blocks (back-pressure instead of unbounded memory).
 */
final class BufferedMetricLogger implements MetricLogger {

    static final int MAX_PENDING_CHUNKS = 64;

    private final DefaultRun run;
    private final Executor executor;
    private final Clock clock;
    private final int capacity;
    private final Set<String> checkedKeys = ConcurrentHashMap.newKeySet();
    private final Semaphore pending = new Semaphore(MAX_PENDING_CHUNKS);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Object lock = new Object();

    private String[] keys;
    private double[] values;
    private long[] steps;
    private long[] times;
    private int size;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private boolean closed;

    BufferedMetricLogger(DefaultRun run, Executor executor, Clock clock, int capacity) {
        this.run = run;
        this.executor = executor;
        this.clock = clock;
        this.capacity = capacity;
        allocate();
    }

    private void allocate() {
        keys = new String[capacity];
        values = new double[capacity];
        steps = new long[capacity];
        times = new long[capacity];
        size = 0;
    }

    @Override
    public void log(String key, double value, long step) {
        if (!checkedKeys.contains(key)) {
            TrackedRun.checkKey(key);
            checkedKeys.add(key);
        }
        TrackedRun.checkStep(step);
        run.ensureAcceptsBuffered();
        throwFailure();
        long now = clock.millis();
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this buffered logger of run " + run.runId() + " is closed");
            }
            int i = size;
            keys[i] = key;
            values[i] = value;
            steps[i] = step;
            times[i] = now;
            size = i + 1;
            if (size == capacity) {
                submitLocked();
            }
        }
    }

    /** Hands the current chunk to the executor; the caller holds {@link #lock}. */
    private void submitLocked() {
        if (size == 0) {
            return;
        }
        final String[] k = keys;
        final double[] v = values;
        final long[] s = steps;
        final long[] t = times;
        final int n = size;
        allocate();
        pending.acquireUninterruptibly();
        tail = tail.handle((ignored, error) -> null).thenRunAsync(() -> {
            try {
                if (failure.get() == null) {
                    run.appendDirect(k, v, s, t, n);
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            } finally {
                pending.release();
            }
        }, executor);
    }

    private void throwFailure() {
        RuntimeException e = failure.get();
        if (e != null) {
            if (e instanceof MlopsException || e instanceof IllegalStateException) {
                throw new NonRetriableException("a buffered metric write of run " + run.runId() + " failed; points"
                        + " logged after it were not written: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public void flush() {
        CompletableFuture<Void> wait;
        synchronized (lock) {
            submitLocked();
            wait = tail;
        }
        try {
            wait.join();
        } catch (CompletionException e) {
            // failures are recorded in `failure` by the chunk itself; this is the executor refusing the task
            failure.compareAndSet(null, e.getCause() instanceof RuntimeException re ? re
                    : new IllegalStateException("buffered write failed", e.getCause()));
        }
        throwFailure();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
        }
        try {
            flush();
        } finally {
            synchronized (lock) {
                closed = true;
            }
            run.forget(this);
        }
    }
}
