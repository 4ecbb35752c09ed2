package dev.mlops.drift;

import dev.mlops.drift.internal.Univariate;

import java.util.Arrays;

/**
 * Fixed bin edges for the share-based distances ({@code psi}, {@code kl_div}, {@code jensenshannon},
 * {@code hellinger}, {@code tvd}), so a reference can be binned once and every later window only counted:
 *
 * <pre>{@code
 * Histogram bins = Histogram.sturges(reference, firstWindow);   // or Histogram.of(edges)
 * double[] ref = bins.shares(reference);                         // once
 * double psi = StatTest.PSI.distance(ref, bins.shares(window));  // per window, no sorting
 * }</pre>
 *
 * <p>Counting follows {@code np.histogram(values, edges)}: bin i holds {@code edges[i] <= v < edges[i+1]}, the
 * last bin also holds {@code v == edges[last]}; values outside the edges are not counted, but every
 * non-NaN value counts in the denominator (Evidently's {@code counts / len(data)}). Immutable.
 */
public final class Histogram {

    private final double[] edges;
    private final boolean uniform;

    private Histogram(double[] edges) {
        this.edges = edges;
        int bins = edges.length - 1;
        double step = (edges[bins] - edges[0]) / bins;
        boolean u = true;
        for (int i = 0; i <= bins && u; i++) {
            u = Math.abs(edges[i] - (edges[0] + i * step)) <= 1e-9 * Math.max(Math.abs(step), Math.abs(edges[i]));
        }
        this.uniform = u;
    }

    /** Histogram over the given strictly increasing, finite edges (at least two). */
    public static Histogram of(double... edges) {
        if (edges.length < 2) {
            throw new IllegalArgumentException("a histogram needs at least 2 edges, got " + edges.length);
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("edges must be finite and strictly increasing; edge " + i + " is "
                        + edges[i] + (i > 0 ? " after " + edges[i - 1] : ""));
            }
        }
        return new Histogram(edges.clone());
    }

    /**
     * numpy's Sturges edges over reference and current combined ({@code np.histogram_bin_edges(concat, 'sturges')}),
     * NaN values ignored.
     *
     * @throws DriftInputException if either sample has no finite values
     */
    public static Histogram sturges(double[] reference, double[] current) {
        double[] r = finiteSorted(reference);
        double[] c = finiteSorted(current);
        if (r.length == 0 || c.length == 0) {
            throw new DriftInputException("values", (r.length == 0 ? "reference" : "current") + " has no finite values",
                    "pass samples with data");
        }
        return new Histogram(Univariate.sturgesEdges(r, c));
    }

    private static double[] finiteSorted(double[] values) {
        double[] out = Arrays.stream(values).filter(Double::isFinite).toArray();
        Arrays.sort(out);
        return out;
    }

    /** A copy of the edges. */
    public double[] edges() {
        return edges.clone();
    }

    /** Number of bins. */
    public int bins() {
        return edges.length - 1;
    }

    /** Shares of {@code values} per bin; NaN values are ignored; with no non-NaN value, all shares are NaN. */
    public double[] shares(double[] values) {
        int bins = edges.length - 1;
        int[] counts = new int[bins];
        double first = edges[0];
        double last = edges[bins];
        double norm = bins / (last - first);
        int nan = 0;
        if (uniform) {
            // numpy's own fast path: compute the bin, then correct by one step against the edges
            for (double v : values) {
                if (v >= first && v <= last) {
                    double f = (v - first) * norm;
                    int i = (int) f;
                    if (i >= bins) {
                        i = bins - 1;
                    }
                    double frac = f - i;
                    if (frac < 1e-7 || frac > 1 - 1e-7) {
                        // within 1e-7 bin widths of an edge: decide against the edges themselves
                        if (v < edges[i]) {
                            i--;
                        } else if (i < bins - 1 && v >= edges[i + 1]) {
                            i++;
                        }
                    }
                    counts[i]++;
                } else if (v != v) {
                    nan++;
                }
            }
        } else {
            for (double v : values) {
                if (v >= first && v <= last) {
                    int i = Arrays.binarySearch(edges, v);
                    counts[i >= 0 ? Math.min(i, bins - 1) : -i - 2]++;
                } else if (v != v) {
                    nan++;
                }
            }
        }
        long n = values.length - nan;
        double[] shares = new double[bins];
        for (int i = 0; i < bins; i++) {
            shares[i] = (double) counts[i] / n;
        }
        return shares;
    }
}
