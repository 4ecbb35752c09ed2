package dev.mlops.core.spi;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.io.AtomicFiles;
import dev.mlops.core.spi.PredictionSegment.FrameProblem;
import dev.mlops.core.spi.PredictionSegment.FrameReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PredictionLog#rollingFiles(Path)}: a bounded queue drained by one writer thread into rolling,
 * checksummed segment files. Semantics, format and recovery are documented on
 * {@link RollingPredictionLogBuilder}; the byte layout is in {@link PredictionFrames}.
 *
 * <p>Threads: callers only touch {@link #queue} and the atomic counters; the writer thread owns the channel,
 * the encoder and the current segment; readers take a snapshot of {@link #segments} and read each file up
 * to the length the writer published.
 */
final class RollingFilePredictionLog implements PredictionLog {

    private static final Logger LOG = LoggerFactory.getLogger(RollingFilePredictionLog.class);
    static final String LOCK_FILE = "predictions.lock";
    private static final int MAX_BATCH = 4096;
    private static final int WRITE_THRESHOLD = 1 << 20;
    private static final String METER_PREFIX = "mlops.core.predictionlog.";

    /** Directories (real paths) opened by a log in this JVM: a FileLock does not exclude its own process. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    /** A flush (or, with {@code close}, the last) request travelling through the queue behind the records. */
    private record Flush(CompletableFuture<Void> done, boolean close) {
        Flush(boolean close) {
            this(new CompletableFuture<>(), close);
        }
    }

    private final Path directory;
    private final long maxFileBytes;
    private final long maxTotalBytes;
    private final long flushIntervalNanos;
    private final ArrayBlockingQueue<Object> queue;
    private final CopyOnWriteArrayList<PredictionSegment> segments = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Object closeLock = new Object();
    private final CompletableFuture<Void> writerDone = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile boolean writerDead;

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter droppedQueueFull;
    private final Counter droppedRetention;
    private final Counter droppedWriteError;
    private final Counter droppedTooLarge;
    private final Counter droppedClosed;
    private final Counter written;
    private final Timer syncTimer;

    // Writer-thread state.
    private final PredictionFrames.Encoder encoder = new PredictionFrames.Encoder();
    private volatile PredictionSegment active; // volatile for the disk.bytes gauge
    private FileChannel channel;
    private long nextSeq;
    private volatile long sealedBytes;
    private int bufferedRecords;

    private RollingFilePredictionLog(RollingPredictionLogBuilder b, Path directory, FileChannel lockChannel,
            FileLock lock, List<PredictionSegment> recovered, long nextSeq) {
        this.directory = directory;
        this.maxFileBytes = b.maxFileBytes;
        this.maxTotalBytes = b.maxTotalBytes;
        this.flushIntervalNanos = b.flushInterval.toNanos();
        this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.nextSeq = nextSeq;
        this.segments.addAll(recovered);
        this.sealedBytes = recovered.stream().mapToLong(s -> s.length).sum();
        this.registry = b.meterRegistry != null ? b.meterRegistry : new SimpleMeterRegistry();
        Tags tags = Tags.of("directory", directory.toString());
        droppedQueueFull = counter("dropped", tags.and("reason", "queue_full"), "records dropped");
        droppedRetention = counter("dropped", tags.and("reason", "retention"), "records dropped");
        droppedWriteError = counter("dropped", tags.and("reason", "write_error"), "records dropped");
        droppedTooLarge = counter("dropped", tags.and("reason", "too_large"), "records dropped");
        droppedClosed = counter("dropped", tags.and("reason", "closed"), "records dropped");
        written = counter("written", tags, "records written to a segment");
        syncTimer = Timer.builder(METER_PREFIX + "sync").tags(tags).description("segment fsyncs")
                .register(registry);
        meters.add(syncTimer);
        meters.add(Gauge.builder(METER_PREFIX + "queue.size", queue, ArrayBlockingQueue::size).tags(tags)
                .description("records waiting for the writer").register(registry));
        meters.add(Gauge.builder(METER_PREFIX + "disk.bytes", this, RollingFilePredictionLog::diskBytes)
                .tags(tags).description("bytes of segment files").baseUnit("bytes").register(registry));
        meters.add(Gauge.builder(METER_PREFIX + "segments", segments, List::size).tags(tags)
                .description("segment files").register(registry));
    }

    private Counter counter(String name, Tags tags, String description) {
        Counter c = Counter.builder(METER_PREFIX + name).tags(tags).description(description).register(registry);
        meters.add(c);
        return c;
    }

    private double diskBytes() {
        PredictionSegment a = active;
        return sealedBytes + (a == null ? 0 : a.length);
    }

    // ------------------------------------------------------------------ opening and recovery

    static PredictionLog open(RollingPredictionLogBuilder b) {
        Path dir;
        try {
            Files.createDirectories(b.directory);
            dir = b.directory.toRealPath();
        } catch (IOException e) {
            throw new ResourceUnavailableException(b.directory.toString(), "cannot create or resolve the "
                    + "prediction log directory (" + e + ")", e);
        }
        if (!OPEN.add(dir)) {
            throw new ResourceUnavailableException(dir.toString(), "a prediction log in this JVM already has "
                    + "this directory open. Two writers would corrupt it: share that instance, or close it "
                    + "before building another");
        }
        FileChannel lockChannel = null;
        RollingFilePredictionLog log = null;
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = lock(dir, lockChannel);
            lockChannel.truncate(0).write(ByteBuffer.wrap(
                    (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            TreeMap<Long, Path> files = listSegments(dir);
            List<PredictionSegment> recovered = new ArrayList<>();
            for (var e : files.entrySet()) {
                PredictionSegment s = recover(e.getKey(), e.getValue(), e.getKey().equals(files.lastKey()));
                if (s != null) {
                    recovered.add(s);
                }
            }
            long next = files.isEmpty() ? 1 : files.lastKey() + 1;
            log = new RollingFilePredictionLog(b, dir, lockChannel, lock, recovered, next);
            log.applyRetention();
            log.openSegment();
            ThreadFactory factory = b.threadFactory != null ? b.threadFactory
                    : Thread.ofPlatform().name("mlops-prediction-log-writer").daemon(true).factory();
            Thread writer = factory.newThread(log::runWriter);
            if (writer == null) {
                throw new IllegalStateException("the threadFactory returned null for the prediction log writer. "
                        + "Fix: pass a ThreadFactory that always returns a thread");
            }
            writer.start();
            LOG.debug("prediction log opened at {} with {} earlier segments", dir, recovered.size());
            return log;
        } catch (IOException e) {
            release(dir, lockChannel, log);
            throw new ResourceUnavailableException(dir.toString(), "cannot open the prediction log (" + e + ")", e);
        } catch (RuntimeException | Error e) {
            release(dir, lockChannel, log);
            throw e;
        }
    }

    private static void release(Path dir, FileChannel lockChannel, RollingFilePredictionLog log) {
        if (log != null) {
            log.closeQuietly(log.channel);
            log.removeMeters();
        }
        if (lockChannel != null) {
            try {
                lockChannel.close(); // releases the lock
            } catch (IOException e) {
                LOG.warn("could not close the lock file of {}", dir, e);
            }
        }
        OPEN.remove(dir);
    }

    private static FileLock lock(Path dir, FileChannel lockChannel) throws IOException {
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String owner;
            try {
                ByteBuffer pid = ByteBuffer.allocate(32);
                lockChannel.read(pid, 0);
                owner = "process " + new String(pid.array(), 0, pid.position(), StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                owner = "another process";
            }
            throw new ResourceUnavailableException(dir.toString(), owner + " holds the write lock '" + LOCK_FILE
                    + "' of this prediction log. Two writers would corrupt it: stop that process, or give this "
                    + "one its own directory");
        }
        return lock;
    }

    private static TreeMap<Long, Path> listSegments(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        List<Path> indexes = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                long seq = PredictionSegment.parseSeq(name);
                if (seq >= 0) {
                    files.put(seq, p);
                } else if (name.startsWith("." + PredictionSegment.PREFIX) && name.endsWith(".tmp")) {
                    Files.deleteIfExists(p); // a summary write cut short by a crash
                } else if (name.startsWith(PredictionSegment.PREFIX) && name.endsWith(PredictionSegment.INDEX_SUFFIX)) {
                    indexes.add(p);
                }
            }
        }
        for (Path idx : indexes) { // a summary whose segment retention deleted just before a crash
            String log = idx.getFileName().toString().replace(PredictionSegment.INDEX_SUFFIX,
                    PredictionSegment.LOG_SUFFIX);
            if (!files.containsKey(PredictionSegment.parseSeq(log))) {
                Files.deleteIfExists(idx);
            }
        }
        return files;
    }

    /**
     * Loads a segment left by an earlier process: from its summary if it has a valid one, otherwise by
     * scanning it. Returns {@code null} (and deletes the file) for a segment without records.
     */
    private static PredictionSegment recover(long seq, Path path, boolean last) throws IOException {
        PredictionSegment s = PredictionSegment.fromIndex(seq, path);
        if (s == null) {
            s = scan(seq, path, last);
            if (s.records > 0) {
                s.writeIndex();
            }
        }
        if (s.records == 0) {
            Files.deleteIfExists(s.indexPath());
            Files.deleteIfExists(path);
            return null;
        }
        return s;
    }

    /**
     * Scans a segment frame by frame. In the last segment ({@code tail}), a torn frame at the end is cut off;
     * any other damage throws {@link StoreCorruptedException}.
     */
    private static PredictionSegment scan(long seq, Path path, boolean tail) throws IOException {
        PredictionSegment s = new PredictionSegment(seq, path);
        long size = Files.size(path);
        long good;
        try (FrameReader reader = new FrameReader(path, size)) {
            ByteBuffer payload;
            while ((payload = reader.next()) != null) {
                String model;
                try {
                    model = PredictionFrames.model(payload);
                } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
                    throw new StoreCorruptedException(path, "the frame ending at byte offset " + reader.offset()
                            + " has a valid checksum but no readable model name (" + e.getMessage() + ")",
                            "move the segment out of the directory, or read it with the release that wrote it");
                }
                s.note(PredictionFrames.timestamp(payload), model);
            }
            good = reader.offset();
        } catch (FrameProblem p) {
            boolean torn = p.kind == FrameProblem.Kind.TORN
                    || (p.kind == FrameProblem.Kind.BAD_CHECKSUM && p.frameEnd == size)
                    || zeroFrom(path, p.offset);
            if (!tail || !torn) {
                throw p.toCorruption(path);
            }
            if (p.offset == 0) {
                s.records = 0; // not even a whole segment header: created just before the crash
                return s;
            }
            LOG.warn("prediction log segment {}: cutting off {} bytes of a torn last write at byte offset {} ({})",
                    path, size - p.offset, p.offset, p.getMessage());
            good = p.offset;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(good);
                ch.force(true);
            }
        }
        s.length = good;
        return s;
    }

    private static boolean zeroFrom(Path path, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 << 10);
            long pos = offset;
            int n;
            while ((n = ch.read(buf, pos)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) != 0) {
                        return false;
                    }
                }
                pos += n;
                buf.clear();
            }
            return true;
        }
    }

    // ------------------------------------------------------------------ the caller's side

    @Override
    public void append(PredictionRecord record) {
        Objects.requireNonNull(record, "record");
        checkOpen();
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
            droppedQueueFull.increment();
        }
    }

    @Override
    public List<PredictionRecord> read(String model, Instant fromInclusive, Instant toExclusive) {
        InMemoryPredictionLog.checkRange(model, fromInclusive, toExclusive);
        checkOpen();
        byte[] modelBytes = model.getBytes(StandardCharsets.UTF_8);
        List<PredictionRecord> out = new ArrayList<>();
        for (PredictionSegment s : segments) { // a snapshot, in append order
            long limit = s.length; // read before the summary: the summary covers at least these bytes
            if (limit <= PredictionFrames.SEGMENT_HEADER_BYTES || !s.mayContain(model, fromInclusive, toExclusive)) {
                continue;
            }
            try (FrameReader reader = new FrameReader(s.path, limit)) {
                ByteBuffer payload;
                while ((payload = reader.next()) != null) {
                    if (!PredictionFrames.modelEquals(payload, modelBytes)) {
                        continue;
                    }
                    Instant t = PredictionFrames.timestamp(payload);
                    if (!t.isBefore(fromInclusive) && t.isBefore(toExclusive)) {
                        out.add(decode(s.path, reader, payload));
                    }
                }
            } catch (NoSuchFileException e) {
                // deleted by retention since the snapshot; its records are counted in dropped()
            } catch (FrameProblem p) {
                throw p.toCorruption(s.path);
            } catch (IOException e) {
                throw new ResourceUnavailableException(s.path.toString(), "cannot read the prediction log "
                        + "segment (" + e + ")", e);
            }
        }
        out.sort(Comparator.comparing(PredictionRecord::timestamp)); // stable: ties keep append order
        return java.util.Collections.unmodifiableList(out);
    }

    private static PredictionRecord decode(Path path, FrameReader reader, ByteBuffer payload) {
        try {
            return PredictionFrames.decode(payload);
        } catch (IllegalArgumentException e) {
            long offset = reader.offset() - PredictionFrames.FRAME_HEADER_BYTES - payload.limit();
            throw new StoreCorruptedException(path, "the frame at byte offset " + offset + " has a valid "
                    + "checksum but is not a version-" + PredictionFrames.FORMAT_VERSION + " record: "
                    + e.getMessage(), "read it with the release that wrote it, or move the segment out of the "
                    + "directory");
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void flush() {
        checkOpen();
        Flush f = new Flush(false);
        enqueue(f);
        await(f);
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            Flush f = new Flush(true);
            enqueue(f);
            writerDone.join(); // not interruptible: the lock must not be released while the writer runs
            try {
                f.done.getNow(null);
            } catch (RuntimeException e) {
                LOG.error("prediction log {}: the last flush before closing failed", directory, e);
            }
            release(directory, lockChannel, null);
            removeMeters();
        }
    }

    private void removeMeters() {
        meters.forEach(registry::remove);
    }

    /** Puts a flush request behind the records already queued; waits for room, never forever. */
    private void enqueue(Flush f) {
        try {
            while (!queue.offer(f, 50, TimeUnit.MILLISECONDS)) {
                if (writerDead) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.done.completeExceptionally(new ResourceUnavailableException(directory.toString(),
                    "interrupted while waiting to flush the prediction log", e));
        }
        if (writerDead) {
            f.done.completeExceptionally(new IllegalStateException("the writer of the prediction log at "
                    + directory + " has stopped; see the earlier error in the log, then build a new log"));
        }
    }

    private void await(Flush f) {
        try {
            f.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceUnavailableException(directory.toString(), "interrupted while waiting for a flush "
                    + "of the prediction log", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ResourceUnavailableException(directory.toString(), "the flush failed (" + e.getCause() + ")",
                    e.getCause());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the prediction log at " + directory + " is closed; build a new one "
                    + "with PredictionLog.rollingFiles(directory)");
        }
    }

    // ------------------------------------------------------------------ the writer thread

    private void runWriter() {
        List<Object> batch = new ArrayList<>(MAX_BATCH);
        List<Flush> acks = new ArrayList<>();
        boolean dirty = false;
        boolean stop = false;
        long lastSync = System.nanoTime();
        IOException failure = null; // since the last acknowledged flush
        try {
            while (!stop) {
                Object first;
                if (dirty) {
                    long wait = lastSync + flushIntervalNanos - System.nanoTime();
                    first = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                } else {
                    first = queue.take();
                }
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                }
                for (Object item : batch) {
                    if (item instanceof PredictionRecord r) {
                        try {
                            add(r);
                        } catch (IOException e) {
                            failure = failed(failure, e);
                        }
                    } else if (item instanceof Flush f) {
                        acks.add(f);
                        stop |= f.close;
                    }
                }
                batch.clear();
                try {
                    dirty |= writeBuffered();
                } catch (IOException e) {
                    failure = failed(failure, e);
                }
                if (dirty && (!acks.isEmpty() || System.nanoTime() - lastSync >= flushIntervalNanos)) {
                    try {
                        sync();
                    } catch (IOException e) {
                        failure = failed(failure, e);
                    }
                    dirty = false;
                    lastSync = System.nanoTime();
                }
                if (stop) {
                    try {
                        sealOrDeleteActive();
                    } catch (IOException e) {
                        failure = failed(failure, e);
                    }
                }
                if (!acks.isEmpty()) {
                    complete(acks, failure);
                    failure = null;
                    acks.clear();
                }
            }
        } catch (InterruptedException e) {
            LOG.error("the prediction log writer for {} was interrupted and stops; records still queued are "
                    + "dropped. Do not interrupt the thread of the ThreadFactory given to the builder", directory);
        } catch (RuntimeException | Error e) {
            LOG.error("the prediction log writer for {} failed and stops; records still queued are dropped",
                    directory, e);
            throw e;
        } finally {
            writerDead = true;
            closeQuietly(channel);
            long lost = bufferedRecords;
            bufferedRecords = 0;
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof Flush f) {
                    f.done.completeExceptionally(new IllegalStateException("the writer of the prediction log at "
                            + directory + " stopped before this flush; see the earlier error in the log"));
                } else {
                    lost++;
                }
            }
            acks.forEach(f -> f.done.completeExceptionally(new IllegalStateException("the writer of the "
                    + "prediction log at " + directory + " stopped before this flush")));
            if (lost > 0) {
                dropped.addAndGet(lost);
                droppedClosed.increment(lost);
            }
            writerDone.complete(null);
        }
    }

    private IOException failed(IOException previous, IOException e) {
        LOG.error("prediction log {}: a write or fsync failed; the records involved are dropped", directory, e);
        if (previous != null) {
            previous.addSuppressed(e);
            return previous;
        }
        return e;
    }

    private void complete(List<Flush> acks, IOException failure) {
        for (Flush f : acks) {
            if (failure == null) {
                f.done.complete(null);
            } else {
                f.done.completeExceptionally(new ResourceUnavailableException(directory.toString(), "writing or "
                        + "syncing the prediction log failed since the previous flush (" + failure + "); the "
                        + "records involved are counted in dropped()", failure));
            }
        }
    }

    /** Encodes one record into the buffer, rolling to a new segment first if it would not fit. */
    private void add(PredictionRecord r) throws IOException {
        if (channel == null) {
            openSegment(); // the previous segment was abandoned after a failed write
        }
        int start = encoder.position();
        int size = encoder.appendFrame(r);
        if (size < 0) {
            LOG.warn("prediction log {}: a record of model '{}' is larger than {} bytes encoded and is dropped",
                    directory, r.model(), PredictionFrames.MAX_PAYLOAD_BYTES);
            dropped.incrementAndGet();
            droppedTooLarge.increment();
            return;
        }
        long before = active.length + start;
        if (before + size > maxFileBytes && before > PredictionFrames.SEGMENT_HEADER_BYTES) {
            byte[] frame = encoder.cut(start, size);
            writeBuffered();
            roll();
            encoder.appendRaw(frame);
        }
        active.note(r.timestamp(), r.model());
        bufferedRecords++;
        if (encoder.position() >= WRITE_THRESHOLD) {
            writeBuffered();
        }
    }

    /** Writes the encoded frames to the current segment and publishes its new length. */
    private boolean writeBuffered() throws IOException {
        if (encoder.position() == 0) {
            return false;
        }
        ByteBuffer buf = encoder.buffer().flip();
        long pos = active.length;
        int records = bufferedRecords;
        try {
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
        } catch (IOException e) {
            bufferedRecords = 0;
            encoder.clear();
            active.records -= records;
            dropped.addAndGet(records);
            droppedWriteError.increment(records);
            try {
                channel.truncate(active.length); // back to the last whole frame
            } catch (IOException second) {
                e.addSuppressed(second);
                abandonActive();
            }
            throw e;
        }
        encoder.clear();
        bufferedRecords = 0;
        active.length = pos; // publishes the frames to readers
        written.increment(records);
        return true;
    }

    private void sync() throws IOException {
        long t0 = System.nanoTime();
        channel.force(true);
        syncTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    /** Seals the current segment, deletes the oldest ones over the budget and opens the next. */
    private void roll() throws IOException {
        sealOrDeleteActive();
        applyRetention();
        openSegment();
    }

    private void sealOrDeleteActive() throws IOException {
        if (active == null || channel == null) {
            return;
        }
        if (active.records == 0) {
            closeQuietly(channel);
            channel = null;
            segments.remove(active);
            Files.deleteIfExists(active.path);
            active = null;
            return;
        }
        sync();
        channel.close();
        channel = null;
        active.writeIndex();
        sealedBytes += active.length;
        active = null;
    }

    /** After a failed write that could not be undone: keep the segment up to its last whole frame. */
    private void abandonActive() {
        closeQuietly(channel);
        channel = null;
        try {
            active.writeIndex(); // readers and recovery stop at the last whole frame
        } catch (IOException e) {
            LOG.error("prediction log {}: could not write the summary of {}", directory, active.path, e);
        }
        sealedBytes += active.length;
        active = null;
    }

    /** Deletes the oldest sealed segments until they and one full segment fit in maxTotalBytes. */
    private void applyRetention() throws IOException {
        while (!segments.isEmpty() && segments.get(0) != active && sealedBytes + maxFileBytes > maxTotalBytes) {
            PredictionSegment oldest = segments.remove(0);
            Files.deleteIfExists(oldest.path);
            Files.deleteIfExists(oldest.indexPath());
            sealedBytes -= oldest.length;
            dropped.addAndGet(oldest.records);
            droppedRetention.increment(oldest.records);
            LOG.debug("prediction log {}: deleted {} ({} records) to stay under {} bytes", directory,
                    oldest.path.getFileName(), oldest.records, maxTotalBytes);
        }
    }

    private void openSegment() throws IOException {
        long seq = nextSeq++;
        Path path = directory.resolve(PredictionSegment.fileName(seq));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = PredictionFrames.segmentHeader();
            while (header.hasRemaining()) {
                ch.write(header, header.position());
            }
            AtomicFiles.syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            Files.deleteIfExists(path);
            throw e;
        }
        PredictionSegment s = new PredictionSegment(seq, path);
        s.length = PredictionFrames.SEGMENT_HEADER_BYTES;
        channel = ch;
        active = s;
        segments.add(s);
    }

    private void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            LOG.warn("prediction log {}: could not close a segment", directory, e);
        }
    }
}
