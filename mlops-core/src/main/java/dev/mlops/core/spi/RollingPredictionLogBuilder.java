package dev.mlops.core.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Options of the durable {@link PredictionLog} that writes rolling segment files into one directory; obtained
 * from {@link PredictionLog#rollingFilesBuilder(Path)}. This Javadoc is its manual.
 *
 * <pre>{@code
 * try (PredictionLog log = PredictionLog.rollingFilesBuilder(home.resolve("predictions"))
 *         .maxFileBytes(64 << 20)          // roll to a new segment at 64 MiB
 *         .maxTotalBytes(1L << 30)         // keep at most 1 GiB: the oldest segments are deleted
 *         .flushInterval(Duration.ofSeconds(1))
 *         .meterRegistry(registry)
 *         .build()) {
 *     log.append(record);                  // never waits for I/O
 *     log.flush();                         // everything appended so far is on disk and readable
 *     List<PredictionRecord> window = log.read("churn", from, to);
 * }
 * }</pre>
 *
 * <h2>Writing</h2>
 * {@code append} puts the record on a bounded in-memory queue ({@link #queueCapacity}) and returns; it takes
 * one short lock and does no I/O. When the queue is full the record is not kept: it is counted in
 * {@link PredictionLog#dropped()} and the counter {@code mlops.core.predictionlog.dropped{reason=queue_full}},
 * and the caller is never blocked. One background writer thread, made by the {@link #threadFactory} when the
 * log is built and ended by {@code close()}, drains the queue in batches, encodes the records and writes them
 * to the current segment. It forces (fsyncs) the segment at least every {@link #flushInterval} while there
 * are unsynced writes, at every roll, and when a {@code flush()} asks.
 *
 * <h2>Flush, read and close</h2>
 * {@code flush()} returns once every record appended before the call is written and forced to disk (records
 * the queue dropped are not); it throws {@link dev.mlops.core.ResourceUnavailableException} if a write or
 * fsync failed since the previous flush. {@code read} sees every record the writer has written (at the latest,
 * every record appended before the last {@code flush()}); it scans only segments whose summary (time range,
 * model names) can match, and sorts by timestamp, keeping append order for equal timestamps. {@code close()}
 * writes and forces what is queued, seals the current segment and releases the directory.
 *
 * <h2>Bounded disk use</h2>
 * The writer rolls to a new segment before a record would take the current one past {@link #maxFileBytes}
 * (a single record larger than that gets a segment of its own). When it opens a segment it deletes the oldest
 * segments until the sealed ones plus one full segment fit in {@link #maxTotalBytes}, so the segments never
 * take more than {@code maxTotalBytes} (plus the small {@code .idx} and lock files). The records of a deleted
 * segment are counted in {@code dropped()} ({@code reason=retention}).
 *
 * <h2>One writer per directory</h2>
 * Building takes an exclusive {@link java.nio.channels.FileLock} on {@code predictions.lock} (which then holds
 * the owner's process id) and registers the directory in this JVM; a second log on the same directory, in
 * this process or another, is refused with a {@link dev.mlops.core.ResourceUnavailableException} naming the
 * directory and the owner. Only a closed log releases the directory.
 *
 * <h2>On-disk format (version 1)</h2>
 * The directory holds {@code predictions.lock}, segments {@code predictions-<seq>.log} ({@code seq} a
 * 12-digit, zero-padded sequence number in append order) and, for each sealed segment, a summary
 * {@code predictions-<seq>.idx}. All integers are big-endian.
 * <ul>
 *   <li>A segment starts with 8 bytes: {@code "MLPL"} and the format version as an int ({@code 1}), then
 *       frames, back to back.</li>
 *   <li>A frame is {@code int length, int ~length, int crc32c(payload), payload[length]}. The complement lets
 *       a reader tell a damaged length from a frame cut short; CRC32C is {@link java.util.zip.CRC32C} over the
 *       payload.</li>
 *   <li>A payload is one record: {@code long epochSecond, int nano} (the timestamp), {@code string model},
 *       {@code string version}, {@code string requestId} (length -1 for null), {@code long latencyNanos},
 *       {@code int inputCount}, then {@code inputCount} times {@code string name, value}, then the output
 *       {@code value}. A {@code string} is {@code int byteLength} and UTF-8 bytes. A {@code value} is a tag
 *       byte and its data: {@code 0} null; {@code 1} Double (8 bytes, IEEE 754 raw bits, so NaN and -0.0
 *       survive); {@code 2} Long (8); {@code 3} Boolean (1 byte, 0 or 1); {@code 4} String; {@code 5} Instant
 *       ({@code long epochSecond, int nano}); {@code 6} double[] ({@code int n}, then n doubles; outputs
 *       only).</li>
 *   <li>A summary ({@code .idx}, written atomically when a segment is sealed) holds "MLPI", the version, the
 *       segment's length in bytes, its record count, its earliest and latest timestamp, and its model names
 *       (or "any" past 64 names), followed by a CRC32C of those bytes. It is an optimisation only: a missing
 *       or damaged summary makes the segment be scanned again when the directory is opened.</li>
 * </ul>
 *
 * <h2>Crashes and corruption</h2>
 * A process killed mid-write can leave the last segment ending in a torn frame. When the directory is
 * opened again, the last segment without a summary is scanned: a tail that is a cut-short frame, a last
 * frame whose checksum fails, or only zero bytes (a file extended but never written) is truncated away (and
 * logged at WARN); every record that a returned {@code flush()} acknowledged is before it and kept. New
 * records always go to a new segment. Damage anywhere else is never skipped silently: a frame whose length
 * check or CRC32C fails in the middle of a segment makes {@code build()} (for a segment being recovered) or
 * {@code read} (for a sealed segment, which is verified as it is read) throw
 * {@link dev.mlops.core.StoreCorruptedException} naming the segment file, the byte offset and the stored and
 * computed checksums; the fix is to move that segment out of the directory (its records are lost) or to
 * restore it from a backup. A read that does not need the damaged segment (other model, other time range)
 * still succeeds.
 *
 * <h2>Metrics</h2>
 * Tagged {@code directory=<path>}: counters {@code mlops.core.predictionlog.written} and
 * {@code mlops.core.predictionlog.dropped} (tag {@code reason}: {@code queue_full}, {@code retention},
 * {@code write_error}, {@code too_large} for a record over 16 MiB encoded, {@code closed} for records still
 * queued when the writer stopped abnormally), timer {@code mlops.core.predictionlog.sync} (each fsync), gauges
 * {@code mlops.core.predictionlog.queue.size}, {@code mlops.core.predictionlog.disk.bytes} and
 * {@code mlops.core.predictionlog.segments}. They are removed from the registry by {@code close()}.
 *
 * <p>A builder is not thread-safe; the log it builds is.
 */
public final class RollingPredictionLogBuilder {

    /** The smallest {@link #maxFileBytes} accepted. */
    public static final long MIN_FILE_BYTES = 1024;

    final Path directory;
    long maxFileBytes = 64L << 20;
    long maxTotalBytes = 1L << 30;
    int queueCapacity = 65_536;
    Duration flushInterval = Duration.ofSeconds(1);
    ThreadFactory threadFactory;
    MeterRegistry meterRegistry;

    RollingPredictionLogBuilder(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Rolls to a new segment before one would pass this size; default 64 MiB.
     *
     * @throws IllegalArgumentException if {@code bytes < } {@value #MIN_FILE_BYTES}
     */
    public RollingPredictionLogBuilder maxFileBytes(long bytes) {
        if (bytes < MIN_FILE_BYTES) {
            throw new IllegalArgumentException("maxFileBytes must be >= " + MIN_FILE_BYTES + ", but was " + bytes
                    + ". Fix: pass a segment size such as 64 << 20 (64 MiB)");
        }
        this.maxFileBytes = bytes;
        return this;
    }

    /**
     * The most bytes the segments may take together; the oldest are deleted to stay under it. Default 1 GiB;
     * must be at least {@link #maxFileBytes} (checked by {@link #build()}).
     *
     * @throws IllegalArgumentException if {@code bytes < } {@value #MIN_FILE_BYTES}
     */
    public RollingPredictionLogBuilder maxTotalBytes(long bytes) {
        if (bytes < MIN_FILE_BYTES) {
            throw new IllegalArgumentException("maxTotalBytes must be >= " + MIN_FILE_BYTES + ", but was " + bytes
                    + ". Fix: pass a disk budget such as 1L << 30 (1 GiB)");
        }
        this.maxTotalBytes = bytes;
        return this;
    }

    /**
     * How many appended records may wait for the writer; past it appends are dropped and counted. Default
     * 65,536.
     *
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public RollingPredictionLogBuilder queueCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be >= 1, but was " + capacity
                    + ". Fix: size it for the predictions of a few seconds, e.g. 65536");
        }
        this.queueCapacity = capacity;
        return this;
    }

    /**
     * The longest time written records stay unsynced without a {@code flush()}: the bound on what a power
     * cut loses. Default 1 second.
     *
     * @throws IllegalArgumentException if the interval is zero or negative
     */
    public RollingPredictionLogBuilder flushInterval(Duration interval) {
        Objects.requireNonNull(interval, "flushInterval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, but was " + interval
                    + ". Fix: pass e.g. Duration.ofSeconds(1)");
        }
        this.flushInterval = interval;
        return this;
    }

    /**
     * Makes the one writer thread, once, when the log is built; the thread runs until {@code close()} and
     * must not be interrupted. Default: a platform daemon thread named {@code mlops-prediction-log-writer}.
     */
    public RollingPredictionLogBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "threadFactory");
        return this;
    }

    /** Where the meters go; default a private {@link SimpleMeterRegistry}. */
    public RollingPredictionLogBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
        return this;
    }

    /**
     * Creates the directory if needed, takes its lock, recovers the segments left by an earlier process and
     * starts the writer.
     *
     * @throws IllegalStateException                          if {@code maxTotalBytes < maxFileBytes}
     * @throws dev.mlops.core.ResourceUnavailableException if the directory is held by another log or
     *                                                        cannot be created, read or written
     * @throws dev.mlops.core.StoreCorruptedException         if a segment being recovered is damaged other
     *                                                        than by a torn last write
     */
    public PredictionLog build() {
        if (maxTotalBytes < maxFileBytes) {
            throw new IllegalStateException("maxTotalBytes (" + maxTotalBytes + ") is smaller than maxFileBytes ("
                    + maxFileBytes + "). Fix: raise maxTotalBytes to at least a few segments, e.g. "
                    + 4 * maxFileBytes);
        }
        return RollingFilePredictionLog.open(this);
    }
}
