package dev.mlops.core.spi;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The byte layout of a rolling prediction log segment (see {@link RollingPredictionLogBuilder} for the
 * documented format): the segment header, frames ({@code length, ~length, crc32c(payload), payload}) and
 * the binary encoding of one {@link PredictionRecord} as a payload. All integers are big-endian.
 */
final class PredictionFrames {

    /** "MLPL": the first four bytes of every segment. */
    static final int SEGMENT_MAGIC = 0x4D4C504C;
    static final int FORMAT_VERSION = 1;
    /** Segment header: magic and format version. */
    static final int SEGMENT_HEADER_BYTES = 8;
    /** Frame header: payload length, its bitwise complement, CRC32C of the payload. */
    static final int FRAME_HEADER_BYTES = 12;
    /** Largest payload accepted; a longer record is dropped by the writer and a longer length is corrupt. */
    static final int MAX_PAYLOAD_BYTES = 16 << 20;

    static final byte NULL = 0;
    static final byte DOUBLE = 1;
    static final byte LONG = 2;
    static final byte BOOLEAN = 3;
    static final byte STRING = 4;
    static final byte INSTANT = 5;
    static final byte DOUBLES = 6;

    private PredictionFrames() {
    }

    static ByteBuffer segmentHeader() {
        return ByteBuffer.allocate(SEGMENT_HEADER_BYTES).putInt(SEGMENT_MAGIC).putInt(FORMAT_VERSION).flip();
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    /** A growable big-endian buffer that frames are encoded into on the writer thread. */
    static final class Encoder {
        private ByteBuffer buf = ByteBuffer.allocate(64 << 10);

        ByteBuffer buffer() {
            return buf;
        }

        void clear() {
            buf.clear();
        }

        int position() {
            return buf.position();
        }

        /** The bytes of the frame at {@code [start, start + size)}, removed from the end of the buffer. */
        byte[] cut(int start, int size) {
            byte[] frame = java.util.Arrays.copyOfRange(buf.array(), start, start + size);
            buf.position(start);
            return frame;
        }

        void appendRaw(byte[] frame) {
            ensure(frame.length);
            buf.put(frame);
        }

        /**
         * Appends one frame holding {@code record}; returns its size in bytes, or -1 (nothing appended) when
         * the payload would exceed {@link #MAX_PAYLOAD_BYTES}.
         */
        int appendFrame(PredictionRecord record) {
            int start = buf.position();
            ensure(FRAME_HEADER_BYTES);
            buf.position(start + FRAME_HEADER_BYTES);
            Instant t = record.timestamp();
            ensure(12);
            buf.putLong(t.getEpochSecond()).putInt(t.getNano());
            putString(record.model());
            putString(record.version());
            putString(record.requestId());
            ensure(12);
            buf.putLong(record.latencyNanos()).putInt(record.inputs().size());
            for (Map.Entry<String, Object> e : record.inputs().entrySet()) {
                putString(e.getKey());
                putValue(e.getValue());
            }
            putValue(record.output());
            int payload = buf.position() - start - FRAME_HEADER_BYTES;
            if (payload > MAX_PAYLOAD_BYTES) {
                buf.position(start);
                return -1;
            }
            int crc = crc(buf.array(), start + FRAME_HEADER_BYTES, payload);
            buf.putInt(start, payload).putInt(start + 4, ~payload).putInt(start + 8, crc);
            return payload + FRAME_HEADER_BYTES;
        }

        private void putString(String s) {
            if (s == null) {
                ensure(4);
                buf.putInt(-1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + bytes.length);
            buf.putInt(bytes.length).put(bytes);
        }

        private void putValue(Object value) {
            ensure(13);
            switch (value) {
                case null -> buf.put(NULL);
                case Double d -> buf.put(DOUBLE).putDouble(d);
                case Long l -> buf.put(LONG).putLong(l);
                case Boolean b -> buf.put(BOOLEAN).put((byte) (b ? 1 : 0));
                case String s -> {
                    buf.put(STRING);
                    putString(s);
                }
                case Instant i -> buf.put(INSTANT).putLong(i.getEpochSecond()).putInt(i.getNano());
                case double[] scores -> {
                    buf.put(DOUBLES).putInt(scores.length);
                    ensure(8 * scores.length);
                    for (double s : scores) {
                        buf.putDouble(s);
                    }
                }
                default -> throw new IllegalStateException("PredictionRecord admitted a value of type "
                        + value.getClass().getName() + "; this is a bug in PredictionRecord");
            }
        }

        private void ensure(int bytes) {
            if (buf.remaining() < bytes) {
                long needed = (long) buf.position() + bytes;
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buf.capacity()));
                if (capacity < needed) {
                    throw new IllegalStateException("a prediction record needs more than 2 GiB to encode");
                }
                ByteBuffer bigger = ByteBuffer.allocate(capacity);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }
    }

    /** Reads the timestamp at the start of a payload, without decoding the rest. */
    static Instant timestamp(ByteBuffer payload) {
        return Instant.ofEpochSecond(payload.getLong(0), payload.getInt(8));
    }

    /** Whether the payload's model (right after the timestamp) equals {@code model}, as UTF-8 bytes. */
    static boolean modelEquals(ByteBuffer payload, byte[] model) {
        int length = payload.getInt(12);
        if (length != model.length || 16 + length > payload.limit()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (payload.get(16 + i) != model[i]) {
                return false;
            }
        }
        return true;
    }

    /** The model name of a payload; used when building a segment summary. */
    static String model(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().position(12);
        return getString(b);
    }

    /**
     * Decodes a payload whose checksum already matched.
     *
     * @throws IllegalArgumentException with the reason, if the bytes do not form a record of this format
     */
    static PredictionRecord decode(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate();
        try {
            Instant t = Instant.ofEpochSecond(b.getLong(), b.getInt());
            String model = getString(b);
            String version = getString(b);
            String requestId = getString(b);
            long latency = b.getLong();
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("input count " + n + " is impossible");
            }
            Map<String, Object> inputs = LinkedHashMap.newLinkedHashMap(n);
            for (int i = 0; i < n; i++) {
                String key = getString(b);
                inputs.put(key, getValue(b, false));
            }
            Object output = getValue(b, true);
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " bytes are left after the record");
            }
            return new PredictionRecord(model, version, t, requestId, inputs, output, latency);
        } catch (BufferUnderflowException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("the record ends early or holds an invalid instant (" + e + ")");
        }
    }

    private static String getString(ByteBuffer b) {
        int length = b.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException("string length " + length + " is impossible");
        }
        String s = new String(b.array(), b.arrayOffset() + b.position(), length, StandardCharsets.UTF_8);
        b.position(b.position() + length);
        return s;
    }

    private static Object getValue(ByteBuffer b, boolean output) {
        byte tag = b.get();
        return switch (tag) {
            case NULL -> null;
            case DOUBLE -> b.getDouble();
            case LONG -> b.getLong();
            case BOOLEAN -> b.get() != 0;
            case STRING -> getString(b);
            case INSTANT -> Instant.ofEpochSecond(b.getLong(), b.getInt());
            case DOUBLES -> {
                if (!output) {
                    throw new IllegalArgumentException("an input holds a double[]");
                }
                int n = b.getInt();
                if (n < 0 || 8L * n > b.remaining()) {
                    throw new IllegalArgumentException("double[] length " + n + " is impossible");
                }
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    scores[i] = b.getDouble();
                }
                yield scores;
            }
            default -> throw new IllegalArgumentException("unknown value tag " + tag);
        };
    }
}
