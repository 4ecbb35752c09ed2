package dev.mlops.drift.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Runs indexed tasks on the calling thread and up to (cores - 1) helpers on an executor, as the detector does. */
final class Parallel {

    private Parallel() {
    }

    /** Runs {@code task} for {@code 0 <= i < total}; rethrows the first failure once every started task ended. */
    static void forEach(int total, Executor executor, IntConsumer task) {
        forEach(total, executor, task, "profiling columns");
    }

    /**
     * As {@link #forEach(int, Executor, IntConsumer)}; {@code what} names the work in the exception an interrupt
     * raises. Workers on the executor and the calling thread take indexes from one counter, so the caller helps (a
     * pool of parallelism 1 on 2 cores still runs 2 tasks at once) and a busy executor cannot stall the work: the
     * caller finishes whatever the workers do not pick up. After a failure, tasks not yet started are skipped.
     */
    static void forEach(int total, Executor executor, IntConsumer task, String what) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(total);
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) {
                        task.accept(i);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }
        };
        int helpers = Math.min(total, Runtime.getRuntime().availableProcessors()) - 1;
        for (int h = 0; h < helpers && next.get() < total; h++) {
            executor.execute(worker);
        }
        worker.run();
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while " + what);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
