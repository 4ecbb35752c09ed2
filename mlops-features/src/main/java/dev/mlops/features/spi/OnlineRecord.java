package dev.mlops.features.spi;

import java.util.Objects;

/**
 * One entity's row of one feature view in an online store: its key, the event and created timestamps
 * of the values (epoch microseconds, UTC) and the values encoded by the feature store (opaque to the
 * store).
 *
 * @param key           the entity key as text (a LONG key in decimal)
 * @param eventMicros   when the values were true
 * @param createdMicros when the values were written upstream (breaks ties between equal event times)
 * @param payload       the encoded values; the store keeps the bytes as they are
 */
public record OnlineRecord(String key, long eventMicros, long createdMicros, byte[] payload) {

    public OnlineRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
    }

    /** Whether this record is newer than {@code other}: greater (event, created). Equal is not newer. */
    public boolean newerThan(OnlineRecord other) {
        return eventMicros > other.eventMicros || (eventMicros == other.eventMicros && createdMicros > other.createdMicros);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnlineRecord r && r.key.equals(key) && r.eventMicros == eventMicros
                && r.createdMicros == createdMicros && java.util.Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, eventMicros, createdMicros) * 31 + java.util.Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "OnlineRecord[" + key + ", event " + eventMicros + ", created " + createdMicros + ", " + payload.length + " bytes]";
    }
}
