package dev.mlops.core.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Stock {@link ResultSerializer}s. */
public final class Serializers {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private Serializers() {
    }

    /** UTF-8 text. */
    public static ResultSerializer<String> string() {
        return new ResultSerializer<>() {
            @Override
            public byte[] write(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String read(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** A {@code long} as 8 big-endian bytes. */
    public static ResultSerializer<Long> longs() {
        return new ResultSerializer<>() {
            @Override
            public byte[] write(Long value) {
                return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
            }

            @Override
            public Long read(byte[] bytes) {
                if (bytes.length != Long.BYTES) {
                    throw new IllegalArgumentException("a long needs 8 bytes, found " + bytes.length);
                }
                return ByteBuffer.wrap(bytes).getLong();
            }
        };
    }

    /** A {@code double} as the 8 big-endian bytes of its bit pattern (NaN and -0.0 survive). */
    public static ResultSerializer<Double> doubles() {
        return new ResultSerializer<>() {
            @Override
            public byte[] write(Double value) {
                return ByteBuffer.allocate(Double.BYTES).putDouble(value).array();
            }

            @Override
            public Double read(byte[] bytes) {
                if (bytes.length != Double.BYTES) {
                    throw new IllegalArgumentException("a double needs 8 bytes, found " + bytes.length);
                }
                return ByteBuffer.wrap(bytes).getDouble();
            }
        };
    }

    /**
     * JSON through Jackson for a fixed class (a record or bean); only that class is ever instantiated, so
     * a cache file cannot make the engine build arbitrary objects.
     */
    public static <T> ResultSerializer<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new ResultSerializer<>() {
            @Override
            public byte[] write(T value) throws Exception {
                return MAPPER.writeValueAsBytes(type.cast(value));
            }

            @Override
            public T read(byte[] bytes) throws Exception {
                return MAPPER.readValue(bytes, type);
            }
        };
    }
}
