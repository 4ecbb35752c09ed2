package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.TimestampColumn;
import dev.mlops.features.internal.ValueCodec;
import dev.mlops.features.spi.RecordBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A reusable, primitive-valued result of one entity's online read, filled by {@link OnlineReader#read}: per
 * requested feature (by index, in the reader's order) a {@link FeatureStatus}, the value as a primitive and the
 * stored row's event time. Reading into the same row again overwrites it, so a serving thread keeps one row and
 * allocates nothing per read. Not thread-safe: one row per thread.
 *
 * <p>The typed getters ({@link #doubleValue(int)}, {@link #longValue(int)}, ...) require the feature to be
 * {@link FeatureStatus#PRESENT} and of that type, and otherwise throw {@link IllegalStateException} naming the
 * feature, its status and type; the variants with a fallback return the fallback instead of throwing when the
 * feature is not present.
 */
public final class OnlineRow {

    private static final FeatureStatus[] STATUSES = FeatureStatus.values();
    static final byte PRESENT = (byte) FeatureStatus.PRESENT.ordinal();
    static final byte NOT_FOUND = (byte) FeatureStatus.NOT_FOUND.ordinal();
    static final byte NULL_VALUE = (byte) FeatureStatus.NULL_VALUE.ordinal();
    static final byte OUTSIDE_MAX_AGE = (byte) FeatureStatus.OUTSIDE_MAX_AGE.ordinal();

    private final List<String> features;
    private final ColumnType[] types;
    /** The view slot of each feature, for its event time and string bytes. */
    private final int[] viewOf;
    final long[] bits;
    final byte[] status;
    final int[] strPos;
    final RecordBuffer[] buffers;
    /** Per view slot: the stored row's event micros, or {@link Long#MIN_VALUE} when not found. */
    final long[] viewEvent;
    Object entityKey;
    /** The reader that made this row; a row fits only its own reader. */
    final Object owner;

    OnlineRow(Object owner, List<String> features, ColumnType[] types, int[] viewOf, int views) {
        this.owner = owner;
        this.features = features;
        this.types = types;
        this.viewOf = viewOf;
        int n = features.size();
        this.bits = new long[n];
        this.status = new byte[n];
        this.strPos = new int[n];
        this.buffers = new RecordBuffer[views];
        for (int s = 0; s < views; s++) {
            buffers[s] = new RecordBuffer();
        }
        this.viewEvent = new long[views];
        java.util.Arrays.fill(status, NOT_FOUND);
        java.util.Arrays.fill(viewEvent, Long.MIN_VALUE);
    }

    /** The key of the entity last read into this row, as given (null before the first read). */
    public Object entityKey() {
        return entityKey;
    }

    /** The number of features. */
    public int size() {
        return features.size();
    }

    /** The features ({@code view:feature}), in the reader's order. */
    public List<String> features() {
        return features;
    }

    /** The index of {@code feature}; resolve it once, outside the hot loop. */
    public int indexOf(String feature) {
        int i = features.indexOf(feature);
        if (i < 0) {
            throw new IllegalArgumentException("feature '" + feature + "' is not read by this reader; it reads "
                    + features);
        }
        return i;
    }

    /** The type of feature {@code i}. */
    public ColumnType type(int i) {
        return types[i];
    }

    public FeatureStatus status(int i) {
        return STATUSES[status[i]];
    }

    /** Whether feature {@code i} has a value (status PRESENT). */
    public boolean present(int i) {
        return status[i] == PRESENT;
    }

    /** A DOUBLE (or LONG, converted) feature's value. */
    public double doubleValue(int i) {
        ColumnType t = check(i, ColumnType.DOUBLE, ColumnType.LONG);
        return t == ColumnType.DOUBLE ? Double.longBitsToDouble(bits[i]) : bits[i];
    }

    /** A DOUBLE (or LONG, converted) feature's value, or {@code fallback} when it is not present. */
    public double doubleValue(int i, double fallback) {
        return status[i] == PRESENT ? doubleValue(i) : checkType(i, fallback, ColumnType.DOUBLE, ColumnType.LONG);
    }

    /** A LONG feature's value. */
    public long longValue(int i) {
        check(i, ColumnType.LONG, ColumnType.LONG);
        return bits[i];
    }

    /** A LONG feature's value, or {@code fallback} when it is not present. */
    public long longValue(int i, long fallback) {
        if (status[i] == PRESENT) {
            return longValue(i);
        }
        checkType(i, 0, ColumnType.LONG, ColumnType.LONG);
        return fallback;
    }

    /** A BOOLEAN feature's value. */
    public boolean booleanValue(int i) {
        check(i, ColumnType.BOOLEAN, ColumnType.BOOLEAN);
        return bits[i] != 0;
    }

    /** A TIMESTAMP feature's value in epoch microseconds. */
    public long timestampMicros(int i) {
        check(i, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP);
        return bits[i];
    }

    /** A STRING feature's value (decoded on each call, so it allocates), or null when it is not present. */
    public String stringValue(int i) {
        if (status[i] != PRESENT) {
            checkType(i, 0, ColumnType.STRING, ColumnType.STRING);
            return null;
        }
        check(i, ColumnType.STRING, ColumnType.STRING);
        return ValueCodec.string(buffers[viewOf[i]].array(), strPos[i]);
    }

    /** The value boxed as {@link FeatureValue#value()} has it (Double, Long, Boolean, String, Instant), or null. */
    public Object value(int i) {
        if (status[i] != PRESENT) {
            return null;
        }
        return switch (types[i]) {
            case DOUBLE -> Double.longBitsToDouble(bits[i]);
            case LONG -> bits[i];
            case BOOLEAN -> bits[i] != 0;
            case TIMESTAMP -> TimestampColumn.fromEpochMicros(bits[i]);
            case STRING -> stringValue(i);
        };
    }

    /**
     * The event time (epoch micros) of the stored row feature {@code i} came from, or {@link Long#MIN_VALUE} when
     * NOT_FOUND; set for PRESENT, NULL_VALUE and OUTSIDE_MAX_AGE, as {@link FeatureValue#eventTimestamp()} is.
     */
    public long eventMicros(int i) {
        return viewEvent[viewOf[i]];
    }

    /** The same read as the boxing API returns it (allocates; for logging and tests, not the hot path). */
    public OnlineResponse toResponse() {
        List<FeatureValue> out = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            long e = eventMicros(i);
            out.add(new FeatureValue(features.get(i), value(i), e == Long.MIN_VALUE ? null
                    : TimestampColumn.fromEpochMicros(e), status(i)));
        }
        return new OnlineResponse(entityKey, List.copyOf(out));
    }

    private ColumnType check(int i, ColumnType a, ColumnType b) {
        ColumnType t = types[i];
        if (t != a && t != b) {
            throw new IllegalStateException("feature '" + features.get(i) + "' is " + t + ", not " + a
                    + ". Fix: use the getter of its type");
        }
        if (status[i] != PRESENT) {
            throw new IllegalStateException("feature '" + features.get(i) + "' of entity " + entityKey + " is "
                    + status(i) + ", so it has no value. Fix: check present(i) first, or pass a fallback");
        }
        return t;
    }

    private double checkType(int i, double fallback, ColumnType a, ColumnType b) {
        ColumnType t = types[i];
        if (t != a && t != b) {
            throw new IllegalStateException("feature '" + features.get(i) + "' is " + t + ", not " + a
                    + ". Fix: use the getter of its type");
        }
        return fallback;
    }
}
