package dev.mlops.drift.internal;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The univariate statistics on prepared samples: sorted, finite, non-empty {@code double[]} for numeric
 * columns, and aligned count vectors over the union of categories for categorical ones. Every method
 * documents the scipy/numpy function it reproduces.
 */
public final class Univariate {

    /** The share written in place of a zero share by {@code psi} and {@code kl_div}. */
    public static final double ZERO_SHARE = 0.0001;
    /** Above this many distinct reference values a numeric column is binned (Sturges) rather than counted per value. */
    public static final int MAX_DISTINCT_FOR_VALUE_SHARES = 20;

    private Univariate() {
    }

    // ------------------------------------------------------------------ continuous

    /** {@code np.std(a)}: population standard deviation. */
    public static double std(double[] a) {
        double mean = 0;
        for (double v : a) {
            mean += v;
        }
        mean /= a.length;
        double ss = 0;
        for (double v : a) {
            double d = v - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / a.length);
    }

    /**
     * {@code scipy.stats._stats_py._cdf_distance(p, a, b)} for p = 1 (Wasserstein-1) or p = 2 (the
     * root of the integrated squared CDF difference), on sorted samples.
     */
    static double cdfDistance(int p, double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        int total = n1 + n2;
        double current = Math.min(a[0], b[0]);
        for (int k = 0; k < total; k++) {
            // consume the smallest remaining value
            if (i < n1 && (j >= n2 || a[i] <= b[j])) {
                current = a[i++];
            } else {
                current = b[j++];
            }
            if (k + 1 == total) {
                break;
            }
            double next = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            double delta = next - current;
            if (delta != 0) {
                double diff = (double) i / n1 - (double) j / n2;
                sum += (p == 1 ? Math.abs(diff) : diff * diff) * delta;
            }
        }
        return p == 1 ? sum : Math.sqrt(sum);
    }

    /** {@code scipy.stats.wasserstein_distance(a, b)}. */
    public static double wasserstein(double[] a, double[] b) {
        return cdfDistance(1, a, b);
    }

    /** Evidently's normed Wasserstein distance: {@code W1(ref, cur) / max(np.std(ref), 0.001)}. */
    public static double wassersteinNormed(double[] ref, double[] cur) {
        return wasserstein(ref, cur) / Math.max(std(ref), 0.001);
    }

    /** {@code scipy.stats.energy_distance(a, b)}. */
    public static double energy(double[] a, double[] b) {
        return Math.sqrt(2) * cdfDistance(2, a, b);
    }

    /**
     * {@code scipy.stats.mannwhitneyu(ref, cur, alternative='two-sided', method='auto')}: U of the
     * reference sample and the two-sided p-value (exact when a sample has at most 8 values and there are
     * no ties, otherwise normal with tie and continuity correction).
     *
     * @return {@code {U1, p}}
     */
    public static double[] mannWhitney(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int n = n1 + n2;
        // average ranks over the merged samples; sum of the reference's ranks and the tie term
        double r1 = 0;
        double tieTerm = 0;
        boolean ties = false;
        int i = 0;
        int j = 0;
        long rank = 0; // ranks used so far
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            int ca = 0;
            while (i < n1 && a[i] == v) {
                i++;
                ca++;
            }
            int cb = 0;
            while (j < n2 && b[j] == v) {
                j++;
                cb++;
            }
            double t = ca + cb;
            double avg = rank + (t + 1) / 2.0;
            r1 += ca * avg;
            rank += ca + cb;
            if (t > 1) {
                ties = true;
                tieTerm += t * t * t - t;
            }
        }
        double u1 = r1 - n1 * (n1 + 1.0) / 2;
        double u2 = (double) n1 * n2 - u1;
        double u = Math.max(u1, u2);
        double p;
        if ((n1 > 8 && n2 > 8) || ties) {
            double mu = (double) n1 * n2 / 2;
            double s = Math.sqrt(n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1))));
            double z = (u - mu - 0.5) / s;
            p = 2 * normalSf(z);
        } else {
            p = 2 * mannWhitneyExactSf(n1, n2, (long) Math.rint(u));
        }
        return new double[] {u1, Math.max(0, Math.min(1, p))};
    }

    /** {@code P(U >= u)} under the null, from the coefficients of the Gaussian binomial coefficient. */
    static double mannWhitneyExactSf(int n1, int n2, long u) {
        int k = Math.min(n1, n2);
        int big = Math.max(n1, n2);
        long max = (long) n1 * n2;
        long c = max - u; // P(U >= u) = P(U <= n1*n2 - u) by symmetry
        if (c < 0) {
            return 0.0;
        }
        int deg = (int) Math.min(c, max);
        double[] f = new double[deg + 1];
        f[0] = 1;
        for (int i = 1; i <= k; i++) {
            int up = big + i;
            for (int d = deg; d >= up; d--) {
                f[d] -= f[d - up];
            }
            for (int d = i; d <= deg; d++) {
                f[d] += f[d - i];
            }
        }
        double count = 0;
        for (double v : f) {
            count += v;
        }
        return Math.exp(Math.log(count) - logBinomial(n1 + n2, k));
    }

    /**
     * Welch's t-test, {@code scipy.stats.ttest_ind(ref, cur, equal_var=False)}.
     *
     * @return {@code {t, p}}; both NaN when a sample has fewer than 2 values or both variances are 0
     */
    public static double[] welch(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        if (n1 < 2 || n2 < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double m1 = mean(a);
        double m2 = mean(b);
        double v1 = variance(a, m1) / n1;
        double v2 = variance(b, m2) / n2;
        double se2 = v1 + v2;
        if (se2 == 0) {
            // scipy: 0/0 is NaN; a difference over a zero standard error is an infinite t with p = 0
            return m1 == m2 ? new double[] {Double.NaN, Double.NaN}
                    : new double[] {m1 > m2 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY, 0.0};
        }
        double t = (m1 - m2) / Math.sqrt(se2);
        double df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
        double p = Beta.regularizedBeta(df / (df + t * t), df / 2, 0.5);
        return new double[] {t, Math.max(0, Math.min(1, p))};
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    private static double variance(double[] a, double mean) {
        double ss = 0;
        for (double v : a) {
            double d = v - mean;
            ss += d * d;
        }
        return ss / (a.length - 1);
    }

    /** {@code scipy.special.ndtr(-z)}, the upper tail of the standard normal. */
    public static double normalSf(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }

    // ------------------------------------------------------------------ shares

    /** Distinct values of a sorted array. */
    public static int distinct(double[] sorted) {
        int d = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                d++;
            }
        }
        return d;
    }

    /**
     * Counts per distinct value over the union of two sorted samples, in ascending value order.
     *
     * @return {@code {keys, refCounts, curCounts}} as {@code double[][]}
     */
    public static double[][] valueCounts(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double[] keys = new double[n1 + n2];
        double[] ca = new double[n1 + n2];
        double[] cb = new double[n1 + n2];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            int x = 0;
            while (i < n1 && a[i] == v) {
                i++;
                x++;
            }
            int y = 0;
            while (j < n2 && b[j] == v) {
                j++;
                y++;
            }
            keys[k] = v;
            ca[k] = x;
            cb[k] = y;
            k++;
        }
        return new double[][] {java.util.Arrays.copyOf(keys, k), java.util.Arrays.copyOf(ca, k), java.util.Arrays.copyOf(cb, k)};
    }

    /**
     * Evidently's binned shares of two sorted numeric samples: when the reference has more than 20
     * distinct values, the counts in numpy's Sturges bins over both samples combined
     * ({@code np.histogram_bin_edges(np.concatenate([ref, cur]), 'sturges')}, bins half-open but the last
     * closed), divided by each sample's size; otherwise one share per distinct value over the union.
     *
     * @return {@code {refShares, curShares}}
     */
    public static double[][] shares(double[] ref, double[] cur) {
        if (distinct(ref) > MAX_DISTINCT_FOR_VALUE_SHARES) {
            double[] edges = sturgesEdges(ref, cur);
            return new double[][] {histogram(ref, edges), histogram(cur, edges)};
        }
        double[][] vc = valueCounts(ref, cur);
        return new double[][] {divide(vc[1], ref.length), divide(vc[2], cur.length)};
    }

    /** Shares of aligned category counts. */
    public static double[][] shares(long[] refCounts, long[] curCounts) {
        return new double[][] {divide(toDouble(refCounts), sum(refCounts)), divide(toDouble(curCounts), sum(curCounts))};
    }

    static double[] toDouble(long[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }

    private static double[] divide(double[] counts, double n) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] / n;
        }
        return out;
    }

    /** {@code np.histogram_bin_edges(concat(a, b), bins='sturges')} for sorted, non-empty, non-constant data. */
    public static double[] sturgesEdges(double[] a, double[] b) {
        double first = Math.min(a[0], b[0]);
        double last = Math.max(a[a.length - 1], b[b.length - 1]);
        int size = a.length + b.length;
        int bins;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
            bins = 1;
        } else {
            double ptp = last - first;
            double width = ptp / (log2(size) + 1.0);
            bins = (int) Math.ceil(ptp / width);
        }
        double[] edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }

    /** log2 of a positive int, exact for powers of two (where numpy's is exact too). */
    static double log2(int n) {
        if (Integer.bitCount(n) == 1) {
            return Integer.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2);
    }

    /** {@code np.histogram(a, edges)[0] / len(a)} for a sorted sample. */
    public static double[] histogram(double[] sorted, double[] edges) {
        int bins = edges.length - 1;
        double[] out = new double[bins];
        int prev = lowerBound(sorted, edges[0]);
        for (int i = 0; i < bins; i++) {
            int next = i + 1 == bins ? upperBound(sorted, edges[bins]) : lowerBound(sorted, edges[i + 1]);
            out[i] = (double) (next - prev) / sorted.length;
            prev = next;
        }
        return out;
    }

    static int lowerBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int upperBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    // ------------------------------------------------------------------ distances on shares

    private static double filled(double s) {
        return s == 0 ? ZERO_SHARE : s;
    }

    /** PSI = sum (r - c) ln(r / c), zero shares replaced by 0.0001. */
    public static double psi(double[] r, double[] c) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            double a = filled(r[i]);
            double b = filled(c[i]);
            s += (a - b) * Math.log(a / b);
        }
        return s;
    }

    /** KL = sum r ln(r / c), zero shares replaced by 0.0001. */
    public static double kl(double[] r, double[] c) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            double a = filled(r[i]);
            double b = filled(c[i]);
            s += a * Math.log(a / b);
        }
        return s;
    }

    /** {@code scipy.spatial.distance.jensenshannon(r, c)}: natural log, normalised inputs, no fill. */
    public static double jensenShannon(double[] r, double[] c) {
        double sr = 0;
        double sc = 0;
        for (int i = 0; i < r.length; i++) {
            sr += r[i];
            sc += c[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < r.length; i++) {
            double p = r[i] / sr;
            double q = c[i] / sc;
            double m = (p + q) / 2;
            left += relEntr(p, m);
            right += relEntr(q, m);
        }
        return Math.sqrt((left + right) / 2);
    }

    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    /** Hellinger distance sqrt(0.5 sum (sqrt r - sqrt c)^2), no fill. */
    public static double hellinger(double[] r, double[] c) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            double d = Math.sqrt(r[i]) - Math.sqrt(c[i]);
            s += d * d;
        }
        return Math.sqrt(0.5 * s);
    }

    /** Total variation distance 0.5 sum |r - c|, no fill. */
    public static double tvd(double[] r, double[] c) {
        double s = 0;
        for (int i = 0; i < r.length; i++) {
            s += Math.abs(r[i] - c[i]);
        }
        return 0.5 * s;
    }

    // ------------------------------------------------------------------ counts

    /**
     * Expected current counts: reference counts (a category the reference lacks counts 0.0001 x n_ref),
     * scaled to the current total.
     */
    static double[] expected(double[] ref, double[] cur) {
        double nRef = 0;
        double nCur = 0;
        for (int i = 0; i < ref.length; i++) {
            nRef += ref[i];
            nCur += cur[i];
        }
        double[] adj = new double[ref.length];
        double adjSum = 0;
        for (int i = 0; i < ref.length; i++) {
            adj[i] = ref[i] == 0 ? ZERO_SHARE * nRef : ref[i];
            adjSum += adj[i];
        }
        for (int i = 0; i < ref.length; i++) {
            adj[i] = adj[i] * nCur / adjSum;
        }
        return adj;
    }

    /**
     * {@code scipy.stats.chisquare(cur, expected)} with {@link #expected}; a single category gives
     * statistic 0 and p-value 1 (scipy: NaN).
     *
     * @return {@code {statistic, p}}
     */
    public static double[] chiSquare(double[] ref, double[] cur) {
        if (ref.length < 2) {
            return new double[] {0.0, 1.0};
        }
        double[] e = expected(ref, cur);
        double s = 0;
        for (int i = 0; i < e.length; i++) {
            double d = cur[i] - e[i];
            s += d * d / e[i];
        }
        return new double[] {s, chiSquareSf(s, e.length - 1)};
    }

    /**
     * The G-test, {@code scipy.stats.power_divergence(cur, expected, lambda_='log-likelihood')}, with
     * {@link #expected}.
     *
     * @return {@code {statistic, p}}
     */
    public static double[] gTest(double[] ref, double[] cur) {
        if (ref.length < 2) {
            return new double[] {0.0, 1.0};
        }
        double[] e = expected(ref, cur);
        double s = 0;
        for (int i = 0; i < e.length; i++) {
            if (cur[i] > 0) {
                s += cur[i] * Math.log(cur[i] / e[i]);
            }
        }
        s *= 2;
        return new double[] {s, chiSquareSf(s, e.length - 1)};
    }

    /** {@code scipy.stats.chi2.sf(x, df)}. */
    public static double chiSquareSf(double x, int df) {
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0);
    }

    /**
     * Pooled two-proportion z-test on two categories; the "success" is the second category (the one that
     * sorts last). Two-sided p = 2 * norm.sf(|z|). Identical single-category samples give z = 0, p = 1.
     *
     * @return {@code {z, p}}
     */
    public static double[] zTest(double[] ref, double[] cur) {
        if (ref.length == 1) {
            return new double[] {0.0, 1.0};
        }
        double n1 = ref[0] + ref[1];
        double n2 = cur[0] + cur[1];
        double p1 = ref[1] / n1;
        double p2 = cur[1] / n2;
        double p = (ref[1] + cur[1]) / (n1 + n2);
        double se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
        if (se == 0) {
            return new double[] {0.0, 1.0};
        }
        double z = (p1 - p2) / se;
        return new double[] {z, Math.min(1, 2 * normalSf(Math.abs(z)))};
    }

    /**
     * Fisher's exact test on the 2x2 table {@code [[ref0, ref1], [cur0, cur1]]},
     * {@code scipy.stats.fisher_exact}: the odds ratio and the two-sided p-value, the sum of the
     * probabilities of every table no more likely than the observed one (relative tolerance 1e-14). A
     * table with an empty row or column gives odds ratio NaN and p-value 1, as in scipy.
     *
     * @return {@code {oddsRatio, p}}
     */
    public static double[] fisher(double[] ref, double[] cur) {
        if (ref.length == 1) {
            return new double[] {Double.NaN, 1.0};
        }
        long a = (long) ref[0];
        long b = (long) ref[1];
        long c = (long) cur[0];
        long d = (long) cur[1];
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0) {
            return new double[] {Double.NaN, 1.0};
        }
        double odds = c > 0 && b > 0 ? (double) (a * d) / (double) (c * b) : Double.POSITIVE_INFINITY;
        long n1 = a + b;
        long n2 = c + d;
        long n = a + c;
        long lo = Math.max(0, n - n2);
        long hi = Math.min(n, n1);
        double logExact = logHypergeom(a, n1 + n2, n1, n);
        double limit = logExact + Math.log1p(1e-14);
        double p = 0;
        for (long x = lo; x <= hi; x++) {
            double lp = logHypergeom(x, n1 + n2, n1, n);
            if (lp <= limit) {
                p += Math.exp(lp);
            }
        }
        return new double[] {odds, Math.min(1.0, p)};
    }

    private static double logHypergeom(long x, long total, long good, long draws) {
        return logBinomial(good, x) + logBinomial(total - good, draws - x) - logBinomial(total, draws);
    }

    static double logBinomial(long n, long k) {
        return Gamma.logGamma(n + 1.0) - Gamma.logGamma(k + 1.0) - Gamma.logGamma(n - k + 1.0);
    }
}
