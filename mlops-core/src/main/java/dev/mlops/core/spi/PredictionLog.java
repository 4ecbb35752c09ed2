package dev.mlops.core.spi;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where served predictions go: the serving module appends a {@link PredictionRecord} per prediction, and
 * drift monitoring reads time windows back to compare live inputs and outputs with the training data.
 *
 * <p><b>Who implements, who calls.</b> Storage modules implement it (files, a database, a message queue);
 * {@link #rollingFiles(Path)} is the durable default; {@link #inMemory(int)} and {@link #noop()} cover tests
 * and small hosts. Serving calls {@code append};
 * drift monitoring calls {@code read}. Neither depends on the other, only on this interface.
 *
 * <p><b>Thread-safety.</b> Implementations must be safe for concurrent use. {@code append} is called on the
 * request path, so it must not wait for I/O: a durable implementation buffers and writes in the background.
 * A record an implementation accepts but cannot keep (a full buffer, a bounded store) is counted in
 * {@link #dropped()} rather than failing the request.
 *
 * <p><b>Lifecycle.</b> {@link #close()} flushes and releases resources; it is idempotent. After it, every other
 * method throws {@link IllegalStateException}.
 */
public interface PredictionLog extends AutoCloseable {

    /**
     * Adds one record.
     *
     * @throws IllegalStateException if the log is closed
     */
    void append(PredictionRecord record);

    /**
     * Adds records in list order. The list and its elements are checked for null before any is added.
     *
     * @throws IllegalStateException if the log is closed
     */
    default void appendAll(List<PredictionRecord> records) {
        List.copyOf(Objects.requireNonNull(records, "records")).forEach(this::append);
    }

    /**
     * Returns the records of {@code model} (all versions) whose timestamp {@code t} satisfies
     * {@code fromInclusive <= t < toExclusive}, ordered by timestamp, records with equal timestamps in the
     * order they were appended. The list is an unmodifiable snapshot, fully in memory: read windows sized
     * for that. Records still buffered by an implementation may be missing until {@link #flush()}.
     *
     * @throws IllegalArgumentException if {@code fromInclusive} is after {@code toExclusive}
     * @throws IllegalStateException    if the log is closed
     */
    List<PredictionRecord> read(String model, Instant fromInclusive, Instant toExclusive);

    /**
     * How many records this log accepted but did not keep since it was created: evicted from a bounded
     * store or dropped from a full buffer. A growing count means records are being lost.
     */
    long dropped();

    /** Makes every record appended so far visible to {@code read} and, for durable logs, durable. */
    void flush();

    /** Flushes and releases resources. Idempotent; never throws {@link IllegalStateException}. */
    @Override
    void close();

    /**
     * A thread-safe log that keeps the latest {@code capacity} records in memory, in a ring: when it is
     * full, each append evicts the earliest-appended record and increments {@link #dropped()}. Appends take
     * a short lock and never do I/O. For tests and hosts whose monitoring window fits in memory.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    static PredictionLog inMemory(int capacity) {
        return new InMemoryPredictionLog(capacity);
    }

    /**
     * A durable log in {@code directory} with the default options: segment files of up to 64 MiB, at most
     * 1 GiB in all (the oldest are deleted first), a queue of 65,536 records, an fsync at least every second.
     * Appends never wait for I/O; see {@link RollingPredictionLogBuilder} for the exact semantics, the file
     * format and crash recovery.
     *
     * @throws dev.mlops.core.ResourceUnavailableException if another log holds the directory or it cannot be
     *                                                     used
     * @throws dev.mlops.core.StoreCorruptedException      if a segment left by an earlier process is damaged
     */
    static PredictionLog rollingFiles(Path directory) {
        return rollingFilesBuilder(directory).build();
    }

    /** Options for a durable log of rolling segment files in {@code directory}; see the builder's Javadoc. */
    static RollingPredictionLogBuilder rollingFilesBuilder(Path directory) {
        return new RollingPredictionLogBuilder(directory);
    }

    /**
     * A log that checks its arguments and discards every record: {@code read} returns an empty list,
     * {@code dropped()} stays 0 (discarding is its purpose, not a loss), and {@code close} does nothing, so
     * the shared instance never becomes closed.
     */
    static PredictionLog noop() {
        return NoopPredictionLog.INSTANCE;
    }
}
