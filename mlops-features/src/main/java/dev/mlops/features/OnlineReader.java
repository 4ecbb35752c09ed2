package dev.mlops.features;

import java.util.List;

/**
 * Online reads of a fixed list of stored view features into reusable primitive rows, for the serving hot path:
 * the features are resolved once, when the reader is made ({@link FeatureStore#onlineReader}), and a read fills
 * an {@link OnlineRow} the caller keeps, so reading one entity from the embedded store allocates nothing (no
 * {@link FeatureValue} records, no boxed numbers). The semantics are those of {@link FeatureStore#readOnline}:
 * the same statuses, TTL enforced at the store's clock time, the same event times.
 *
 * <pre>{@code
 * OnlineReader reader = store.onlineReader(List.of("weather:temp", "weather:hum"));
 * OnlineRow row = reader.newRow();                  // one per thread, reused
 * int temp = row.indexOf("weather:temp");           // resolve indexes once
 * reader.read("station-7", row);
 * double t = row.doubleValue(temp, Double.NaN);     // NaN unless PRESENT
 * }</pre>
 *
 * <p>A reader is bound to the definitions applied when it was made: after {@link FeatureStore#apply} changes
 * them, make a new reader. It serves stored view features only; on-demand features and windowed aggregates are
 * computed per read and go through {@link FeatureStore#readOnline}. Thread-safe (rows are not).
 */
public interface OnlineReader {

    /** The features, in the order of a row's indexes. */
    List<String> features();

    /** A new row for this reader's features (before any read, every feature is NOT_FOUND). */
    OnlineRow newRow();

    /** {@code count} new rows, for {@link #read(List, OnlineRow[])}. */
    OnlineRow[] newRows(int count);

    /**
     * Reads one entity at the store's clock time into {@code row}, overwriting it.
     *
     * @throws IllegalArgumentException if the key does not fit an entity's key type, or the row is another reader's
     */
    void read(Object entityKey, OnlineRow row);

    /**
     * Reads several entities, {@code keys.get(e)} into {@code rows[e]}, at one clock time, with one batch read per
     * view (one {@code MGET} on Redis).
     *
     * @throws IllegalArgumentException if there are fewer rows than keys, or as {@link #read(Object, OnlineRow)}
     */
    void read(List<?> entityKeys, OnlineRow[] rows);
}
