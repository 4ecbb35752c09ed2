package dev.mlops.registry.serving.internal;

import dev.mlops.registry.Prediction;
import dev.mlops.registry.internal.BatchingPredictor;
import io.micrometer.core.instrument.DistributionSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers concurrent single-row requests into one model call. No extra thread: the first request of a batch is its
 * leader; it waits until the batch has {@code maxBatch} rows or {@code maxWaitNanos} have passed since it opened the
 * batch, or until no other request is on its way (in flight but not yet in a batch: the leader does not wait for
 * requests that are busy in another batch's model call, nor at all when it is alone), closes the batch, calls the model once and
 * hands every caller its own row's answer. A request therefore waits at most {@code maxWait} plus the model call of
 * its batch (plus, at most, the call of the batch before it when {@code maxBatch} closed that one early).
 */
final class MicroBatcher {

    private final BatchingPredictor predictor;
    private final long maxWaitNanos;
    private final int maxBatch;
    private final DistributionSummary sizes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition full = lock.newCondition();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Requests in closed batches whose model call has not returned yet. */
    private final AtomicInteger queued = new AtomicInteger();
    private Batch open; // guarded by lock

    MicroBatcher(BatchingPredictor predictor, long maxWaitNanos, int maxBatch, DistributionSummary sizes) {
        this.predictor = predictor;
        this.maxWaitNanos = maxWaitNanos;
        this.maxBatch = maxBatch;
        this.sizes = sizes;
    }

    private static final class Batch {
        final List<double[]> rows = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        final long opened;
        boolean closed;
        List<Prediction> results;
        RuntimeException error;

        Batch(long opened) {
            this.opened = opened;
        }
    }

    /** Predicts one validated row, possibly together with concurrent ones. */
    Prediction predict(Map<String, ?> features) {
        return predictValues(predictor.inputs(features));
    }

    /** Like {@link #predict(Map)} for a row already validated against the signature (numbers in its order). */
    Prediction predictValues(double[] row) {
        inFlight.incrementAndGet();
        try {
            Batch batch;
            int index;
            boolean leader;
            lock.lock();
            try {
                if (open == null) {
                    open = new Batch(System.nanoTime());
                    leader = true;
                } else {
                    leader = false;
                }
                batch = open;
                index = batch.rows.size();
                batch.rows.add(row);
                if (batch.rows.size() >= maxBatch) {
                    close(batch);
                }
                if (!leader) {
                    full.signalAll(); // the leader re-checks whether anyone else is still on the way
                }
            } finally {
                lock.unlock();
            }
            if (leader) {
                lead(batch);
            } else {
                awaitUninterruptibly(batch.done);
            }
            if (batch.error != null) {
                throw batch.error;
            }
            return batch.results.get(index);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void close(Batch batch) {
        if (!batch.closed) {
            batch.closed = true;
            queued.addAndGet(batch.rows.size());
        }
        if (open == batch) {
            open = null;
        }
    }

    /** Requests in flight that are in no batch yet: they are about to join the open one. */
    private int onTheWay(Batch batch) {
        return inFlight.get() - queued.get() - batch.rows.size();
    }

    private void lead(Batch batch) {
        lock.lock();
        try {
            long deadline = batch.opened + maxWaitNanos;
            boolean interrupted = false;
            while (!batch.closed && onTheWay(batch) > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    full.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            close(batch);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
        try {
            List<Prediction> results = predictor.predictInputs(batch.rows);
            if (results.size() != batch.rows.size()) {
                throw new IllegalStateException("model " + predictor.version().uri() + " answered " + results.size()
                        + " rows for a batch of " + batch.rows.size());
            }
            batch.results = results;
        } catch (RuntimeException e) {
            batch.error = e;
        } finally {
            queued.addAndGet(-batch.rows.size());
            sizes.record(batch.rows.size());
            batch.done.countDown();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
