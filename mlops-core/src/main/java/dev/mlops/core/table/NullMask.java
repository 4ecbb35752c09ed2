package dev.mlops.core.table;

import java.util.Arrays;

/** A bit set of null cells; {@code null} stands for "no nulls" everywhere it is passed around. */
final class NullMask {

    private NullMask() {
    }

    static long[] grow(long[] words, int bit) {
        int needed = (bit >>> 6) + 1;
        if (words == null) {
            return new long[Math.max(needed, 4)];
        }
        return needed <= words.length ? words : Arrays.copyOf(words, Math.max(needed, words.length * 2));
    }

    static long[] set(long[] words, int bit) {
        long[] w = grow(words, bit);
        w[bit >>> 6] |= 1L << bit;
        return w;
    }

    static boolean get(long[] words, int bit) {
        if (words == null) {
            return false;
        }
        int i = bit >>> 6;
        return i < words.length && (words[i] & (1L << bit)) != 0;
    }

    static int count(long[] words) {
        if (words == null) {
            return 0;
        }
        int n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Trims to {@code size} bits; returns {@code null} when no bit is set. */
    static long[] trim(long[] words, int size) {
        if (words == null) {
            return null;
        }
        long[] t = Arrays.copyOf(words, (size + 63) >>> 6);
        int rem = size & 63;
        if (rem != 0 && t.length > 0) {
            t[t.length - 1] &= (1L << rem) - 1;
        }
        for (long w : t) {
            if (w != 0) {
                return t;
            }
        }
        return null;
    }

    static long[] take(long[] words, int[] rows) {
        if (words == null) {
            return null;
        }
        long[] out = null;
        for (int i = 0; i < rows.length; i++) {
            if (get(words, rows[i])) {
                out = set(out, i);
            }
        }
        return trim(out, rows.length);
    }

    static long[] slice(long[] words, int from, int to) {
        if (words == null) {
            return null;
        }
        long[] out = null;
        for (int i = from; i < to; i++) {
            if (get(words, i)) {
                out = set(out, i - from);
            }
        }
        return trim(out, to - from);
    }
}
