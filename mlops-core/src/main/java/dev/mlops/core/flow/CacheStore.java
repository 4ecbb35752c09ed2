package dev.mlops.core.flow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task results by cache key: one file per key under {@code <home>/cache/<2 hex>/<64 hex>.entry}, plus a
 * bounded in-memory map of deserialized values in front of it.
 *
 * <p>File layout: magic {@code MLFC}, format version (1 byte), creation instant (8-byte epoch second,
 * 4-byte nano), payload length (4 bytes), payload (the serializer's bytes), CRC32C of everything before it
 * (4 bytes). Files are written to a temporary name in the same directory and renamed atomically; they are
 * not fsynced, because an entry lost or torn by a power failure fails its check and is simply recomputed.
 */
final class CacheStore {

    private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);
    private static final byte[] MAGIC = {'M', 'L', 'F', 'C'};
    private static final byte VERSION = 1;
    private static final int HEADER = 4 + 1 + 8 + 4 + 4; // magic, version, created, length, CRC32C

    /** A lookup outcome: a value (hit) or null with an optional note saying why not. */
    record Lookup(Object value, String note) {
    }

    private record Entry(Object value, Instant created) {
    }

    private final Path dir;
    private final int maxMemoryEntries;
    private final ConcurrentHashMap<String, Entry> memory = new ConcurrentHashMap<>();
    private final AtomicLong tmpCounter = new AtomicLong();
    private final java.util.Set<Path> createdDirs = ConcurrentHashMap.newKeySet();

    CacheStore(Path dir, int maxMemoryEntries) {
        this.dir = dir;
        this.maxMemoryEntries = maxMemoryEntries;
    }

    Path file(String hex) {
        return dir.resolve(hex.substring(0, 2)).resolve(hex + ".entry");
    }

    Lookup get(String hex, CachePolicy<Object> policy, Instant now) {
        Entry e = memory.get(hex);
        if (e == null) {
            Path file = file(hex);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException missing) {
                return new Lookup(null, null);
            } catch (IOException io) {
                return new Lookup(null, "cache entry " + file + " could not be read (" + io + "); recomputed");
            }
            String problem = check(bytes);
            Object value = null;
            Instant created = null;
            if (problem == null) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                b.position(5);
                created = Instant.ofEpochSecond(b.getLong(), b.getInt());
                int length = b.getInt();
                byte[] payload = new byte[length];
                b.get(payload);
                try {
                    value = policy.serializer().read(payload);
                    if (value == null) {
                        problem = "the serializer read null";
                    }
                } catch (Exception ex) {
                    problem = "the serializer could not read it (" + ex + ")";
                }
            }
            if (problem != null) {
                LOG.warn("cache entry {} is corrupt: {}; deleting it and recomputing", file, problem);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException io) {
                    LOG.warn("could not delete corrupt cache entry {}", file, io);
                }
                return new Lookup(null, "cache entry was corrupt (" + problem + "); recomputed");
            }
            e = new Entry(value, created);
            remember(hex, e);
        }
        Duration ttl = policy.expireAfterOrNull();
        if (ttl != null && !now.isBefore(e.created.plus(ttl))) {
            memory.remove(hex);
            return new Lookup(null, "cache entry expired (created " + e.created + ", ttl " + ttl + "); recomputed");
        }
        return new Lookup(e.value, null);
    }

    /** Stores a result; returns null on success or a note saying why it was not persisted. */
    String put(String hex, Object value, CachePolicy<Object> policy, Instant now) {
        byte[] payload;
        try {
            payload = policy.serializer().write(value);
        } catch (Exception ex) {
            return "result not cached: the serializer could not write it (" + ex + ")";
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 + payload.length);
        b.put(MAGIC).put(VERSION).putLong(now.getEpochSecond()).putInt(now.getNano()).putInt(payload.length)
                .put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        Path file = file(hex);
        Path tmp = file.resolveSibling(hex + "." + ProcessHandle.current().pid() + "."
                + tmpCounter.incrementAndGet() + ".tmp");
        try {
            if (!createdDirs.contains(file.getParent())) {
                Files.createDirectories(file.getParent());
                createdDirs.add(file.getParent());
            }
            Files.write(tmp, b.array());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException io) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                io.addSuppressed(cleanup);
            }
            LOG.warn("cache entry {} could not be written; the task result stays valid but uncached", file, io);
            remember(hex, new Entry(value, now));
            return "result not persisted to the cache (" + io + ")";
        }
        remember(hex, new Entry(value, now));
        return null;
    }

    private void remember(String hex, Entry e) {
        if (memory.size() < maxMemoryEntries || memory.containsKey(hex)) {
            memory.put(hex, e);
        }
    }

    /** Forgets the in-memory copies (the files stay). */
    void clearMemory() {
        memory.clear();
    }

    private static String check(byte[] bytes) {
        if (bytes.length < HEADER + 4) {
            return "it is " + bytes.length + " bytes, shorter than the " + (HEADER + 4) + "-byte frame";
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return "it does not start with the MLFC magic";
            }
        }
        if (bytes[4] != VERSION) {
            return "unknown format version " + bytes[4];
        }
        int length = ByteBuffer.wrap(bytes, 17, 4).getInt();
        if (length < 0 || length != bytes.length - HEADER - 4) {
            return "its payload length " + length + " does not match its size " + bytes.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            return "CRC32C mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + ")";
        }
        return null;
    }
}
