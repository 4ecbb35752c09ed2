package dev.mlops.core.spi;

import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One segment file of a rolling prediction log and its summary: the byte length readers may see, the record
 * count, the earliest and latest timestamp and the model names (up to {@value #MAX_MODELS}) it holds, so a
 * read can skip segments that cannot match. The summary lives in memory and, once the segment is sealed, in
 * a sidecar {@code .idx} file written atomically.
 *
 * <p>Only the writer thread changes a segment; it updates the summary before publishing a new
 * {@link #length}, so a reader that reads {@code length} first sees a summary covering those bytes.
 */
final class PredictionSegment {

    static final String PREFIX = "predictions-";
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".idx";
    static final int MAX_MODELS = 64;
    private static final int INDEX_MAGIC = 0x4D4C5049; // "MLPI"

    final long seq;
    final Path path;
    /** Bytes of whole frames written to the file (segment header included); what readers may read. */
    volatile long length;
    volatile long records;
    private volatile Instant min;
    private volatile Instant max;
    private final Set<String> models = ConcurrentHashMap.newKeySet();
    private volatile boolean anyModel;

    PredictionSegment(long seq, Path path) {
        this.seq = seq;
        this.path = path;
    }

    static String fileName(long seq) {
        return String.format("%s%012d%s", PREFIX, seq, LOG_SUFFIX);
    }

    /** The sequence number in a segment file name, or -1 if the name is not a segment's. */
    static long parseSeq(String fileName) {
        if (!fileName.startsWith(PREFIX) || !fileName.endsWith(LOG_SUFFIX)) {
            return -1;
        }
        String digits = fileName.substring(PREFIX.length(), fileName.length() - LOG_SUFFIX.length());
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits);
    }

    Path indexPath() {
        return path.resolveSibling(path.getFileName().toString().replace(LOG_SUFFIX, INDEX_SUFFIX));
    }

    /** Records one more frame in the summary (writer thread; {@link #length} is published separately). */
    void note(Instant t, String model) {
        if (min == null || t.isBefore(min)) {
            min = t;
        }
        if (max == null || t.isAfter(max)) {
            max = t;
        }
        if (!anyModel) {
            if (models.size() >= MAX_MODELS && !models.contains(model)) {
                anyModel = true;
            } else {
                models.add(model);
            }
        }
        records++;
    }

    /** Whether the segment may hold a record of {@code model} with {@code from <= t < to}. */
    boolean mayContain(String model, Instant from, Instant to) {
        Instant lo = min;
        Instant hi = max;
        if (lo == null || hi == null) {
            return false;
        }
        return !hi.isBefore(from) && lo.isBefore(to) && (anyModel || models.contains(model));
    }

    /** Writes the summary next to the segment, atomically. */
    void writeIndex() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(INDEX_MAGIC);
        out.writeInt(PredictionFrames.FORMAT_VERSION);
        out.writeLong(length);
        out.writeLong(records);
        Instant lo = min == null ? Instant.EPOCH : min;
        Instant hi = max == null ? Instant.EPOCH : max;
        out.writeLong(lo.getEpochSecond());
        out.writeInt(lo.getNano());
        out.writeLong(hi.getEpochSecond());
        out.writeInt(hi.getNano());
        out.writeBoolean(anyModel);
        List<String> names = List.copyOf(models);
        out.writeInt(names.size());
        for (String name : names) {
            byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        out.flush();
        byte[] body = bytes.toByteArray();
        out.writeInt(PredictionFrames.crc(body, 0, body.length));
        out.flush();
        AtomicFiles.write(indexPath(), bytes.toByteArray());
    }

    /**
     * Loads a sealed segment from its summary file, or returns {@code null} when the summary is missing,
     * damaged or longer than the segment (the caller then scans the segment).
     */
    static PredictionSegment fromIndex(long seq, Path path) throws IOException {
        PredictionSegment s = new PredictionSegment(seq, path);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(s.indexPath());
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length < 8 || PredictionFrames.crc(bytes, 0, bytes.length - 4)
                != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            if (in.readInt() != INDEX_MAGIC || in.readInt() != PredictionFrames.FORMAT_VERSION) {
                return null;
            }
            s.length = in.readLong();
            s.records = in.readLong();
            Instant lo = Instant.ofEpochSecond(in.readLong(), in.readInt());
            Instant hi = Instant.ofEpochSecond(in.readLong(), in.readInt());
            if (s.records > 0) {
                s.min = lo;
                s.max = hi;
            }
            s.anyModel = in.readBoolean();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                s.models.add(new String(in.readNBytes(in.readInt()), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return null; // a summary is only an optimisation: rescan the segment
        }
        // A longer file is a segment abandoned after a failed write: its summary marks the last whole frame.
        return Files.size(path) >= s.length ? s : null;
    }

    /** What a frame reader found wrong at {@link #offset}. */
    static final class FrameProblem extends Exception {
        private static final long serialVersionUID = 1L;

        enum Kind {
            /** The file ends inside the segment header, a frame header or a payload. */
            TORN,
            /** A frame's length does not match its complement, or exceeds the format's limit. */
            BAD_LENGTH,
            /** A whole frame is present but its CRC32C does not match. */
            BAD_CHECKSUM,
            /** The segment header is not "MLPL", version 1. */
            BAD_HEADER,
            /** The checksum matched but the payload is not a record of this format. */
            BAD_RECORD
        }

        final Kind kind;
        final long offset;
        /** Where the frame would end, for {@link Kind#BAD_CHECKSUM}; otherwise -1. */
        final long frameEnd;

        FrameProblem(Kind kind, long offset, long frameEnd, String detail) {
            super(detail, null, false, false);
            this.kind = kind;
            this.offset = offset;
            this.frameEnd = frameEnd;
        }

        StoreCorruptedException toCorruption(Path path) {
            return new StoreCorruptedException(path, getMessage() + " at byte offset " + offset,
                    "move this segment file (and its .idx) out of the directory to keep the other segments "
                            + "readable (its records are lost), or restore it from a backup");
        }
    }

    /** Reads the frames of a segment file, up to a byte limit, verifying each checksum. */
    static final class FrameReader implements Closeable {
        private final InputStream in;
        private final long limit;
        private long offset;
        private byte[] payload = new byte[4096];
        private final byte[] header = new byte[PredictionFrames.FRAME_HEADER_BYTES];

        /** Opens the file and checks its segment header; {@code limit} is the number of bytes to read. */
        FrameReader(Path path, long limit) throws IOException, FrameProblem {
            this.in = new BufferedInputStream(Files.newInputStream(path), 64 << 10);
            this.limit = limit;
            try {
                byte[] h = in.readNBytes(PredictionFrames.SEGMENT_HEADER_BYTES);
                if (h.length < PredictionFrames.SEGMENT_HEADER_BYTES || limit < h.length) {
                    throw new FrameProblem(FrameProblem.Kind.TORN, 0, -1, "the segment header is incomplete ("
                            + Math.min(h.length, limit) + " of " + PredictionFrames.SEGMENT_HEADER_BYTES + " bytes)");
                }
                ByteBuffer b = ByteBuffer.wrap(h);
                int magic = b.getInt();
                int version = b.getInt();
                if (magic != PredictionFrames.SEGMENT_MAGIC || version != PredictionFrames.FORMAT_VERSION) {
                    throw new FrameProblem(FrameProblem.Kind.BAD_HEADER, 0, -1, "the segment header is 0x"
                            + HexFormat.of().formatHex(h) + ", expected \"MLPL\" format version "
                            + PredictionFrames.FORMAT_VERSION + " (0x4d4c504c00000001)");
                }
                offset = PredictionFrames.SEGMENT_HEADER_BYTES;
            } catch (IOException | FrameProblem | RuntimeException e) {
                in.close();
                throw e;
            }
        }

        /** The offset of the next frame; after {@link #next()} returns null, the end of the last good frame. */
        long offset() {
            return offset;
        }

        /** The next payload (valid until the following call), or {@code null} at the limit. */
        ByteBuffer next() throws IOException, FrameProblem {
            if (offset == limit) {
                return null;
            }
            if (limit - offset < PredictionFrames.FRAME_HEADER_BYTES) {
                throw new FrameProblem(FrameProblem.Kind.TORN, offset, -1, "the file ends inside a frame header ("
                        + (limit - offset) + " of " + PredictionFrames.FRAME_HEADER_BYTES + " bytes)");
            }
            int got = in.readNBytes(header, 0, header.length);
            if (got < header.length) {
                throw new FrameProblem(FrameProblem.Kind.TORN, offset, -1, "the file ends inside a frame header ("
                        + got + " of " + PredictionFrames.FRAME_HEADER_BYTES + " bytes)");
            }
            ByteBuffer h = ByteBuffer.wrap(header);
            int length = h.getInt();
            int check = h.getInt();
            int crc = h.getInt();
            if (check != ~length || length < 0 || length > PredictionFrames.MAX_PAYLOAD_BYTES) {
                throw new FrameProblem(FrameProblem.Kind.BAD_LENGTH, offset, -1, String.format(
                        "frame length field 0x%08x does not match its check field 0x%08x (expected 0x%08x)",
                        length, check, ~length));
            }
            long end = offset + PredictionFrames.FRAME_HEADER_BYTES + length;
            if (end > limit) {
                throw new FrameProblem(FrameProblem.Kind.TORN, offset, -1, "a frame of " + length
                        + " payload bytes runs past the end of the file (" + limit + " bytes)");
            }
            if (payload.length < length) {
                payload = new byte[Math.max(length, payload.length * 2)];
            }
            if (in.readNBytes(payload, 0, length) < length) {
                throw new FrameProblem(FrameProblem.Kind.TORN, offset, -1, "the file ends inside a frame payload");
            }
            int actual = PredictionFrames.crc(payload, 0, length);
            if (actual != crc) {
                throw new FrameProblem(FrameProblem.Kind.BAD_CHECKSUM, offset, end, String.format(
                        "CRC32C mismatch in a frame of %d payload bytes (stored 0x%08x, computed 0x%08x)",
                        length, crc, actual));
            }
            if (length < 16) {
                throw new FrameProblem(FrameProblem.Kind.BAD_RECORD, offset, end, "a frame of " + length
                        + " payload bytes is too short for a record");
            }
            offset = end;
            return ByteBuffer.wrap(payload, 0, length).slice();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
