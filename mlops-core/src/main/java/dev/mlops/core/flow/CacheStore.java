package dev.mlops.core.flow;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task results by cache key, packed into one append-only file {@code <home>/cache/entries.pack} with an
 * in-memory index (key to offset), plus a bounded in-memory map of deserialized values in front of it.
 *
 * <p><b>Pack layout</b> (format 2): an 8-byte header, magic {@code MLFP} and the format version (4 bytes,
 * big-endian); then records {@code [body length: 4][CRC32C of body: 4][body]}, body = the key (32 bytes of
 * SHA-256), the creation instant (8-byte epoch second, 4-byte nano) and the serializer's bytes. A later record
 * for a key supersedes an earlier one. Records are appended without fsync: an entry lost or torn by a crash
 * fails its frame or CRC check and is simply recomputed.
 *
 * <p><b>Open</b> scans the record frames (not the payloads) to build the index. A frame that runs past the
 * end of the file (a torn append) and anything after a frame whose length is impossible is cut off, with a
 * warning; the CRC of each record is checked when it is read, so a damaged entry is never trusted.
 *
 * <p><b>Write failures</b> (a full disk): the file is truncated back to where the append began, so no partial
 * record is left, and the caller gets a note; the task result stays valid.
 *
 * <p><b>Compaction</b>: when superseded or damaged records make up at least half of the file and at least
 * {@link #compactMinDeadBytes} bytes, the live records are copied to {@code entries.pack.compact}, which is
 * fsynced and renamed over the pack atomically; a crash at any point leaves either the old or the new pack.
 *
 * <p><b>Format 1</b> (one file per key, {@code <2 hex>/<64 hex>.entry}, magic {@code MLFC}) is still read on a
 * pack miss, so a cache written by an earlier release keeps its entries; new entries go to the pack.
 */
final class CacheStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CacheStore.class);
    static final String PACK = "entries.pack";
    private static final byte[] PACK_MAGIC = {'M', 'L', 'F', 'P'};
    private static final int PACK_VERSION = 2;
    private static final int PACK_HEADER = 8;
    /** Frame (length, CRC32C) plus the fixed part of a body (key, created). */
    private static final int FRAME = 8;
    private static final int KEY = 32;
    private static final int FIXED_BODY = KEY + 12;
    private static final int MAX_BODY = Integer.MAX_VALUE - 64;

    private static final byte[] MAGIC = {'M', 'L', 'F', 'C'};
    private static final byte VERSION = 1;
    private static final int HEADER = 4 + 1 + 8 + 4 + 4; // magic, version, created (second, nano), length

    /** A lookup outcome: a value (hit) or null with an optional note saying why not. */
    record Lookup(Object value, String note) {
    }

    private record Entry(Object value, Instant created) {
    }

    /** Where a key's latest record lies in the pack. */
    /** {@code warm}: where a copy of the record (frame and body) starts in {@link #warm}, or -1. */
    private record Loc(long offset, int bodyLength, long seconds, int nanos, int warm) {
        long size() {
            return FRAME + (long) bodyLength;
        }
    }

    private final Path dir;
    private final Path packFile;
    private final int maxMemoryEntries;
    private final ConcurrentHashMap<String, Entry> memory = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Loc> index = new ConcurrentHashMap<>();
    /** Reads take the read lock (positional reads are thread-safe); appends and compaction the write lock. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final boolean legacy;
    /**
     * Copies of the small records the open scan read anyway (each at most {@value #WARM_RECORD} bytes, at most
     * {@value #WARM_TOTAL} bytes in all), so a hit on a freshly opened engine costs no system call. Still
     * checked by CRC32C when used. Written only during the scan.
     */
    private byte[] warm = new byte[0];
    private int warmLength;
    private static final int WARM_RECORD = 4096;
    private static final int WARM_TOTAL = 16 << 20;
    private FileChannel channel;
    private long end;
    private long deadBytes;
    long compactMinDeadBytes = 4L << 20;
    private int compactions;

    CacheStore(Path dir, int maxMemoryEntries) {
        this.dir = dir;
        this.packFile = dir.resolve(PACK);
        this.maxMemoryEntries = maxMemoryEntries;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(PACK + ".compact")); // a compaction cut short by a crash
            this.legacy = hasLegacyEntries(dir);
            this.channel = FileChannel.open(packFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.end = scan();
        } catch (IOException e) {
            close();
            throw new ResourceUnavailableException(packFile.toString(), "cannot open the task cache (" + e + ")",
                    e);
        }
    }

    private static boolean hasLegacyEntries(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> p.getFileName().toString().length() == 2
                && Files.isDirectory(p))) {
            return s.iterator().hasNext();
        }
    }

    /** Builds the index from the record frames; returns the end of the last whole record. */
    private long scan() throws IOException {
        long size = channel.size();
        if (size < PACK_HEADER) {
            channel.truncate(0);
            ByteBuffer h = ByteBuffer.allocate(PACK_HEADER).put(PACK_MAGIC).putInt(PACK_VERSION).flip();
            while (h.hasRemaining()) {
                channel.write(h, PACK_HEADER - h.remaining());
            }
            return PACK_HEADER;
        }
        ByteBuffer h = ByteBuffer.allocate(PACK_HEADER);
        readFully(h, 0);
        h.flip();
        byte[] magic = new byte[4];
        h.get(magic);
        int version = h.getInt();
        if (!java.util.Arrays.equals(magic, PACK_MAGIC)) {
            throw new StoreCorruptedException(packFile, "it does not start with the MLFP magic of a task cache pack",
                    "point the engine at its own home directory, or move this file aside (the cache is rebuilt)");
        }
        if (version != PACK_VERSION) {
            throw new StoreCorruptedException(packFile, "pack format version " + version + " is not "
                    + PACK_VERSION + ", the only one this release reads",
                    "open it with the release that wrote it, or move it aside (the cache is rebuilt)");
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long bufStart = 0;
        int bufLen = 0;
        long pos = PACK_HEADER;
        HexFormat hex = HexFormat.of();
        byte[] key = new byte[KEY];
        while (pos + FRAME + FIXED_BODY <= size) {
            if (pos < bufStart || pos + FRAME + FIXED_BODY > bufStart + bufLen) {
                buf.clear();
                bufStart = pos;
                bufLen = 0;
                while (buf.hasRemaining()) {
                    int n = channel.read(buf, bufStart + bufLen);
                    if (n < 0) {
                        break;
                    }
                    bufLen += n;
                }
            }
            int at = (int) (pos - bufStart);
            int length = buf.getInt(at);
            if (length < FIXED_BODY || length > MAX_BODY) {
                LOG.warn("task cache {}: record at byte {} has an impossible length {}; dropping the {} bytes from "
                        + "there (those entries will be recomputed)", packFile, pos, length, size - pos);
                break;
            }
            if (pos + FRAME + length > size) {
                break; // torn tail
            }
            buf.get(at + FRAME, key);
            long seconds = buf.getLong(at + FRAME + KEY);
            int nanos = buf.getInt(at + FRAME + KEY + 8);
            Loc previous = index.put(hex.formatHex(key), new Loc(pos, length, seconds, nanos,
                    keepWarm(buf, at, FRAME + length, bufLen)));
            if (previous != null) {
                deadBytes += previous.size();
            }
            pos += FRAME + length;
        }
        if (pos < size) {
            LOG.warn("task cache {}: truncating {} bytes of a torn record at byte {} (the process stopped while "
                    + "writing it)", packFile, size - pos, pos);
            channel.truncate(pos);
        }
        return pos;
    }

    /** Keeps a copy of a small record that lies whole in the scan buffer; returns its offset in warm, or -1. */
    private int keepWarm(ByteBuffer buf, int at, int size, int bufLen) {
        if (size > WARM_RECORD || at + size > bufLen || warmLength + size > WARM_TOTAL) {
            return -1;
        }
        if (warmLength + size > warm.length) {
            warm = java.util.Arrays.copyOf(warm, Math.min(WARM_TOTAL, Math.max(64 * 1024,
                    Math.max(warmLength + size, 2 * warm.length))));
        }
        buf.get(at, warm, warmLength, size);
        int offset = warmLength;
        warmLength += size;
        return offset;
    }

    private void readFully(ByteBuffer b, long position) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int n = channel.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of " + packFile + " at byte " + p);
            }
            p += n;
        }
    }

    Lookup get(String hex, CachePolicy<Object> policy, Instant now) {
        Entry e = memory.get(hex);
        if (e == null) {
            Loc loc = index.get(hex);
            Lookup read = loc != null ? readPacked(hex, loc, policy) : legacy ? readLegacy(hex, policy) : null;
            if (read == null) {
                return new Lookup(null, null);
            }
            if (read.value() == null) {
                return read;
            }
            e = (Entry) read.value();
            remember(hex, e);
        }
        Duration ttl = policy.expireAfterOrNull();
        if (ttl != null && !now.isBefore(e.created.plus(ttl))) {
            memory.remove(hex);
            return new Lookup(null, "cache entry expired (created " + e.created + ", ttl " + ttl + "); recomputed");
        }
        return new Lookup(e.value, null);
    }

    /** A Lookup whose value is an {@link Entry}, or null with a note. */
    private Lookup readPacked(String hex, Loc loc, CachePolicy<Object> policy) {
        ByteBuffer body = ByteBuffer.allocate(FRAME + loc.bodyLength);
        String problem;
        lock.readLock().lock();
        try {
            if (index.get(hex) != loc) {
                loc = index.get(hex); // superseded or compacted meanwhile
                if (loc == null) {
                    return null;
                }
                body = ByteBuffer.allocate(FRAME + loc.bodyLength);
            }
            if (loc.warm >= 0) {
                System.arraycopy(warm, loc.warm, body.array(), 0, (int) loc.size());
            } else {
                // A positional read, not a memory map: a mapping outlives close() until the GC unmaps it, which
                // keeps the file (and its file system) busy after the engine is closed.
                readFully(body, loc.offset);
            }
        } catch (IOException io) {
            return new Lookup(null, "cache entry " + hex + " could not be read from " + packFile + " (" + io
                    + "); recomputed");
        } finally {
            lock.readLock().unlock();
        }
        byte[] bytes = body.array();
        CRC32C crc = new CRC32C();
        crc.update(bytes, FRAME, loc.bodyLength);
        int stored = body.getInt(4);
        problem = null;
        if (body.getInt(0) != loc.bodyLength) {
            problem = "its length field changed from " + loc.bodyLength + " to " + body.getInt(0);
        } else if ((int) crc.getValue() != stored) {
            problem = "CRC32C mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + ")";
        } else if (!HexFormat.of().formatHex(bytes, FRAME, FRAME + KEY).equals(hex)) {
            problem = "the record holds another key";
        }
        Object value = null;
        if (problem == null) {
            byte[] payload = java.util.Arrays.copyOfRange(bytes, FRAME + FIXED_BODY, bytes.length);
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
            LOG.warn("cache entry {} at byte {} of {} is corrupt: {}; dropping it and recomputing", hex, loc.offset,
                    packFile, problem);
            lock.writeLock().lock();
            try {
                if (index.remove(hex, loc)) {
                    deadBytes += loc.size();
                }
            } finally {
                lock.writeLock().unlock();
            }
            return new Lookup(null, "cache entry was corrupt (" + problem + "); recomputed");
        }
        return new Lookup(new Entry(value, Instant.ofEpochSecond(loc.seconds, loc.nanos)), null);
    }

    /** Reads a format-1 entry file; null if there is none. */
    private Lookup readLegacy(String hex, CachePolicy<Object> policy) {
        Path file = dir.resolve(hex.substring(0, 2)).resolve(hex + ".entry");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return null;
        } catch (IOException io) {
            return new Lookup(null, "cache entry " + file + " could not be read (" + io + "); recomputed");
        }
        String problem = checkLegacy(bytes);
        Object value = null;
        Instant created = null;
        if (problem == null) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.position(5);
            created = Instant.ofEpochSecond(b.getLong(), b.getInt());
            byte[] payload = new byte[b.getInt()];
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
        return new Lookup(new Entry(value, created), null);
    }

    /** Stores a result; returns null on success or a note saying why it was not persisted. */
    String put(String hex, Object value, CachePolicy<Object> policy, Instant now) {
        byte[] payload;
        try {
            payload = policy.serializer().write(value);
        } catch (Exception ex) {
            return "result not cached: the serializer could not write it (" + ex + ")";
        }
        if (payload == null || payload.length > MAX_BODY - FIXED_BODY) {
            return "result not cached: the serializer wrote " + (payload == null ? "null" : payload.length
                    + " bytes, more than a pack record holds");
        }
        int bodyLength = FIXED_BODY + payload.length;
        ByteBuffer b = ByteBuffer.allocate(FRAME + bodyLength);
        b.putInt(bodyLength).putInt(0).put(HexFormat.of().parseHex(hex)).putLong(now.getEpochSecond())
                .putInt(now.getNano()).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), FRAME, bodyLength);
        b.putInt(4, (int) crc.getValue());
        b.flip();
        String note = null;
        lock.writeLock().lock();
        try {
            long at = end;
            try {
                while (b.hasRemaining()) {
                    channel.write(b, at + b.position());
                }
                end = at + b.limit();
                Loc previous = index.put(hex, new Loc(at, bodyLength, now.getEpochSecond(), now.getNano(), -1));
                if (previous != null) {
                    deadBytes += previous.size();
                }
            } catch (IOException io) {
                note = "result not persisted to the cache (" + io + ")";
                LOG.warn("cache entry {} could not be appended to {}; the task result stays valid but uncached", hex,
                        packFile, io);
                rollBack(at, io);
            }
            if (note == null && deadBytes >= compactMinDeadBytes && deadBytes * 2 >= end) {
                compact();
            }
        } finally {
            lock.writeLock().unlock();
        }
        remember(hex, new Entry(value, now));
        return note;
    }

    /** Cuts a failed append off, so the pack never holds a partial record. Caller holds the write lock. */
    private void rollBack(long at, IOException cause) {
        try {
            channel.truncate(at);
        } catch (IOException again) {
            cause.addSuppressed(again);
            LOG.error("task cache {}: could not cut a failed append at byte {} off; the next open will drop it as a "
                    + "torn record", packFile, at, again);
        }
    }

    /** Copies the live records to a new pack and renames it over the old one. Caller holds the write lock. */
    private void compact() {
        Path tmp = dir.resolve(PACK + ".compact");
        java.util.Map<String, Loc> moved = new java.util.HashMap<>();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(PACK_HEADER).put(PACK_MAGIC).putInt(PACK_VERSION).flip();
            while (h.hasRemaining()) {
                out.write(h);
            }
            long pos = PACK_HEADER;
            java.util.List<java.util.Map.Entry<String, Loc>> live = new java.util.ArrayList<>(index.entrySet());
            live.sort(java.util.Comparator.comparingLong(en -> en.getValue().offset));
            for (java.util.Map.Entry<String, Loc> en : live) {
                Loc loc = en.getValue();
                long copied = 0;
                while (copied < loc.size()) {
                    copied += channel.transferTo(loc.offset + copied, loc.size() - copied, out);
                }
                moved.put(en.getKey(), new Loc(pos, loc.bodyLength, loc.seconds, loc.nanos, loc.warm));
                pos += loc.size();
            }
            out.force(true);
        } catch (IOException e) {
            LOG.warn("task cache {}: compaction failed ({}); keeping the current pack", packFile, e.toString());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                LOG.warn("task cache {}: could not delete {}", packFile, tmp, again);
            }
            return;
        }
        try {
            try {
                Files.move(tmp, packFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, packFile, StandardCopyOption.REPLACE_EXISTING);
            }
            FileChannel old = channel;
            channel = FileChannel.open(packFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            closeQuietly(old);
            long before = end;
            end = channel.size();
            index.putAll(moved);
            deadBytes = 0;
            compactions++;
            LOG.info("task cache {}: compacted from {} to {} bytes ({} entries)", packFile, before, end, moved.size());
        } catch (IOException e) {
            // The rename did not happen (the old pack and channel are intact) or the reopen failed.
            throw new ResourceUnavailableException(packFile.toString(), "compacting the task cache failed (" + e
                    + ")", e);
        }
    }

    private void remember(String hex, Entry e) {
        if (memory.size() < maxMemoryEntries || memory.containsKey(hex)) {
            memory.put(hex, e);
        }
    }

    /** Forgets the in-memory copies (the pack stays). */
    void clearMemory() {
        memory.clear();
    }

    int compactions() {
        return compactions;
    }

    long packBytes() {
        lock.readLock().lock();
        try {
            return end;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.warn("closing the task cache pack failed", e);
        }
    }

    private static String checkLegacy(byte[] bytes) {
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
