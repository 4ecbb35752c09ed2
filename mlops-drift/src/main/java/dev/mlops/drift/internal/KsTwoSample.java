package dev.mlops.drift.internal;

/**
 * The two-sample Kolmogorov-Smirnov test with the semantics of {@code scipy.stats.ks_2samp(a, b,
 * method='auto')}, two-sided: exact {@code P(D >= d)} when both samples have at most 10,000 values
 * (lattice-path counting; Hodges 1958, in the numerically stable "1 - p" form of Viehmann 2021),
 * otherwise {@code kstwo.sf(d, round(n*m/(n+m)))}.
 */
public final class KsTwoSample {

    /** Largest sample size for which the exact p-value is attempted, as in scipy. */
    public static final int MAX_EXACT_N = 10_000;

    private KsTwoSample() {
    }

    /**
     * Statistic and p-value of two sorted, non-empty samples.
     *
     * @return {@code {statistic, pValue}}
     */
    public static double[] test(double[] a, double[] b) {
        return test(statistic(a, b), a.length, b.length);
    }

    /**
     * Statistic and p-value for a statistic {@code d} already computed from samples of sizes {@code n1} and
     * {@code n2} (the exact path rounds {@code d} to its lattice value as scipy does).
     *
     * @return {@code {statistic, pValue}}
     */
    public static double[] test(double d, int n1, int n2) {
        double p = Double.NaN;
        boolean exact = Math.max(n1, n2) <= MAX_EXACT_N;
        if (exact) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * (long) n2;
            long h = (long) Math.rint(d * lcm);
            d = h * 1.0 / lcm;
            if (h == 0) {
                return new double[] {d, 1.0};
            }
            p = n1 == n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
            exact = !Double.isNaN(p) && p >= 0 && p <= 1;
        }
        if (!exact) {
            double m = Math.max(n1, n2);
            double n = Math.min(n1, n2);
            double en = m * n / (m + n);
            p = Kolmogorov.sf((int) Math.rint(en), d);
        }
        return new double[] {d, Math.max(0, Math.min(1, p))};
    }

    /** The largest distance between the two empirical distribution functions. */
    static double statistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double maxDiff = 0;
        double minDiff = 0;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            maxDiff = Math.max(maxDiff, diff);
            minDiff = Math.min(minDiff, diff);
        }
        double minS = Math.min(1, -minDiff);
        return minS > maxDiff ? minS : maxDiff;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** {@code P(D_{n,n} >= h/n)}: the share of lattice paths that leave the band {@code |x - y| < h}. */
    static double probOutsideSquare(int n, long h) {
        double p = 0.0;
        long k = (long) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (long j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * The share of lattice paths from (0,0) to (m,n) that do not stay strictly inside
     * {@code |x/m - y/n| < h / lcm(m,n)}, by the recursion for {@code 1 - p} (Viehmann 2021), one sliding
     * column at a time.
     */
    static double outerProbInside(long m, long n, long g, long h) {
        if (m < n) {
            long t = m;
            m = n;
            n = t;
        }
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = (int) Math.min(2L * maxj + 2, n + 1);
        double[] a = new double[lenA];
        java.util.Arrays.fill(a, 1.0);
        for (int j = minj; j < maxj; j++) {
            a[j] = 0.0;
        }
        for (long i = 1; i <= m; i++) {
            int lastMinj = minj;
            int lastLen = curlen;
            minj = (int) Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = (int) Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                long j = jj + minj;
                val = (a[jj + minj - lastMinj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastLen > curlen) {
                for (int c = maxj - minj; c < maxj - minj + (lastLen - curlen) && c < lenA; c++) {
                    a[c] = 1;
                }
            }
        }
        return a[maxj - minj - 1];
    }
}
