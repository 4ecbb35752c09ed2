package dev.mlops.drift.internal;

import java.util.Arrays;

/**
 * Sorting of NaN-free doubles into exactly the order of {@link Arrays#sort(double[])} ({@code -0.0} before
 * {@code 0.0}), by a least-significant-digit radix sort on the IEEE bits for large arrays: 6 passes of 11 bits,
 * a pass skipped when every value has the same digit there (integers, narrow ranges). About 2-3x faster than
 * {@code Arrays.sort} on 1M doubles; needs two {@code long[n]} scratch arrays while it runs.
 */
final class DoubleSort {

    /** Below this size {@code Arrays.sort} is used. */
    static final int RADIX_MIN = 1 << 14;
    private static final int BITS = 11;
    private static final int BUCKETS = 1 << BITS;
    private static final int PASSES = 6; // 6 x 11 = 66 >= 64 bits

    private DoubleSort() {
    }

    /** Sorts {@code a} in place; {@code a} must hold no NaN. */
    static void sort(double[] a) {
        int n = a.length;
        if (n < RADIX_MIN) {
            Arrays.sort(a);
            return;
        }
        long[] keys = new long[n];
        int[][] counts = new int[PASSES][BUCKETS];
        for (int i = 0; i < n; i++) {
            long k = key(a[i]);
            keys[i] = k;
            for (int p = 0; p < PASSES; p++) {
                counts[p][(int) ((k >>> (p * BITS)) & (BUCKETS - 1))]++;
            }
        }
        long[] buf = new long[n];
        long[] src = keys;
        long[] dst = buf;
        for (int p = 0; p < PASSES; p++) {
            int[] c = counts[p];
            int shift = p * BITS;
            if (c[(int) ((src[0] >>> shift) & (BUCKETS - 1))] == n) {
                continue; // every key has this digit: the pass would not move anything
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int t = c[b];
                c[b] = sum;
                sum += t;
            }
            for (int i = 0; i < n; i++) {
                long k = src[i];
                dst[c[(int) ((k >>> shift) & (BUCKETS - 1))]++] = k;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < n; i++) {
            a[i] = value(src[i]);
        }
    }

    /** The raw bits mapped so that unsigned order is the order of the doubles (negative: all bits flipped). */
    private static long key(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    private static double value(long key) {
        long bits = key ^ ((~key >> 63) | Long.MIN_VALUE);
        return Double.longBitsToDouble(bits);
    }
}
