package dev.mlops.core.table;

import java.time.Instant;
import java.util.Arrays;

/**
 * A column of UTC instants with microsecond precision, stored as microseconds since the epoch
 * (the layout of Parquet's and DuckDB's {@code TIMESTAMP}). Instants that carry sub-microsecond
 * digits are refused rather than silently truncated. Null cells read as epoch micros {@code 0}
 * (and as {@code null} from {@link #get(int)}).
 */
public final class TimestampColumn extends AbstractColumn implements Column {

    private final long[] micros;

    private TimestampColumn(String name, long[] micros, int size, long[] nulls) {
        super(name, size, nulls);
        this.micros = micros;
    }

    /** A column of the given epoch microseconds, with no nulls. */
    public static TimestampColumn ofEpochMicros(String name, long... epochMicros) {
        return new TimestampColumn(name, epochMicros.clone(), epochMicros.length, null);
    }

    /** A column of the given instants; {@code null} elements become null cells. */
    public static TimestampColumn of(String name, Instant... values) {
        Builder b = builder(name, values.length);
        for (Instant v : values) {
            if (v == null) {
                b.addNull();
            } else {
                b.add(v);
            }
        }
        return b.build();
    }

    public static Builder builder(String name) {
        return new Builder(name, 16);
    }

    public static Builder builder(String name, int expectedSize) {
        return new Builder(name, expectedSize);
    }

    /**
     * Microseconds since 1970-01-01T00:00:00Z for {@code instant}.
     *
     * @throws IllegalArgumentException if the instant has sub-microsecond digits or lies outside
     *                                  the range a {@code long} of microseconds can hold
     */
    public static long toEpochMicros(Instant instant) {
        if (instant.getNano() % 1_000 != 0) {
            throw new IllegalArgumentException("timestamp " + instant + " has sub-microsecond digits; timestamps "
                    + "are stored with microsecond precision: round it first, e.g. instant.truncatedTo(ChronoUnit.MICROS)");
        }
        try {
            long seconds = instant.getEpochSecond();
            long micros = instant.getNano() / 1_000;
            if (seconds < 0 && micros > 0) { // avoid overflowing on the way to Long.MIN_VALUE
                return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000L), micros - 1_000_000L);
            }
            return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("timestamp " + instant + " is outside the supported range "
                    + "(about years -290308 to 294247 as microseconds since the epoch)", e);
        }
    }

    /** The instant for {@code epochMicros} microseconds since the epoch. */
    public static Instant fromEpochMicros(long epochMicros) {
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
    }

    @Override
    public ColumnType type() {
        return ColumnType.TIMESTAMP;
    }

    /** Microseconds since the epoch at {@code row}; {@code 0} for a null cell. */
    public long epochMicros(int row) {
        return isNull(row) ? 0L : micros[row];
    }

    /** The instant at {@code row}, or {@code null} for a null cell. */
    public Instant get(int row) {
        return isNull(row) ? null : fromEpochMicros(micros[row]);
    }

    /** A copy of the epoch microseconds; null cells become {@code 0}. */
    public long[] toEpochMicrosArray() {
        long[] out = Arrays.copyOf(micros, size);
        for (int i = 0; i < size && nulls != null; i++) {
            if (NullMask.get(nulls, i)) {
                out[i] = 0L;
            }
        }
        return out;
    }

    @Override
    public Instant value(int row) {
        return get(row);
    }

    @Override
    public TimestampColumn rename(String newName) {
        return new TimestampColumn(newName, micros, size, nulls);
    }

    @Override
    public TimestampColumn take(int[] rows) {
        checkRows(rows);
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = micros[rows[i]];
        }
        return new TimestampColumn(name, out, rows.length, NullMask.take(nulls, rows));
    }

    @Override
    public TimestampColumn slice(int from, int to) {
        checkSlice(from, to);
        return new TimestampColumn(name, Arrays.copyOfRange(micros, from, to), to - from, NullMask.slice(nulls, from, to));
    }

    @Override
    String format(int row) {
        return fromEpochMicros(micros[row]).toString();
    }

    @Override
    boolean cellEquals(int row, Object other, int otherRow) {
        return micros[row] == ((TimestampColumn) other).micros[otherRow];
    }

    @Override
    int cellHash(int row) {
        return Long.hashCode(micros[row]);
    }

    /** Appends cells one at a time; not thread-safe. */
    public static final class Builder {
        private final String name;
        private long[] micros;
        private long[] nulls;
        private int size;

        private Builder(String name, int expectedSize) {
            this.name = name;
            this.micros = new long[Math.max(expectedSize, 4)];
        }

        public Builder addEpochMicros(long epochMicros) {
            if (size == micros.length) {
                micros = Arrays.copyOf(micros, size * 2);
            }
            micros[size++] = epochMicros;
            return this;
        }

        /** Appends {@code instant}; see {@link #toEpochMicros(Instant)} for what is refused. */
        public Builder add(Instant instant) {
            return addEpochMicros(toEpochMicros(instant));
        }

        public Builder addNull() {
            nulls = NullMask.set(nulls, size);
            return addEpochMicros(0L);
        }

        public int size() {
            return size;
        }

        public TimestampColumn build() {
            return new TimestampColumn(name, micros.length == size ? micros : Arrays.copyOf(micros, size), size, nulls);
        }
    }
}
