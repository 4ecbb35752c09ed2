package dev.mlops.core.validation;

/**
 * An open-addressing map from {@code long} keys to non-negative {@code int} values (row indexes), sized up
 * front: what the uniqueness rule needs to find repeated values among millions of cells without boxing.
 * Not thread-safe.
 */
final class LongIntHashMap {

    private static final int MAX_CAPACITY = 1 << 30;

    private final long[] keys;
    private final int[] values; // value + 1; 0 marks an empty slot
    private final int mask;
    private int size;

    /** A map that holds up to {@code expected} keys without growing. */
    LongIntHashMap(int expected) {
        long wanted = Math.max(4L, expected) * 2;
        int capacity = wanted >= MAX_CAPACITY ? MAX_CAPACITY : Integer.highestOneBit((int) wanted - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        mask = capacity - 1;
    }

    /**
     * Stores {@code value} under {@code key} unless the key is present.
     *
     * @return the value already stored under {@code key}, or {@code -1} if it was absent and is now stored
     */
    int putIfAbsent(long key, int value) {
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                return values[slot] - 1;
            }
            slot = (slot + 1) & mask;
        }
        if (size == mask) {
            throw new IllegalStateException("more than " + mask + " distinct values; uniqueness checks support up to "
                    + mask + " distinct values per column");
        }
        keys[slot] = key;
        values[slot] = value + 1;
        size++;
        return -1;
    }

    /** The value stored under {@code key}, or {@code -1}. */
    int get(long key) {
        int slot = slot(key);
        while (values[slot] != 0) {
            if (keys[slot] == key) {
                return values[slot] - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
