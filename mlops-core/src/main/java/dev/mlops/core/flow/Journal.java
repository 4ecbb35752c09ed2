package dev.mlops.core.flow;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run history: an append-only journal of length-prefixed, CRC32C-checked records in
 * {@code <home>/history.journal}, and an in-memory index of flow-run summaries.
 *
 * <p>Durability: a flow-start and a flow-end record are written and fsynced before the engine goes on, so
 * a started run is always on disk. Task records are buffered and reach the OS within {@link #FLUSH_MILLIS}
 * (or when 64 KiB pile up) and are fsynced with the next flow-end record; a killed process can lose the
 * task records of its last {@value #FLUSH_MILLIS} ms, never a flow record. On open a torn tail (a record cut
 * by a crash) is truncated, a bad record followed by good ones is reported as corruption, and every run
 * without an end record is closed as CRASHED.
 */
final class Journal implements RunHistory, AutoCloseable {

    static final long FLUSH_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_TEXT = 4000;
    /** File header: magic {@code MLFJ} and the format version (4 bytes, big-endian). */
    private static final byte[] MAGIC = {'M', 'L', 'F', 'J'};
    private static final int VERSION = 1;
    private static final int HEADER = 8;
    private static final byte FLOW_START = 1;
    private static final byte TASK = 2;
    private static final byte FLOW_END = 3;

    private final Path file;
    private FileChannel channel;
    private final ScheduledExecutorService flusher;
    private final CRC32C crc = new CRC32C();
    /** Records are encoded straight into this buffer; it holds any record (text fields are capped). */
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER * 2);
    private int recordStart;
    private boolean flushScheduled;
    private boolean closed;

    /** Flow run summaries by id, in start order. */
    private final LinkedHashMap<String, Summary> runs = new LinkedHashMap<>();

    private static final class Summary {
        final String runId;
        final String flow;
        final String parent;
        final Instant start;
        final long seq;
        FlowState state = FlowState.RUNNING;
        Instant end;
        String error;

        Summary(String runId, String flow, String parent, Instant start, long seq) {
            this.runId = runId;
            this.flow = flow;
            this.parent = parent;
            this.start = start;
            this.seq = seq;
        }
    }

    private long seq;
    private final Clock clock;
    /** Runs kept per flow name (Integer.MAX_VALUE: all) and the longest a finished run is kept (null: forever). */
    private final int keepRuns;
    private final java.time.Duration maxAge;
    /** The journal size at which the next automatic compaction runs. */
    private long compactAt = 1L << 20;
    /** The smallest journal that is compacted automatically; a field so tests can lower it. */
    long minCompactBytes = 1L << 20;
    private int compactions;
    /** Task records dropped because the disk was full and the buffer had no room. */
    private long lost;

    Journal(Path home, Clock clock, ScheduledExecutorService flusher, int keepRuns, java.time.Duration maxAge) {
        this.file = home.resolve("history.journal");
        this.flusher = flusher;
        this.clock = clock;
        this.keepRuns = keepRuns;
        this.maxAge = maxAge;
        try {
            Files.deleteIfExists(home.resolve("history.journal.compact")); // a compaction cut short by a crash
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            long good = load();
            if (good < channel.size()) {
                LOG.warn("run history {}: truncating a torn record at byte {} (the process stopped while "
                        + "writing it)", file, good);
                channel.truncate(good);
            }
            channel.position(good);
            List<Summary> crashed = runs.values().stream().filter(s -> s.state == FlowState.RUNNING).toList();
            Instant now = clock.instant();
            for (Summary s : crashed) {
                LOG.warn("flow '{}' run {} was interrupted by a crash; recording it as CRASHED", s.flow, s.runId);
                flowEnded(s.runId, FlowState.CRASHED, now, "the process stopped while the run was going; "
                        + "found unfinished when the history was reopened");
            }
            if (retains()) {
                compact();
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot open the run history (" + e + ")",
                    e);
        }
    }

    private long load() throws IOException {
        long size = channel.size();
        ByteBuffer all = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE - 8));
        channel.read(all, 0);
        all.flip();
        if (all.remaining() < HEADER) {
            // new (or cut before its header was complete, which holds no record): write the header
            channel.truncate(0);
            writeFully(ByteBuffer.allocate(HEADER).put(MAGIC).putInt(VERSION).flip(), 0);
            channel.force(false);
            return HEADER;
        }
        byte[] magic = new byte[4];
        all.get(magic);
        int version = all.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new StoreCorruptedException(file, "it does not start with the MLFJ magic of a run history",
                    "point the engine at its own home directory, or move this file aside");
        }
        if (version != VERSION) {
            throw new StoreCorruptedException(file, "format version " + version + " is not " + VERSION
                    + ", the only one this release reads", "open it with the release that wrote it");
        }
        long good = HEADER;
        CRC32C check = new CRC32C();
        while (all.remaining() >= 8) {
            int start = all.position();
            int length = all.getInt();
            int sum = all.getInt();
            if (length <= 0 || length > all.remaining()) {
                all.position(start);
                break;
            }
            byte[] body = new byte[length];
            all.get(body);
            check.reset();
            check.update(body);
            if ((int) check.getValue() != sum) {
                if (all.remaining() == 0) {
                    all.position(start);
                    break; // a torn last record
                }
                throw new StoreCorruptedException(file, "record at byte " + start + " fails its CRC32C check "
                        + "(expected " + Integer.toHexString(sum) + ", found "
                        + Integer.toHexString((int) check.getValue()) + ") and more records follow it",
                        "move the file aside to start a new history, or restore it from a backup");
            }
            apply(body, null);
            good = all.position();
        }
        return good;
    }

    /** Applies a record to the index, or (with {@code tasksFor}) collects task records of those runs. */
    private void apply(byte[] body, Map<String, List<TaskRunRecord>> tasksFor) {
        ByteBuffer in = ByteBuffer.wrap(body);
        byte type = in.get();
        if (type == TASK && tasksFor == null) {
            return; // the index holds flow summaries only; task records are read back on query
        }
        String runId = getText(in);
        switch (type) {
            case FLOW_START -> {
                String flow = getText(in);
                String parent = getText(in);
                Instant start = getInstant(in);
                if (tasksFor == null) {
                    runs.put(runId, new Summary(runId, flow, parent, start, seq++));
                }
            }
            case TASK -> {
                if (tasksFor != null && tasksFor.containsKey(runId)) {
                    String task = getText(in);
                    TaskState state = TaskState.values()[in.get()];
                    int attempts = in.getInt();
                    Instant start = getInstant(in);
                    Instant end = getInstant(in);
                    tasksFor.get(runId).add(new TaskRunRecord(runId, task, state, attempts, start, end,
                            getText(in), getText(in), getText(in)));
                }
            }
            case FLOW_END -> {
                FlowState state = FlowState.values()[in.get()];
                Instant end = getInstant(in);
                String error = getText(in);
                Summary s = runs.get(runId);
                if (tasksFor == null && s != null) {
                    s.state = state;
                    s.end = end;
                    s.error = error;
                }
            }
            default -> throw new StoreCorruptedException(file, "unknown record type " + type,
                    "this history was written by a newer release, or is damaged");
        }
    }

    /**
     * Records a run's start durably.
     *
     * @throws ResourceUnavailableException if it cannot be written (a full disk): the run must not start
     */
    synchronized void flowStarted(String runId, String flow, String parent, Instant start) {
        recordStart = -1;
        try {
            begin(FLOW_START, runId, size(flow) + size(parent) + 13);
            putText(flow);
            putText(parent);
            putInstant(start);
            commit(true);
            runs.put(runId, new Summary(runId, flow, parent, start, seq++));
        } catch (IOException e) {
            if (recordStart >= 0) {
                buffer.position(recordStart); // this start record is withdrawn; earlier buffered ones stay
            }
            throw failed(e);
        }
    }

    /**
     * Buffers a task record. A record that cannot be buffered because the disk is full and the buffer has no
     * room left is dropped and logged (the task's outcome stays in its {@code FlowResult}).
     */
    synchronized void task(TaskRunRecord r) {
        recordStart = -1;
        try {
            begin(TASK, r.flowRunId(), size(r.task()) + 1 + 4 + 26 + size(r.error()) + size(r.cacheKey())
                    + size(r.cacheNote()));
            putText(r.task());
            buffer.put((byte) r.state().ordinal());
            buffer.putInt(r.attempts());
            putInstant(r.start());
            putInstant(r.end());
            putText(r.error());
            putText(r.cacheKey());
            putText(r.cacheNote());
            commit(false);
        } catch (IOException e) {
            if (recordStart < 0) {
                lost++;
                LOG.error("run history {}: task record of '{}' in run {} dropped, the buffer is full and the file "
                        + "cannot grow: {}", file, r.task(), r.flowRunId(), e.toString());
            } else {
                LOG.error("run history {}: writing buffered task records failed ({}); they stay buffered and are "
                        + "written by the next flush once there is room", file, e.toString());
            }
        }
    }

    /**
     * Records a run's end. If the disk is full the record stays buffered and is written by a later flush or
     * {@link #close()} once there is room (the run reads as ended in this process meanwhile); if it never
     * reaches the file, the run reopens as CRASHED.
     *
     * @throws ResourceUnavailableException if the record could not be written now
     */
    synchronized void flowEnded(String runId, FlowState state, Instant end, String error) {
        Summary s = runs.get(runId);
        if (s != null) {
            s.state = state;
            s.end = end;
            s.error = error;
        }
        try {
            begin(FLOW_END, runId, 1 + 13 + size(error));
            buffer.put((byte) state.ordinal());
            putInstant(end);
            putText(error);
            commit(true);
        } catch (IOException e) {
            throw failed(e);
        }
        if (retains() && positionOrLimit() >= compactAt) {
            compact();
        }
    }

    private boolean retains() {
        return keepRuns != Integer.MAX_VALUE || maxAge != null;
    }

    /**
     * Drops finished runs beyond the retention (the last {@code keepRuns} runs of each flow, runs that ended
     * within {@code maxAge}): their records are left out of a new journal written beside the old one, fsynced
     * and renamed over it, so a crash at any point leaves either the old or the new journal. Running runs are
     * always kept. Returns the number of runs dropped; 0 (and no rewrite) when none is due.
     */
    synchronized int compact() {
        if (closed) {
            throw new IllegalStateException("the flow engine is closed");
        }
        java.util.Set<String> drop = new java.util.HashSet<>();
        Instant now = clock.instant();
        Map<String, Integer> seen = new HashMap<>();
        List<Summary> newestFirst = new ArrayList<>(runs.values());
        newestFirst.sort(NEWEST_FIRST);
        for (Summary s : newestFirst) {
            int rank = seen.merge(s.flow, 1, Integer::sum);
            if (s.state == FlowState.RUNNING) {
                continue;
            }
            boolean tooMany = rank > keepRuns;
            boolean tooOld = maxAge != null && s.end != null && s.end.plus(maxAge).isBefore(now);
            if (tooMany || tooOld) {
                drop.add(s.runId);
            }
        }
        if (drop.isEmpty()) {
            compactAt = Math.max(minCompactBytes, 2 * positionOrLimit());
            return 0;
        }
        Path tmp = file.resolveSibling("history.journal.compact");
        try {
            drain();
            long size = channel.position();
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
                // positional reads until the buffer is full
            }
            all.flip();
            all.position(HEADER);
            ByteBuffer out = ByteBuffer.allocate((int) size);
            out.put(MAGIC).putInt(VERSION);
            while (all.remaining() >= 8) {
                int start = all.position();
                int length = all.getInt(start);
                int idLength = all.getInt(start + 8 + 1); // after the frame and the record type
                String runId = new String(all.array(), start + 8 + 1 + 4, idLength, StandardCharsets.UTF_8);
                if (!drop.contains(runId)) {
                    out.put(all.array(), start, 8 + length);
                }
                all.position(start + 8 + length);
            }
            out.flip();
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (out.hasRemaining()) {
                    c.write(out);
                }
                c.force(true);
            }
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            FileChannel old = channel;
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.position(channel.size());
            try {
                old.close();
            } catch (IOException e) {
                LOG.warn("closing the replaced run history failed", e);
            }
            runs.keySet().removeAll(drop);
            compactions++;
            compactAt = Math.max(minCompactBytes, 2 * channel.size());
            LOG.info("run history {}: compacted from {} to {} bytes, {} runs dropped by retention", file, size,
                    channel.size(), drop.size());
            return drop.size();
        } catch (IOException e) {
            // the old journal is intact: the rename is the only step that changes it
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            compactAt = Math.max(minCompactBytes, 2 * positionOrLimit());
            LOG.warn("run history {}: compaction failed ({}); keeping the current journal", file, e.toString());
            return 0;
        }
    }

    private long positionOrLimit() {
        try {
            return channel.position();
        } catch (IOException e) {
            return compactAt;
        }
    }

    synchronized void minCompactBytes(long bytes) {
        minCompactBytes = bytes;
        compactAt = Math.min(compactAt, bytes);
    }

    synchronized int compactions() {
        return compactions;
    }

    /** Most bytes {@link #putText} writes for {@code s}. */
    private static int size(String s) {
        return 4 + (s == null ? 0 : 3 * Math.min(s.length(), MAX_TEXT + 3));
    }

    private void begin(byte type, String runId, int maxBody) throws IOException {
        if (closed) {
            throw new IllegalStateException("the flow engine is closed; its run history accepts no records");
        }
        if (buffer.remaining() < 8 + 1 + size(runId) + maxBody) {
            drain();
        }
        recordStart = buffer.position();
        buffer.position(recordStart + 8);
        buffer.put(type);
        putText(runId);
    }

    private void commit(boolean sync) throws IOException {
        int length = buffer.position() - recordStart - 8;
        crc.reset();
        crc.update(buffer.array(), recordStart + 8, length);
        buffer.putInt(recordStart, length);
        buffer.putInt(recordStart + 4, (int) crc.getValue());
        if (sync) {
            drain();
            channel.force(false);
        } else if (buffer.position() >= BUFFER) {
            drain();
        } else if (!flushScheduled) {
            flushScheduled = true;
            flusher.schedule(this::timedFlush, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void timedFlush() {
        flushScheduled = false;
        if (closed) {
            return;
        }
        try {
            drain();
        } catch (IOException e) {
            LOG.error("run history {}: writing buffered task records failed", file, e);
        }
    }

    /**
     * Writes the buffered records. If that fails (a full disk) the file is cut back to its last whole record,
     * so it never holds a partial one, and the records stay buffered for the next attempt.
     */
    private void drain() throws IOException {
        int pending = buffer.position();
        if (pending == 0) {
            return;
        }
        long at = channel.position();
        buffer.flip();
        try {
            writeFully(buffer);
        } catch (IOException e) {
            try {
                channel.truncate(at);
                channel.position(at);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            buffer.limit(buffer.capacity());
            buffer.position(pending);
            throw e;
        }
        buffer.clear();
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        while (b.hasRemaining()) {
            position += channel.write(b, position);
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void putText(String s) {
        if (s == null) {
            buffer.putInt(-1);
            return;
        }
        byte[] bytes = (s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "..." : s)
                .getBytes(StandardCharsets.UTF_8);
        buffer.putInt(bytes.length).put(bytes);
    }

    private static String getText(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private void putInstant(Instant t) {
        buffer.put((byte) (t == null ? 0 : 1));
        buffer.putLong(t == null ? 0 : t.getEpochSecond()).putInt(t == null ? 0 : t.getNano());
    }

    private static Instant getInstant(ByteBuffer in) {
        boolean present = in.get() != 0;
        long seconds = in.getLong();
        int nanos = in.getInt();
        return present ? Instant.ofEpochSecond(seconds, nanos) : null;
    }

    private ResourceUnavailableException failed(IOException e) {
        return new ResourceUnavailableException(file.toString(), "writing the run history failed (" + e + ")",
                e);
    }

    @Override
    public synchronized Optional<FlowRunRecord> run(String runId) {
        Summary s = runs.get(runId);
        return s == null ? Optional.empty() : Optional.of(withTasks(List.of(s)).get(0));
    }

    @Override
    public synchronized List<FlowRunRecord> lastRuns(String flow, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        List<Summary> found = runs.values().stream().filter(s -> s.flow.equals(flow))
                .sorted(NEWEST_FIRST).limit(n).toList();
        return withTasks(found);
    }

    @Override
    public synchronized List<FlowRunRecord> recentRuns(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        return withTasks(runs.values().stream().sorted(NEWEST_FIRST).limit(n).toList());
    }

    @Override
    public synchronized List<FlowRunRecord> failedSince(Instant since) {
        List<Summary> found = runs.values().stream()
                .filter(s -> s.state == FlowState.FAILED || s.state == FlowState.CRASHED)
                .filter(s -> !s.start.isBefore(since)).sorted(NEWEST_FIRST).toList();
        return withTasks(found);
    }

    private static final Comparator<Summary> NEWEST_FIRST =
            Comparator.comparing((Summary s) -> s.start).thenComparingLong(s -> s.seq).reversed();

    private List<FlowRunRecord> withTasks(List<Summary> summaries) {
        Map<String, List<TaskRunRecord>> tasks = new HashMap<>();
        for (Summary s : summaries) {
            tasks.put(s.runId, new ArrayList<>());
        }
        if (!summaries.isEmpty()) {
            scanTasks(tasks);
        }
        List<FlowRunRecord> out = new ArrayList<>();
        for (Summary s : summaries) {
            out.add(new FlowRunRecord(s.runId, s.flow, s.parent, s.state, s.start, s.end, s.error,
                    tasks.get(s.runId)));
        }
        return out;
    }

    private void scanTasks(Map<String, List<TaskRunRecord>> tasks) {
        try {
            try {
                drain();
            } catch (IOException full) {
                LOG.warn("run history {}: buffered records could not be written ({}); reading them from memory", file,
                        full.toString());
            }
            long size = channel.position();
            ByteBuffer all = ByteBuffer.allocate((int) size);
            while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
                // positional reads until the buffer is full
            }
            all.flip();
            all.position(HEADER);
            applyAll(all, tasks);
            applyAll(ByteBuffer.wrap(buffer.array(), 0, buffer.position()), tasks); // still buffered
        } catch (IOException | RuntimeException e) {
            throw new ResourceUnavailableException(file.toString(), "reading the run history failed (" + e
                    + ")", e);
        }
    }

    private void applyAll(ByteBuffer records, Map<String, List<TaskRunRecord>> tasks) {
        while (records.remaining() >= 8) {
            int length = records.getInt();
            records.getInt();
            byte[] body = new byte[length];
            records.get(body);
            apply(body, tasks);
        }
    }

    /** Task records dropped since the engine opened because the disk was full and the buffer had no room. */
    synchronized long lostRecords() {
        return lost;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            drain();
            channel.force(false);
        } catch (IOException e) {
            LOG.error("run history {}: final flush failed; the file was cut back to its last whole record and "
                    + "runs whose end is not recorded will reopen as CRASHED", file, e);
        } finally {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing run history {} failed", file, e);
            }
        }
    }

    static boolean exists(Path home) {
        return Files.exists(home.resolve("history.journal"));
    }
}
