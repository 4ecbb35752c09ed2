package dev.mlops.features.internal;

import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.TimestampColumn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Encodes one row of feature values for the online store: per feature, one tag byte (0 null, 1 value),
 * then the value: DOUBLE and LONG and TIMESTAMP (epoch micros) as 8 bytes big-endian, BOOLEAN as one
 * byte, STRING as a 4-byte length and UTF-8. The types come from the view definition, in order.
 */
public final class ValueCodec {

    private final ColumnType[] types;

    public ValueCodec(List<ColumnType> types) {
        this.types = types.toArray(ColumnType[]::new);
    }

    /** Encodes row {@code row} of {@code columns} (one per type, in order). */
    public byte[] encode(List<Column> columns, int row) {
        int size = 0;
        byte[][] strings = new byte[types.length][];
        for (int i = 0; i < types.length; i++) {
            Column c = columns.get(i);
            size += 1;
            if (c.isNull(row)) {
                continue;
            }
            size += switch (types[i]) {
                case DOUBLE, LONG, TIMESTAMP -> 8;
                case BOOLEAN -> 1;
                case STRING -> {
                    strings[i] = ((StringColumn) c).get(row).getBytes(StandardCharsets.UTF_8);
                    yield 4 + strings[i].length;
                }
            };
        }
        byte[] out = new byte[size];
        int p = 0;
        for (int i = 0; i < types.length; i++) {
            Column c = columns.get(i);
            if (c.isNull(row)) {
                out[p++] = 0;
                continue;
            }
            out[p++] = 1;
            switch (types[i]) {
                case DOUBLE -> p = putLong(out, p, Double.doubleToRawLongBits(((DoubleColumn) c).get(row)));
                case LONG -> p = putLong(out, p, ((LongColumn) c).get(row));
                case TIMESTAMP -> p = putLong(out, p, ((TimestampColumn) c).epochMicros(row));
                case BOOLEAN -> out[p++] = (byte) (((BooleanColumn) c).get(row) ? 1 : 0);
                case STRING -> {
                    p = putInt(out, p, strings[i].length);
                    System.arraycopy(strings[i], 0, out, p, strings[i].length);
                    p += strings[i].length;
                }
            }
        }
        return out;
    }

    /** Decodes every value into {@code into} (boxed: Double, Long, Boolean, String, Instant; null for null). */
    public void decode(byte[] in, Object[] into) {
        int p = 0;
        for (int i = 0; i < types.length; i++) {
            if (in[p++] == 0) {
                into[i] = null;
                continue;
            }
            switch (types[i]) {
                case DOUBLE -> {
                    into[i] = Double.longBitsToDouble(getLong(in, p));
                    p += 8;
                }
                case LONG -> {
                    into[i] = getLong(in, p);
                    p += 8;
                }
                case TIMESTAMP -> {
                    into[i] = TimestampColumn.fromEpochMicros(getLong(in, p));
                    p += 8;
                }
                case BOOLEAN -> into[i] = in[p++] != 0;
                case STRING -> {
                    int n = getInt(in, p);
                    p += 4;
                    into[i] = new String(in, p, n, StandardCharsets.UTF_8);
                    p += n;
                }
            }
        }
        if (p != in.length) {
            throw new IllegalStateException("online value has " + in.length + " bytes, decoded " + p
                    + "; the view's schema changed since it was materialized: materialize again");
        }
    }

    /**
     * Decodes {@code in[off, off + len)} without boxing: for view feature {@code j}, each requested slot {@code t} of
     * {@code targets[j]} gets {@code status[t] = present} and its value in {@code bits[t]} (a double's raw bits, a
     * long, epoch micros, or 0/1 for a boolean; for a string, {@code strPos[t]} is the offset of its 4-byte length
     * in {@code in}), or {@code status[t] = nullValue} for a null.
     *
     * @throws IllegalStateException if the bytes do not match the view's types (the schema changed since the row
     *                               was materialized)
     */
    public void decodeInto(byte[] in, int off, int len, int[][] targets, long[] bits, byte[] status, int[] strPos,
                           byte present, byte nullValue) {
        int p = off;
        int end = off + len;
        for (int i = 0; i < types.length; i++) {
            int[] to = targets[i];
            if (p >= end) {
                p = end + 1;
                break;
            }
            boolean isNull = in[p++] == 0;
            ColumnType type = types[i];
            if (to.length == 1 && !isNull && type == ColumnType.DOUBLE && end - p >= 8) {
                // the common case (a requested, non-null double) without the general loop below
                int t = to[0];
                bits[t] = (long) LONG_BE.get(in, p);
                status[t] = present;
                p += 8;
                continue;
            }
            if (isNull) {
                for (int t : to) {
                    status[t] = nullValue;
                }
                continue;
            }
            long v;
            switch (type) {
                case DOUBLE, LONG, TIMESTAMP -> {
                    v = end - p >= 8 ? getLong(in, p) : 0;
                    for (int t : to) {
                        bits[t] = v;
                        status[t] = present;
                    }
                    p += 8;
                }
                case BOOLEAN -> {
                    v = p < end && in[p] != 0 ? 1 : 0;
                    for (int t : to) {
                        bits[t] = v;
                        status[t] = present;
                    }
                    p += 1;
                }
                case STRING -> {
                    int n = end - p >= 4 ? getInt(in, p) : 0;
                    for (int t : to) {
                        strPos[t] = p;
                        status[t] = present;
                    }
                    p += 4 + Math.max(0, n);
                }
            }
        }
        if (p != end) {
            throw new IllegalStateException("online value has " + len + " bytes, which do not decode as the view's "
                    + types.length + " features; the view's schema changed since it was materialized: materialize again");
        }
    }

    /** The UTF-8 string whose 4-byte length is at {@code in[pos]} (see {@link #decodeInto}). */
    public static String string(byte[] in, int pos) {
        return new String(in, pos + 4, getInt(in, pos), StandardCharsets.UTF_8);
    }

    /** Big-endian longs at any offset of a byte array, in one access instead of eight byte shifts. */
    private static final java.lang.invoke.VarHandle LONG_BE = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    static int putLong(byte[] b, int p, long v) {
        LONG_BE.set(b, p, v);
        return p + 8;
    }

    static long getLong(byte[] b, int p) {
        return (long) LONG_BE.get(b, p);
    }

    private static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }

    private static int getInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    /** Instant of {@code micros}; shared so the online path allocates one per view read. */
    static Instant instant(long micros) {
        return TimestampColumn.fromEpochMicros(micros);
    }
}
