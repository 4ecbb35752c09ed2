package dev.mlops.features.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where materialized feature rows live for serving: per feature view, the newest row of each entity,
 * plus the materialization watermark of each view. Implementations: the embedded Chronicle Map store
 * (the default) and adapters such as Redis. Every implementation passes {@code OnlineStoreContract}
 * (in this module's test-jar).
 *
 * <p>Rules every implementation keeps: {@link #write} keeps, per key, the newer of the stored and the
 * given record by (event, created), the given one on a tie, so writing the same rows again changes
 * nothing (materialization is idempotent and can be re-run after a crash); a record is written whole or
 * not at all; a written record and a set watermark survive {@link #close()} and a reopen. Methods are
 * safe to call from several threads.
 */
public interface OnlineStore extends AutoCloseable {

    /**
     * Sizing hints for {@code view}, given before its first write: the average encoded payload size and
     * the number of keys expected. Stores that preallocate (Chronicle Map) use them; others ignore them.
     */
    default void prepare(String view, int averageValueBytes, long expectedKeys) {
    }

    /** Writes {@code records} of {@code view}, each unless the stored record for its key is newer. */
    void write(String view, List<OnlineRecord> records);

    /** The record of {@code key} in {@code view}, or {@code null}. */
    OnlineRecord read(String view, String key);

    /** The records of {@code keys} in order, {@code null} where absent. */
    default List<OnlineRecord> readAll(String view, List<String> keys) {
        List<OnlineRecord> out = new ArrayList<>(keys.size());
        for (String k : keys) {
            out.add(read(view, k));
        }
        return out;
    }

    /**
     * Reads the record of {@code key} in {@code view} into {@code into} (cleared when absent); returns whether it was
     * found. The default copies {@link #read}'s record; a store that can fill the buffer's own array without
     * allocating should override it.
     */
    default boolean readInto(String view, String key, RecordBuffer into) {
        into.set(read(view, key));
        return into.found();
    }

    /**
     * Reads the records of {@code keys} into {@code into[0 .. keys.size())}, in order. The default goes through
     * {@link #readAll} (one round trip for a networked store); the embedded store reads each key into its buffer.
     */
    default void readAllInto(String view, List<String> keys, RecordBuffer[] into) {
        List<OnlineRecord> records = readAll(view, keys);
        for (int i = 0; i < keys.size(); i++) {
            into[i].set(records.get(i));
        }
    }

    /** The materialization watermark of {@code view} (epoch micros), if one was set. */
    OptionalLong watermark(String view);

    /** Sets the watermark of {@code view}, durably. */
    void setWatermark(String view, long epochMicros);

    /** Every view's watermark. */
    Map<String, Long> watermarks();

    /** Number of keys stored for {@code view}. */
    long size(String view);

    /** Releases files and memory; the data stays. */
    @Override
    void close();
}
