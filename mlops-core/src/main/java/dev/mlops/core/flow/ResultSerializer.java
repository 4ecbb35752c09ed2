package dev.mlops.core.flow;

/**
 * Turns a task result into bytes for the persistent cache and back. Implementations must be thread-safe
 * and must not use unrestricted Java deserialization. {@link Serializers} has the stock ones.
 *
 * @param <T> the result type
 */
public interface ResultSerializer<T> {

    /** The bytes of {@code value}; may throw if the value cannot be written. */
    byte[] write(T value) throws Exception;

    /** The value read back; may throw if the bytes are not a value of this serializer. */
    T read(byte[] bytes) throws Exception;
}
