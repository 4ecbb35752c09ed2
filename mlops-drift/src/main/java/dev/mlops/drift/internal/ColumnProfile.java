package dev.mlops.drift.internal;

import dev.mlops.drift.ColumnKind;

import java.util.Map;
import java.util.TreeMap;

/**
 * One reference column: its sorted finite values (numeric, exact), a {@link QuantileSketch} of them (numeric,
 * bounded size), or its category counts (categorical), and how many cells were missing. Immutable once built
 * (a sketch inside is never changed after the profile is made).
 *
 * @param name    the column
 * @param kind    numeric or categorical
 * @param sorted  the sorted values of an exact numeric column, else {@code null}
 * @param counts  the category counts of a categorical column, else {@code null}
 * @param sketch  the quantile sketch of a sketched numeric column, else {@code null}
 * @param missing null or NaN cells dropped
 */
public record ColumnProfile(String name, ColumnKind kind, double[] sorted, TreeMap<String, Long> counts,
                            QuantileSketch sketch, long missing) {

    /** An exact profile (sorted values or counts). */
    public ColumnProfile(String name, ColumnKind kind, double[] sorted, TreeMap<String, Long> counts, long missing) {
        this(name, kind, sorted, counts, null, missing);
    }

    /**
     * The union of two profiles of the same column: merged sorted values, summed counts, or merged sketches (an
     * exact side is sketched first, with the other side's k).
     */
    public ColumnProfile merge(ColumnProfile other) {
        if (kind == ColumnKind.NUMERIC && sketch == null && other.sketch == null) {
            double[] a = sorted;
            double[] b = other.sorted;
            double[] out = new double[a.length + b.length];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < a.length || j < b.length) {
                out[k++] = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
            }
            return new ColumnProfile(name, kind, out, null, missing + other.missing);
        }
        if (kind == ColumnKind.NUMERIC) {
            QuantileSketch a = sketch != null ? sketch : sketchOf(sorted, other.sketch.k());
            QuantileSketch b = other.sketch != null ? other.sketch : sketchOf(other.sorted, sketch.k());
            return new ColumnProfile(name, kind, null, null, a.merge(b), missing + other.missing);
        }
        TreeMap<String, Long> sum = new TreeMap<>(counts);
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            sum.merge(e.getKey(), e.getValue(), Long::sum);
        }
        return new ColumnProfile(name, kind, null, sum, missing + other.missing);
    }

    private static QuantileSketch sketchOf(double[] sorted, int k) {
        QuantileSketch s = new QuantileSketch(k);
        s.addSorted(sorted, 0, sorted.length);
        return s;
    }

    /** Values (numeric) or counted cells (categorical), missing ones excluded. */
    public long size() {
        if (sketch != null) {
            return sketch.count();
        }
        if (sorted != null) {
            return sorted.length;
        }
        long n = 0;
        for (long c : counts.values()) {
            n += c;
        }
        return n;
    }

    /** The guaranteed rank-error bound of the column (0 when exact). */
    public long rankErrorBound() {
        return sketch == null ? 0 : sketch.rankErrorBound();
    }
}
