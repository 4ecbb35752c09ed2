package dev.mlops.features.internal;

/**
 * An open-addressing map from {@code long} keys to dense ids 0, 1, 2, ... in first-seen order, with no
 * boxing: the join's key index for integer keys.
 */
final class LongIdMap {

    private long[] keys;
    private int[] ids;
    private int mask;
    private int size;

    LongIdMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        ids = new int[cap];
        java.util.Arrays.fill(ids, -1);
        mask = cap - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** The id of {@code key}, assigning the next one when it is new. */
    int idOrAdd(long key) {
        int s = slot(key, mask);
        while (true) {
            int id = ids[s];
            if (id < 0) {
                keys[s] = key;
                ids[s] = size;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return size - 1;
            }
            if (keys[s] == key) {
                return id;
            }
            s = (s + 1) & mask;
        }
    }

    /** The id of {@code key}, or -1. */
    int get(long key) {
        int s = slot(key, mask);
        while (true) {
            int id = ids[s];
            if (id < 0 || keys[s] == key) {
                return id;
            }
            s = (s + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    /** The keys by id. */
    long[] keysById() {
        long[] out = new long[size];
        for (int s = 0; s < ids.length; s++) {
            if (ids[s] >= 0) {
                out[ids[s]] = keys[s];
            }
        }
        return out;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldIds = ids;
        int cap = oldKeys.length * 2;
        keys = new long[cap];
        ids = new int[cap];
        java.util.Arrays.fill(ids, -1);
        mask = cap - 1;
        for (int s = 0; s < oldKeys.length; s++) {
            if (oldIds[s] >= 0) {
                int t = slot(oldKeys[s], mask);
                while (ids[t] >= 0) {
                    t = (t + 1) & mask;
                }
                keys[t] = oldKeys[s];
                ids[t] = oldIds[s];
            }
        }
    }
}
