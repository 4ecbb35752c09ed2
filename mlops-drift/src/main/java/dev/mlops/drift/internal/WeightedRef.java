package dev.mlops.drift.internal;

/**
 * The statistics of a reference given as runs ({@link QuantileSketch.Runs}: distinct values and cumulative counts)
 * against a sorted current sample, computed by one merge over the runs and the current values, never expanding the
 * runs to one value per reference row. Each method gives, operation for operation, what the method of
 * {@link Univariate} or {@link KsTwoSample} it names computes on the expanded reference, so the results are the
 * same doubles.
 */
final class WeightedRef {

    private WeightedRef() {
    }

    /** {@link KsTwoSample#statistic} of the expanded reference and {@code cur}. */
    static double ks(QuantileSketch.Runs ref, double[] cur) {
        double[] rv = ref.values();
        long[] rc = ref.cumulative();
        double n1 = ref.count();
        int n2 = cur.length;
        int i = 0;
        int j = 0;
        double maxDiff = 0;
        double minDiff = 0;
        while (i < rv.length || j < n2) {
            double v = i < rv.length && (j >= n2 || rv[i] <= cur[j]) ? rv[i] : cur[j];
            while (i < rv.length && rv[i] <= v) {
                i++;
            }
            while (j < n2 && cur[j] <= v) {
                j++;
            }
            double diff = (i == 0 ? 0 : rc[i - 1]) / n1 - (double) j / n2;
            maxDiff = Math.max(maxDiff, diff);
            minDiff = Math.min(minDiff, diff);
        }
        double minS = Math.min(1, -minDiff);
        return minS > maxDiff ? minS : maxDiff;
    }

    /**
     * {@link Univariate#wasserstein} of the expanded reference and {@code cur}: the terms of non-zero width, in the
     * same order (zero-width steps between equal values add nothing there either).
     */
    static double wasserstein(QuantileSketch.Runs ref, double[] cur) {
        double[] rv = ref.values();
        long[] rc = ref.cumulative();
        double n1 = ref.count();
        int n2 = cur.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        while (i < rv.length || j < n2) {
            double v = i < rv.length && (j >= n2 || rv[i] <= cur[j]) ? rv[i] : cur[j];
            while (i < rv.length && rv[i] <= v) {
                i++;
            }
            while (j < n2 && cur[j] <= v) {
                j++;
            }
            if (i == rv.length && j == n2) {
                break;
            }
            double next = i < rv.length && (j >= n2 || rv[i] <= cur[j]) ? rv[i] : cur[j];
            double delta = next - v;
            if (delta != 0) {
                double diff = (i == 0 ? 0 : rc[i - 1]) / n1 - (double) j / n2;
                sum += Math.abs(diff) * delta;
            }
        }
        return sum;
    }

    /** {@link Univariate#std} of the expanded reference: the same additions in the same order (O(n), no array). */
    static double std(QuantileSketch.Runs ref) {
        double[] rv = ref.values();
        long[] rc = ref.cumulative();
        double mean = 0;
        long prev = 0;
        for (int i = 0; i < rv.length; i++) {
            for (long w = rc[i] - prev; w > 0; w--) {
                mean += rv[i];
            }
            prev = rc[i];
        }
        long n = ref.count();
        mean /= n;
        double ss = 0;
        prev = 0;
        for (int i = 0; i < rv.length; i++) {
            double d = rv[i] - mean;
            for (long w = rc[i] - prev; w > 0; w--) {
                ss += d * d;
            }
            prev = rc[i];
        }
        return Math.sqrt(ss / n);
    }

    /** Count of values {@code < key} ({@code strict}) or {@code <= key}. */
    static long countBelow(QuantileSketch.Runs ref, double key, boolean strict) {
        double[] rv = ref.values();
        int lo = 0;
        int hi = rv.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (strict ? rv[mid] < key : rv[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? 0 : ref.cumulative()[lo - 1];
    }

    /** {@link Univariate#histogram} of the expanded reference. */
    static double[] histogram(QuantileSketch.Runs ref, double[] edges) {
        int bins = edges.length - 1;
        double n = ref.count();
        double[] out = new double[bins];
        long prev = countBelow(ref, edges[0], true);
        for (int b = 0; b < bins; b++) {
            long next = b + 1 == bins ? countBelow(ref, edges[bins], false) : countBelow(ref, edges[b + 1], true);
            out[b] = (next - prev) / n;
            prev = next;
        }
        return out;
    }

    /** {@link Univariate#sturgesEdges} of the expanded reference and {@code cur}. */
    static double[] sturgesEdges(QuantileSketch.Runs ref, double[] cur) {
        double[] rv = ref.values();
        return Univariate.sturgesEdges(Math.min(rv[0], cur[0]), Math.max(rv[rv.length - 1], cur[cur.length - 1]),
                ref.count() + cur.length);
    }

    /** {@link Univariate#valueCounts} of the expanded reference and {@code cur}. */
    static double[][] valueCounts(QuantileSketch.Runs ref, double[] cur) {
        double[] rv = ref.values();
        long[] rc = ref.cumulative();
        int n2 = cur.length;
        int size = distinctUnion(ref, cur, Integer.MAX_VALUE);
        double[] keys = new double[size];
        double[] ca = new double[size];
        double[] cb = new double[size];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < rv.length || j < n2) {
            double v = i < rv.length && (j >= n2 || rv[i] <= cur[j]) ? rv[i] : cur[j];
            long x = 0;
            while (i < rv.length && rv[i] == v) { // -0.0 and 0.0 are two runs of an exact column, one value here
                x += rc[i] - (i == 0 ? 0 : rc[i - 1]);
                i++;
            }
            int y = 0;
            while (j < n2 && cur[j] == v) {
                j++;
                y++;
            }
            keys[k] = v;
            ca[k] = x;
            cb[k] = y;
            k++;
        }
        return new double[][] {keys, ca, cb};
    }

    /** The number of distinct values over the expanded reference and {@code cur} (at most {@code cap}), without allocating. */
    static int distinctUnion(QuantileSketch.Runs ref, double[] cur, int cap) {
        double[] rv = ref.values();
        int n2 = cur.length;
        int i = 0;
        int j = 0;
        int k = 0;
        while ((i < rv.length || j < n2) && k < cap) {
            double v = i < rv.length && (j >= n2 || rv[i] <= cur[j]) ? rv[i] : cur[j];
            while (i < rv.length && rv[i] == v) {
                i++;
            }
            while (j < n2 && cur[j] == v) {
                j++;
            }
            k++;
        }
        return k;
    }
}
