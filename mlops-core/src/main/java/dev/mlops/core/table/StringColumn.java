package dev.mlops.core.table;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A column of strings, dictionary-encoded: each cell holds an {@code int} code into a dictionary of
 * the distinct values in order of first appearance. Categorical statistics work on the codes
 * ({@link #code(int)}, {@link #dictionary()}) without hashing a string per row.
 */
public final class StringColumn extends AbstractColumn implements Column {

    private final int[] codes;
    private final String[] dictionary;

    private StringColumn(String name, int[] codes, int size, String[] dictionary, long[] nulls) {
        super(name, size, nulls);
        this.codes = codes;
        this.dictionary = dictionary;
    }

    /** A column holding {@code values}; {@code null} elements become null cells. */
    public static StringColumn of(String name, String... values) {
        Builder b = builder(name, values.length);
        for (String v : values) {
            b.add(v);
        }
        return b.build();
    }

    public static Builder builder(String name) {
        return new Builder(name, 16);
    }

    public static Builder builder(String name, int expectedSize) {
        return new Builder(name, expectedSize);
    }

    @Override
    public ColumnType type() {
        return ColumnType.STRING;
    }

    /** The value at {@code row}, or {@code null} for a null cell. */
    public String get(int row) {
        return isNull(row) ? null : dictionary[codes[row]];
    }

    /** The dictionary code of the cell at {@code row}, or {@code -1} for a null cell. */
    public int code(int row) {
        return isNull(row) ? -1 : codes[row];
    }

    /** The distinct non-null values, in order of first appearance; {@code code(row)} indexes it. */
    public List<String> dictionary() {
        return List.of(dictionary);
    }

    /** The number of distinct non-null values. */
    public int cardinality() {
        return dictionary.length;
    }

    /** Occurrences of each dictionary entry, indexed by code; nulls are not counted. */
    public int[] codeCounts() {
        int[] counts = new int[dictionary.length];
        for (int i = 0; i < size; i++) {
            if (codes[i] >= 0) {
                counts[codes[i]]++;
            }
        }
        return counts;
    }

    @Override
    public String value(int row) {
        return get(row);
    }

    @Override
    public StringColumn rename(String newName) {
        return new StringColumn(newName, codes, size, dictionary, nulls);
    }

    @Override
    public StringColumn take(int[] rows) {
        checkRows(rows);
        Builder b = builder(name, rows.length);
        for (int r : rows) {
            b.add(get(r));
        }
        return b.build();
    }

    @Override
    public StringColumn slice(int from, int to) {
        checkSlice(from, to);
        Builder b = builder(name, to - from);
        for (int r = from; r < to; r++) {
            b.add(get(r));
        }
        return b.build();
    }

    @Override
    String format(int row) {
        return dictionary[codes[row]];
    }

    @Override
    boolean cellEquals(int row, Object other, int otherRow) {
        StringColumn o = (StringColumn) other;
        return dictionary[codes[row]].equals(o.dictionary[o.codes[otherRow]]);
    }

    @Override
    int cellHash(int row) {
        return dictionary[codes[row]].hashCode();
    }

    /** Appends cells one at a time, interning each distinct value once; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Map<String, Integer> index = new HashMap<>();
        private String[] dictionary = new String[8];
        private int[] codes;
        private long[] nulls;
        private int size;

        private Builder(String name, int expectedSize) {
            this.name = name;
            this.codes = new int[Math.max(expectedSize, 4)];
        }

        /** Appends {@code value}; {@code null} appends a null cell. */
        public Builder add(String value) {
            if (value == null) {
                return addNull();
            }
            Integer code = index.get(value);
            if (code == null) {
                code = index.size();
                index.put(value, code);
                if (code == dictionary.length) {
                    dictionary = Arrays.copyOf(dictionary, code * 2);
                }
                dictionary[code] = value;
            }
            return append(code);
        }

        public Builder addNull() {
            nulls = NullMask.set(nulls, size);
            return append(-1);
        }

        private Builder append(int code) {
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size * 2);
            }
            codes[size++] = code;
            return this;
        }

        public int size() {
            return size;
        }

        public StringColumn build() {
            return new StringColumn(name, Arrays.copyOf(codes, size), size,
                    Arrays.copyOf(dictionary, index.size()), nulls);
        }
    }
}
