package dev.mlops.features.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import dev.mlops.features.spi.RecordBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded online store: one persisted Chronicle Map per feature view ({@code <view>.cmap} in the
 * store's directory), key = entity key text, value = event micros, created micros, encoded values.
 * Watermarks live in {@code watermarks.json}, replaced atomically.
 *
 * <p>Several processes on one host may open the same directory. The first holds an OS lock on
 * {@code writer.lock} for its lifetime (released by the OS when the process dies) and a marker file
 * {@code .writer-open} that it deletes on a clean close. A process that gets the lock and finds the
 * marker knows the previous holder died, and opens the maps with Chronicle's recovery (which releases the
 * dead process's segment locks and repairs half-written entries). A process that cannot get the lock opens
 * the maps as they are, without recovery and without touching the marker: it reads what the holder writes
 * (Chronicle's segment locks work across processes). Watermark updates from two writing processes would
 * overwrite each other, which is why the feature store lets one process materialize at a time
 * ({@code MaterializationLock}).
 * Create it through {@link OnlineStores#chronicle}, which checks the JVM flags and disables Chronicle's
 * analytics before this class loads.
 */
final class ChronicleOnlineStore implements OnlineStore {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleOnlineStore.class);
    private static final String MARKER = ".writer-open";

    private final Path dir;
    private final long defaultEntries;
    private final boolean recover;
    private final java.nio.channels.FileChannel lockChannel;
    private final java.nio.channels.FileLock lock;
    private final Map<String, ChronicleMap<String, byte[]>> maps = new ConcurrentHashMap<>();
    private final Map<String, long[]> sizing = new ConcurrentHashMap<>();
    private final Map<String, Long> watermarks;
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    ChronicleOnlineStore(Path dir, long defaultEntries) {
        this.dir = dir;
        this.defaultEntries = defaultEntries;
        try {
            Files.createDirectories(dir);
            this.lockChannel = java.nio.channels.FileChannel.open(dir.resolve("writer.lock"),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock l;
            try {
                l = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                l = null; // held by another store object in this JVM
            }
            this.lock = l;
            Path marker = dir.resolve(MARKER);
            if (lock != null) {
                this.recover = Files.exists(marker);
                if (recover) {
                    LOG.warn("online store {} was not closed by its last writer; recovering its maps", dir);
                }
                Files.write(marker, new byte[0]);
            } else {
                this.recover = false;
                LOG.info("online store {} is held by another process; opening it shared, without recovery", dir);
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(dir.toString(), "cannot create the online store directory: " + e.getMessage(), e);
        }
        this.watermarks = new TreeMap<>(readWatermarks());
    }

    private Map<String, Long> readWatermarks() {
        Path wm = dir.resolve("watermarks.json");
        if (!Files.exists(wm)) {
            return Map.of();
        }
        try {
            return json.readValue(wm.toFile(), new TypeReference<Map<String, Long>>() { });
        } catch (IOException e) {
            throw new StoreCorruptedException(wm, "unreadable watermarks: " + e.getMessage(),
                    "delete the file and run materialize(start, end) again for every view", e);
        }
    }

    /** A process without the writer lock sees the holder's watermark updates by rereading the file. */
    private void refreshIfShared() {
        if (lock == null) {
            watermarks.clear();
            watermarks.putAll(readWatermarks());
        }
    }

    @Override
    public void prepare(String view, int averageValueBytes, long expectedKeys) {
        sizing.put(view, new long[] {Math.max(16, averageValueBytes), Math.max(1, expectedKeys)});
    }

    private ChronicleMap<String, byte[]> map(String view, boolean create) {
        ChronicleMap<String, byte[]> m = maps.get(view);
        if (m != null || !create && !Files.exists(file(view))) {
            return m;
        }
        synchronized (maps) {
            m = maps.get(view);
            if (m == null) {
                checkOpen();
                long[] s = sizing.getOrDefault(view, new long[] {256, defaultEntries});
                ChronicleMapBuilder<String, byte[]> b = ChronicleMap.of(String.class, byte[].class).name(view)
                        .averageKey("entity-key-000000").averageValueSize(16 + s[0])
                        .entries(Math.max(s[1], defaultEntries));
                try {
                    m = recover && Files.exists(file(view)) ? b.recoverPersistedTo(file(view).toFile(), true)
                            : b.createPersistedTo(file(view).toFile());
                } catch (IOException e) {
                    throw new ResourceUnavailableException(file(view).toString(), "cannot open the Chronicle map: " + e.getMessage(), e);
                }
                maps.put(view, m);
            }
            return m;
        }
    }

    private Path file(String view) {
        return dir.resolve(view + ".cmap");
    }

    @Override
    public void write(String view, List<OnlineRecord> records) {
        checkOpen();
        ChronicleMap<String, byte[]> m = map(view, true);
        for (OnlineRecord r : records) {
            byte[] value = toValue(r);
            m.compute(r.key(), (k, old) -> old == null || !fromValue(k, old).newerThan(r) ? value : old);
        }
    }

    @Override
    public OnlineRecord read(String view, String key) {
        checkOpen();
        ChronicleMap<String, byte[]> m = map(view, false);
        if (m == null) {
            return null;
        }
        byte[] v = m.get(key);
        return v == null ? null : fromValue(key, v);
    }

    @Override
    public boolean readInto(String view, String key, RecordBuffer into) {
        checkOpen();
        ChronicleMap<String, byte[]> m = map(view, false);
        // getUsing refills the buffer's array when the stored value has its length (every row of a view without
        // strings does), so a read allocates nothing
        byte[] v = m == null ? null : m.getUsing(key, into.array());
        if (v == null) {
            into.clear();
            return false;
        }
        into.set(ValueCodec.getLong(v, 0), ValueCodec.getLong(v, 8), v, 16, v.length - 16);
        return true;
    }

    @Override
    public void readAllInto(String view, List<String> keys, RecordBuffer[] into) {
        for (int i = 0; i < keys.size(); i++) {
            readInto(view, keys.get(i), into[i]);
        }
    }

    private static byte[] toValue(OnlineRecord r) {
        byte[] p = r.payload();
        byte[] v = new byte[16 + p.length];
        ValueCodec.putLong(v, 0, r.eventMicros());
        ValueCodec.putLong(v, 8, r.createdMicros());
        System.arraycopy(p, 0, v, 16, p.length);
        return v;
    }

    private static OnlineRecord fromValue(String key, byte[] v) {
        return new OnlineRecord(key, ValueCodec.getLong(v, 0), ValueCodec.getLong(v, 8), java.util.Arrays.copyOfRange(v, 16, v.length));
    }

    @Override
    public synchronized OptionalLong watermark(String view) {
        refreshIfShared();
        Long w = watermarks.get(view);
        return w == null ? OptionalLong.empty() : OptionalLong.of(w);
    }

    @Override
    public synchronized void setWatermark(String view, long epochMicros) {
        checkOpen();
        refreshIfShared();
        TreeMap<String, Long> next = new TreeMap<>(watermarks);
        next.put(view, epochMicros);
        try {
            AtomicFiles.write(dir.resolve("watermarks.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode watermarks " + next, e);
        }
        watermarks.put(view, epochMicros);
    }

    @Override
    public synchronized Map<String, Long> watermarks() {
        refreshIfShared();
        return Map.copyOf(watermarks);
    }

    @Override
    public long size(String view) {
        ChronicleMap<String, byte[]> m = map(view, false);
        return m == null ? 0 : m.longSize();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("online store " + dir + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (maps) {
            maps.values().forEach(ChronicleMap::close);
            maps.clear();
        }
        try {
            if (lock != null) {
                Files.deleteIfExists(dir.resolve(MARKER));
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("cannot release {}; the next open may run recovery", dir.resolve("writer.lock"), e);
        }
    }
}
