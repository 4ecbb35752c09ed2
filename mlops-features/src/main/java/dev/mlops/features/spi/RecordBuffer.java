package dev.mlops.features.spi;

/**
 * A reusable holder for one online record, filled by {@link OnlineStore#readInto}: the read path of
 * {@code FeatureStore.onlineReader} reuses one per view and thread, so a store that can copy a record into
 * the buffer's own array (Chronicle Map's {@code getUsing}) reads without allocating. Not thread-safe.
 */
public final class RecordBuffer {

    private byte[] bytes = new byte[0];
    private int offset;
    private int length;
    private long eventMicros;
    private long createdMicros;
    private boolean found;

    /** The array the store may reuse for the next read (the last one filled, or an empty one). */
    public byte[] array() {
        return bytes;
    }

    /**
     * Fills the buffer with a found record whose payload is {@code bytes[offset, offset + length)}; the
     * array is kept by reference (and may be reused by the next read into this buffer).
     */
    public void set(long eventMicros, long createdMicros, byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IllegalArgumentException("payload [" + offset + ", " + (offset + length) + ") is outside an array of "
                    + bytes.length + " bytes");
        }
        this.eventMicros = eventMicros;
        this.createdMicros = createdMicros;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.found = true;
    }

    /** Marks the buffer empty (the key is absent); keeps the array for reuse. */
    public void clear() {
        this.found = false;
        this.length = 0;
    }

    /** Fills the buffer from {@code record}, or clears it when {@code record} is null. */
    public void set(OnlineRecord record) {
        if (record == null) {
            clear();
        } else {
            set(record.eventMicros(), record.createdMicros(), record.payload(), 0, record.payload().length);
        }
    }

    public boolean found() {
        return found;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public long eventMicros() {
        return eventMicros;
    }

    public long createdMicros() {
        return createdMicros;
    }
}
