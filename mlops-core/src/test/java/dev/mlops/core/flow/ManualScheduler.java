package dev.mlops.core.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link DelayScheduler} driven by the test: nothing runs until the test fires it, so no test sleeps. */
final class ManualScheduler implements DelayScheduler {

    private record Pending(Duration delay, Runnable action, boolean[] cancelled) {
    }

    private final List<Pending> pending = new ArrayList<>();
    private final List<Duration> requested = new ArrayList<>();

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        boolean[] cancelled = {false};
        pending.add(new Pending(delay, action, cancelled));
        requested.add(delay);
        notifyAll();
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    /** Every delay ever requested, in order. */
    synchronized List<Duration> requested() {
        return List.copyOf(requested);
    }

    /** Waits (up to 10 s) until {@code n} actions have been requested in total. */
    synchronized void awaitRequested(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (requested.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + n + " scheduled actions, got " + requested);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Runs every pending, uncancelled action (as if their delays had all passed); returns how many ran. */
    int fireAll() {
        List<Pending> due;
        synchronized (this) {
            due = new ArrayList<>(pending);
            pending.clear();
        }
        int ran = 0;
        for (Pending p : due) {
            boolean skip;
            synchronized (this) {
                skip = p.cancelled()[0];
            }
            if (!skip) {
                p.action().run();
                ran++;
            }
        }
        return ran;
    }
}
