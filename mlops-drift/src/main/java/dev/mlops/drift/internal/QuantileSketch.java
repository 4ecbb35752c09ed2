package dev.mlops.drift.internal;

import dev.mlops.drift.DriftInputException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable quantile sketch of one numeric column with a guaranteed, tracked rank-error bound (a
 * Manku-Rajagopalan-Lindsay / KLL-style compactor hierarchy with equal level capacities).
 *
 * <p>While the column has at most {@link #EXACT_DISTINCT} distinct values it is kept exactly, as value counts.
 * Beyond that, level {@code h} holds values of weight {@code 2^h}; when a level reaches {@code k} values they are
 * sorted and every other one (offset 0 or 1, chosen by a deterministic hash of the level and its compaction
 * count) moves up a level with twice the weight. A sorted chunk added at once is one level-0 buffer that is
 * halved until it has at most {@code k} values. For any {@code x}, one compaction at level {@code h} changes the
 * represented count of values {@code <= x} (and {@code < x}) by 0 or {@code 2^h}; the sketch sums these into
 * {@link #rankErrorBound()}, so the bound is what happened, not an estimate. It is at most
 * {@code (n / k) (log2(n / k) + 1) + 2} (the 2: the exact minimum and maximum replace the end values on
 * {@link #expand()}). Count, minimum, maximum, mean and population variance are kept exactly (Chan's merge).
 *
 * <p>Not thread-safe; a profile builds one per column and freezes it.
 */
public final class QuantileSketch {

    /** Columns with at most this many distinct values are kept exactly (the shares then use one bin per value). */
    public static final int EXACT_DISTINCT = Univariate.MAX_DISTINCT_FOR_VALUE_SHARES;

    private final int k;
    private long n;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;
    private TreeMap<Double, Long> exact = new TreeMap<>(); // null once sketching
    private double[][] levels = new double[0][];
    private int[] sizes = new int[0];
    private long[] compactions = new long[0];
    private long rankError;
    private volatile double[][] view; // {sorted values, cumulative weights}, made on first rank(); the sketch is frozen then

    public QuantileSketch(int k) {
        if (k < 8 || (k & 1) == 1) {
            throw new IllegalArgumentException("sketch size k must be an even number >= 8, was " + k);
        }
        this.k = k;
    }

    public int k() {
        return k;
    }

    /** Values summarised. */
    public long count() {
        return n;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** {@code np.std}: the population standard deviation, from the exact running moments. */
    public double std() {
        return Math.sqrt(m2 / n);
    }

    /** Whether the column is kept exactly (at most {@link #EXACT_DISTINCT} distinct values so far). */
    public boolean isExact() {
        return exact != null;
    }

    /**
     * The guaranteed bound on {@code |represented count of values <= x - true count|} over every {@code x}
     * (likewise for {@code < x}) of {@link #expand()}; 0 while exact or before any compaction.
     */
    public long rankErrorBound() {
        return exact != null || rankError == 0 ? 0 : rankError + 2;
    }

    /** Values retained (the sketch's size, not counting the exact-mode map). */
    public int retained() {
        int s = 0;
        for (int h = 0; h < sizes.length; h++) {
            s += sizes[h];
        }
        return exact != null ? exact.size() : s;
    }

    /** Adds the finite values {@code sorted[from, to)}, which are in ascending order; the array is not changed. */
    public void addSorted(double[] sorted, int from, int to) {
        add(sorted, from, to, false);
    }

    /** As {@link #addSorted}, for the whole array, which the sketch may overwrite (saves a copy). */
    public void addSortedOwned(double[] sorted) {
        add(sorted, 0, sorted.length, true);
    }

    private void add(double[] sorted, int from, int to, boolean owned) {
        int len = to - from;
        if (len <= 0) {
            return;
        }
        moments(sorted, from, to);
        int distinct = 1;
        for (int i = from + 1; i < to && distinct <= EXACT_DISTINCT; i++) {
            if (sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        if (exact != null && distinct <= EXACT_DISTINCT) {
            int i = from;
            while (i < to) {
                int j = i;
                while (j < to && sorted[j] == sorted[i]) {
                    j++;
                }
                exact.merge(sorted[i], (long) (j - i), Long::sum);
                i = j;
            }
            if (exact.size() > EXACT_DISTINCT) {
                toSketch();
            }
            return;
        }
        if (exact != null) {
            toSketch();
        }
        double[] run = owned && from == 0 ? sorted : Arrays.copyOfRange(sorted, from, to);
        insertRun(run, to - from, 0);
    }

    private void moments(double[] v, int from, int to) {
        int len = to - from;
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        double mb = s / len;
        double ss = 0;
        for (int i = from; i < to; i++) {
            double d = v[i] - mb;
            ss += d * d;
        }
        mergeMoments(len, mb, ss);
        min = Math.min(min, v[from]);
        max = Math.max(max, v[to - 1]);
    }

    private void mergeMoments(long nb, double mb, double m2b) {
        if (nb == 0) {
            return;
        }
        long total = n + nb;
        double delta = mb - mean;
        mean = mean + delta * nb / total;
        m2 = m2 + m2b + delta * delta * ((double) n * nb / total);
        n = total;
    }

    /** Leaves exact mode: every (value, count) becomes one value per set bit of the count, at that bit's level. */
    private void toSketch() {
        TreeMap<Double, Long> counts = exact;
        exact = null;
        for (Map.Entry<Double, Long> e : counts.entrySet()) {
            long c = e.getValue();
            for (int h = 0; c != 0; h++, c >>>= 1) {
                if ((c & 1) == 1) {
                    append(h, e.getKey());
                }
            }
        }
        cascade(0);
    }

    /** A sorted run of weight-{@code 2^level} values: halved while longer than k, then appended. */
    private void insertRun(double[] run, int len, int level) {
        while (len > k) {
            if ((len & 1) == 1) {
                append(level, run[--len]); // the odd one out stays at this level
            }
            int off = offset(level);
            int half = len / 2;
            for (int i = 0; i < half; i++) {
                run[i] = run[2 * i + off];
            }
            rankError += 1L << level;
            compactions(level);
            len = half;
            level++;
        }
        for (int i = 0; i < len; i++) {
            append(level, run[i]);
        }
        cascade(0); // from level 0: the odd values left at lower levels must not pile up over many chunks
    }

    private void compactions(int level) {
        ensure(level);
        compactions[level]++;
    }

    /** Compacts every level from {@code from} up that holds k or more values. */
    private void cascade(int from) {
        for (int h = from; h < sizes.length; h++) {
            if (sizes[h] < k) {
                continue;
            }
            double[] buf = levels[h];
            int len = sizes[h];
            Arrays.sort(buf, 0, len);
            int keep = len & 1; // an odd buffer keeps its largest value at this level
            int even = len - keep;
            int off = offset(h);
            double[] up = new double[even / 2];
            for (int i = 0; i < up.length; i++) {
                up[i] = buf[2 * i + off];
            }
            if (keep == 1) {
                buf[0] = buf[len - 1];
            }
            sizes[h] = keep;
            rankError += 1L << h;
            compactions[h]++;
            for (double v : up) {
                append(h + 1, v);
            }
        }
    }

    private void ensure(int level) {
        if (level >= sizes.length) {
            int grown = level + 1;
            levels = Arrays.copyOf(levels, grown);
            sizes = Arrays.copyOf(sizes, grown);
            compactions = Arrays.copyOf(compactions, grown);
            for (int h = 0; h < grown; h++) {
                if (levels[h] == null) {
                    levels[h] = new double[Math.max(16, k / 4)];
                }
            }
        }
        if (level >= 62) {
            throw new IllegalStateException("quantile sketch level " + level + ": weights would overflow");
        }
    }

    private void append(int level, double v) {
        ensure(level);
        if (sizes[level] == levels[level].length) {
            levels[level] = Arrays.copyOf(levels[level], levels[level].length * 2);
        }
        levels[level][sizes[level]++] = v;
    }

    /** 0 or 1, from a SplitMix64 hash of the level and how often it was compacted: deterministic, unbiased. */
    private int offset(int level) {
        ensure(level);
        long z = compactions[level] * 0x9E3779B97F4A7C15L + level + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 1);
    }

    /** The sketch of both inputs' values; neither input changes. The result uses the smaller k. */
    public QuantileSketch merge(QuantileSketch other) {
        QuantileSketch out = copy(Math.min(k, other.k));
        QuantileSketch o = other.copy(other.k);
        out.mergeMoments(o.n, o.mean, o.m2);
        out.min = Math.min(out.min, o.min);
        out.max = Math.max(out.max, o.max);
        if (out.exact != null && o.exact != null) {
            o.exact.forEach((v, c) -> out.exact.merge(v, c, Long::sum));
            if (out.exact.size() > EXACT_DISTINCT) {
                out.toSketch();
            }
            return out;
        }
        if (out.exact != null) {
            out.toSketch();
        }
        if (o.exact != null) {
            o.toSketch();
        }
        out.rankError += o.rankError;
        for (int h = 0; h < o.sizes.length; h++) {
            out.ensure(h);
            out.compactions[h] += o.compactions[h];
            for (int i = 0; i < o.sizes[h]; i++) {
                out.append(h, o.levels[h][i]);
            }
        }
        out.cascade(0);
        return out;
    }

    private QuantileSketch copy(int newK) {
        QuantileSketch c = new QuantileSketch(newK);
        c.n = n;
        c.min = min;
        c.max = max;
        c.mean = mean;
        c.m2 = m2;
        c.exact = exact == null ? null : new TreeMap<>(exact);
        c.levels = new double[levels.length][];
        for (int h = 0; h < levels.length; h++) {
            c.levels[h] = levels[h].clone();
        }
        c.sizes = sizes.clone();
        c.compactions = compactions.clone();
        c.rankError = rankError;
        if (newK < k) {
            c.cascade(0);
        }
        return c;
    }

    /**
     * The pseudo-reference the tests run on: {@link #count()} values in ascending order, every retained value
     * repeated by its weight, the first set to the exact minimum and the last to the exact maximum. Exact (the
     * column's own sorted values) while {@link #isExact()}.
     *
     * @throws DriftInputException if the column has more values than a Java array holds
     */
    public double[] expand(String column) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new DriftInputException(column, "the profiled reference has " + n + " values, more than one check can"
                    + " hold (" + (Integer.MAX_VALUE - 8) + ")", "profile a sample or a shorter period of the reference");
        }
        double[] out = new double[(int) n];
        int pos = 0;
        if (exact != null) {
            for (Map.Entry<Double, Long> e : exact.entrySet()) {
                int end = pos + (int) (long) e.getValue();
                Arrays.fill(out, pos, end, e.getKey());
                pos = end;
            }
            return out;
        }
        int levelsUsed = sizes.length;
        double[][] sorted = new double[levelsUsed][];
        int[] head = new int[levelsUsed];
        for (int h = 0; h < levelsUsed; h++) {
            sorted[h] = Arrays.copyOf(levels[h], sizes[h]);
            Arrays.sort(sorted[h]);
        }
        while (true) {
            int best = -1;
            for (int h = 0; h < levelsUsed; h++) {
                if (head[h] < sorted[h].length && (best < 0 || sorted[h][head[h]] < sorted[best][head[best]])) {
                    best = h;
                }
            }
            if (best < 0) {
                break;
            }
            int end = pos + (1 << best);
            Arrays.fill(out, pos, end, sorted[best][head[best]++]);
            pos = end;
        }
        if (pos != n) {
            throw new IllegalStateException("quantile sketch weights sum to " + pos + ", not the count " + n);
        }
        out[0] = min;
        out[out.length - 1] = max;
        return out;
    }

    /**
     * The pseudo-reference's count of values {@code <= x} (see {@link #expand}), without expanding it; within
     * {@link #rankErrorBound()} of the true count. Call only on a sketch no longer being added to.
     */
    public long rank(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("rank of NaN");
        }
        if (n == 0 || x < min) {
            return 0;
        }
        if (x >= max) {
            return n;
        }
        if (exact != null) {
            long r = 0;
            for (Map.Entry<Double, Long> e : exact.headMap(x, true).entrySet()) {
                r += e.getValue();
            }
            return r;
        }
        double[][] v = view;
        if (v == null) {
            v = sortedView();
            view = v;
        }
        double[] values = v[0];
        double[] cumulative = v[1];
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        long r = lo == 0 ? 0 : (long) cumulative[lo - 1];
        // expand() puts the exact minimum first: with min <= x < max, that first value counts, and its item may not
        // have: the pseudo-reference's count is at least 1; the last value (the maximum) never counts below max
        return Math.min(Math.max(r, 1), n - 1);
    }

    private double[][] sortedView() {
        int total = retained();
        double[] values = new double[total];
        double[] weights = new double[total];
        int i = 0;
        for (int h = 0; h < sizes.length; h++) {
            for (int j = 0; j < sizes[h]; j++) {
                values[i] = levels[h][j];
                weights[i] = 1L << h;
                i++;
            }
        }
        Integer[] order = new Integer[total];
        for (int j = 0; j < total; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] sv = new double[total];
        double[] cum = new double[total];
        double c = 0;
        for (int j = 0; j < total; j++) {
            sv[j] = values[order[j]];
            c += weights[order[j]];
            cum[j] = c;
        }
        return new double[][] {sv, cum};
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(k);
        out.writeLong(n);
        out.writeDouble(min);
        out.writeDouble(max);
        out.writeDouble(mean);
        out.writeDouble(m2);
        out.writeLong(rankError);
        if (exact != null) {
            out.writeInt(-1 - exact.size());
            for (Map.Entry<Double, Long> e : exact.entrySet()) {
                out.writeDouble(e.getKey());
                out.writeLong(e.getValue());
            }
            return;
        }
        out.writeInt(sizes.length);
        for (int h = 0; h < sizes.length; h++) {
            out.writeLong(compactions[h]);
            out.writeInt(sizes[h]);
            for (int i = 0; i < sizes[h]; i++) {
                out.writeDouble(levels[h][i]);
            }
        }
    }

    /** A sketch in a file that cannot be what {@link #write} wrote. */
    static final class SketchFormatException extends IOException {
        SketchFormatException(String message) {
            super(message);
        }
    }

    static QuantileSketch read(DataInputStream in) throws IOException {
        int k = in.readInt();
        if (k < 8 || (k & 1) == 1 || k > 1 << 24) {
            throw new SketchFormatException("sketch size k = " + k);
        }
        QuantileSketch s = new QuantileSketch(k);
        s.n = in.readLong();
        s.min = in.readDouble();
        s.max = in.readDouble();
        s.mean = in.readDouble();
        s.m2 = in.readDouble();
        s.rankError = in.readLong();
        int levelsOrExact = in.readInt();
        if (levelsOrExact < 0) {
            int size = -1 - levelsOrExact;
            if (size > EXACT_DISTINCT) {
                throw new SketchFormatException("exact sketch with " + size + " distinct values");
            }
            for (int i = 0; i < size; i++) {
                s.exact.put(in.readDouble(), in.readLong());
            }
            long total = s.exact.values().stream().mapToLong(Long::longValue).sum();
            if (total != s.n) {
                throw new SketchFormatException("value counts sum to " + total + ", not the count " + s.n);
            }
            return s;
        }
        s.exact = null;
        if (levelsOrExact > 62) {
            throw new SketchFormatException("quantile sketch with " + levelsOrExact + " levels");
        }
        long weight = 0;
        for (int h = 0; h < levelsOrExact; h++) {
            s.ensure(h);
            s.compactions[h] = in.readLong();
            int size = in.readInt();
            if (size < 0 || size > 4 * s.k) {
                throw new SketchFormatException("quantile sketch level " + h + " holds " + size + " values, k is " + s.k);
            }
            for (int i = 0; i < size; i++) {
                s.append(h, in.readDouble());
            }
            weight += (long) size << h;
        }
        if (weight != s.n) {
            throw new SketchFormatException("quantile sketch weights sum to " + weight + ", not its count " + s.n);
        }
        return s;
    }
}
