package dev.mlops.drift.internal;

import dev.mlops.drift.ColumnKind;

import java.util.Map;
import java.util.TreeMap;

/**
 * One reference column, kept exactly: its sorted finite values (numeric) or its category counts
 * (categorical), and how many cells were missing. Immutable once built.
 *
 * @param name    the column
 * @param kind    numeric or categorical
 * @param sorted  the sorted values of a numeric column, else {@code null}
 * @param counts  the category counts of a categorical column, else {@code null}
 * @param missing null or NaN cells dropped
 */
public record ColumnProfile(String name, ColumnKind kind, double[] sorted, TreeMap<String, Long> counts, int missing) {

    /** The union of two profiles of the same column: merged sorted values or summed counts. */
    public ColumnProfile merge(ColumnProfile other) {
        if (kind == ColumnKind.NUMERIC) {
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
        TreeMap<String, Long> sum = new TreeMap<>(counts);
        for (Map.Entry<String, Long> e : other.counts.entrySet()) {
            sum.merge(e.getKey(), e.getValue(), Long::sum);
        }
        return new ColumnProfile(name, kind, null, sum, missing + other.missing);
    }

    /** Values (numeric) or counted cells (categorical), missing ones excluded. */
    public long size() {
        if (sorted != null) {
            return sorted.length;
        }
        long n = 0;
        for (long c : counts.values()) {
            n += c;
        }
        return n;
    }
}
