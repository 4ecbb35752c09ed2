package dev.mlops.core.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** {@link PredictionLog#inMemory(int)}: a bounded ring guarded by one lock. */
final class InMemoryPredictionLog implements PredictionLog {

    private final ReentrantLock lock = new ReentrantLock();
    private final PredictionRecord[] ring;
    private int head; // index of the earliest-appended record
    private int size;
    private long dropped;
    private boolean closed;

    InMemoryPredictionLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
        }
        this.ring = new PredictionRecord[capacity];
    }

    @Override
    public void append(PredictionRecord record) {
        Objects.requireNonNull(record, "record");
        lock.lock();
        try {
            checkOpen();
            add(record);
        } finally {
            lock.unlock();
        }
    }

    /** Adds the whole batch under one lock, so concurrent readers see all of it or none. */
    @Override
    public void appendAll(List<PredictionRecord> records) {
        List<PredictionRecord> batch = List.copyOf(Objects.requireNonNull(records, "records"));
        lock.lock();
        try {
            checkOpen();
            batch.forEach(this::add);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PredictionRecord> read(String model, Instant fromInclusive, Instant toExclusive) {
        checkRange(model, fromInclusive, toExclusive);
        List<PredictionRecord> matches = new ArrayList<>();
        lock.lock();
        try {
            checkOpen();
            for (int i = 0; i < size; i++) {
                PredictionRecord r = ring[(head + i) % ring.length];
                Instant t = r.timestamp();
                if (r.model().equals(model) && !t.isBefore(fromInclusive) && t.isBefore(toExclusive)) {
                    matches.add(r);
                }
            }
        } finally {
            lock.unlock();
        }
        matches.sort(Comparator.comparing(PredictionRecord::timestamp)); // stable: ties keep append order
        return List.copyOf(matches);
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            checkOpen();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            Arrays.fill(ring, null);
            size = 0;
        } finally {
            lock.unlock();
        }
    }

    static void checkRange(String model, Instant fromInclusive, Instant toExclusive) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(fromInclusive, "fromInclusive");
        Objects.requireNonNull(toExclusive, "toExclusive");
        if (fromInclusive.isAfter(toExclusive)) {
            throw new IllegalArgumentException("read range is reversed: fromInclusive " + fromInclusive
                    + " is after toExclusive " + toExclusive + ". Fix: swap the two instants");
        }
    }

    private void add(PredictionRecord record) {
        if (size < ring.length) {
            ring[(head + size) % ring.length] = record;
            size++;
        } else {
            ring[head] = record;
            head = (head + 1) % ring.length;
            dropped++;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this in-memory prediction log is closed; create a new one with "
                    + "PredictionLog.inMemory(capacity)");
        }
    }
}
