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

    /**
     * {@code scipy.stats.cramervonmises_2samp(ref, cur, method='auto')}: exact p-value (Xiao, Gordon and
     * Yakovlev 2006) when both samples have at most 20 values, otherwise the asymptotic one,
     * {@code 1 - cdf_inf(tn)} of Csörgő and Faraway (1996), as scipy computes it. Needs 2 values per side.
     *
     * @return {@code {T, p}}
     */
    public static double[] cramerVonMises(double[] a, double[] b) {
        int nx = a.length;
        int ny = b.length;
        if (nx < 2 || ny < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sx = 0;
        double sy = 0;
        int i = 0;
        int j = 0;
        long rank = 0;
        while (i < nx || j < ny) {
            double v = i < nx && (j >= ny || a[i] <= b[j]) ? a[i] : b[j];
            int ca = 0;
            while (i + ca < nx && a[i + ca] == v) {
                ca++;
            }
            int cb = 0;
            while (j + cb < ny && b[j + cb] == v) {
                cb++;
            }
            double avg = rank + (ca + cb + 1) / 2.0;
            for (int q = 1; q <= ca; q++) {
                double d = avg - (i + q);
                sx += d * d;
            }
            for (int q = 1; q <= cb; q++) {
                double d = avg - (j + q);
                sy += d * d;
            }
            i += ca;
            j += cb;
            rank += ca + cb;
        }
        double u = nx * sx + ny * sy;
        double k = (double) nx * ny;
        double n = nx + ny;
        double t = u / (k * n) - (4 * k - 1) / (6 * n);
        double p;
        if (Math.max(nx, ny) > 20) {
            double et = (1 + 1 / n) / 6;
            double vt = (n + 1) * (4 * k * n - 3 * ((double) nx * nx + (double) ny * ny) - 2 * k);
            vt = vt / (45 * n * n * 4 * k);
            double tn = 1.0 / 6 + (t - et) / Math.sqrt(45 * vt);
            p = tn >= 0.003 ? Math.max(1.0 - cvmCdfInf(tn), 0.0) : 1.0;
        } else {
            p = cvmExactSf(u, nx, ny);
        }
        return new double[] {t, p};
    }

    /** The limiting Cramér-von Mises CDF (Csörgő and Faraway 1996, eq. 1.2), terms added until one is below 1e-7. */
    static double cvmCdfInf(double x) {
        double total = 0;
        for (int k = 0; ; k++) {
            double u = Math.exp(Gamma.logGamma(k + 0.5) - Gamma.logGamma(k + 1)) / (Math.pow(Math.PI, 1.5) * Math.sqrt(x));
            double y = 4 * k + 1;
            double q = y * y / (16 * x);
            double term = u * Math.sqrt(y) * Math.exp(-q) * besselK(0.25, q);
            total += term;
            if (!(Math.abs(term) >= 1e-7)) {
                return total;
            }
        }
    }

    /**
     * The modified Bessel function of the second kind, {@code K_nu(x) = int_0^inf exp(-x cosh t) cosh(nu t) dt},
     * by the trapezoid rule, which converges exponentially for this analytic integrand (step 1/32: error far
     * below double precision).
     */
    static double besselK(double nu, double x) {
        double h = 1.0 / 32;
        double sum = 0.5 * Math.exp(-x);
        for (int i = 1; ; i++) {
            double t = i * h;
            double e = x * Math.cosh(t);
            if (e > 745) {
                break;
            }
            double f = Math.exp(-e) * Math.cosh(nu * t);
            sum += f;
            if (f < sum * 1e-18) {
                break;
            }
        }
        return sum * h;
    }

    /**
     * {@code P(U >= u)} of the two-sample Cramér-von Mises criterion by the recursion of Xiao, Gordon and
     * Yakovlev (2006), on exact integer values and frequencies, as scipy's exact method.
     */
    static double cvmExactSf(double u, int m, int n) {
        long lcm = (long) m / gcd(m, n) * n;
        long a = lcm / m;
        long b = lcm / n;
        double mn = (double) m * n;
        double zeta = Math.floor(lcm * (double) lcm * (m + n) * (6 * u - mn * (4 * mn - 1)) / (6 * mn * mn));
        java.util.List<java.util.Map<Long, Long>> gs = new java.util.ArrayList<>();
        java.util.Map<Long, Long> first = new java.util.HashMap<>();
        first.put(0L, 1L);
        gs.add(first);
        for (int v = 1; v <= m; v++) {
            gs.add(new java.util.HashMap<>());
        }
        for (int uu = 0; uu <= n; uu++) {
            java.util.List<java.util.Map<Long, Long>> next = new java.util.ArrayList<>(m + 1);
            java.util.Map<Long, Long> tmp = new java.util.HashMap<>();
            for (int v = 0; v <= m; v++) {
                java.util.Map<Long, Long> merged = new java.util.HashMap<>(tmp);
                gs.get(v).forEach((key, freq) -> merged.merge(key, freq, Long::sum));
                long d = a * v - b * uu;
                long res = d * d;
                java.util.Map<Long, Long> shifted = new java.util.HashMap<>(merged.size() * 2);
                merged.forEach((key, freq) -> shifted.put(key + res, freq));
                tmp = shifted;
                next.add(shifted);
            }
            gs = next;
        }
        double count = 0;
        for (java.util.Map.Entry<Long, Long> e : gs.get(m).entrySet()) {
            if (e.getKey() >= zeta) {
                count += e.getValue();
            }
        }
        return count / Math.exp(logBinomial(m + n, m));
    }

    private static long gcd(long x, long y) {
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    /** The significance levels and critical-value coefficients of {@code scipy.stats.anderson_ksamp}. */
    private static final double[] AD_SIG = {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001};
    private static final double[] AD_B0 = {0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085};
    private static final double[] AD_B1 = {-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615};
    private static final double[] AD_B2 = {-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154};

    /**
     * {@code scipy.stats.anderson_ksamp([ref, cur], variant='midrank')}: the standardized statistic and the
     * significance level scipy reports, interpolated from its table of critical values (a quadratic fit of
     * log level on critical value) and capped to [0.001, 0.25].
     *
     * @return {@code {A2, p}}; NaN for a sample with one distinct value over both (scipy refuses it)
     */
    public static double[] anderson(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int nTotal = n1 + n2;
        double[][] vc = valueCounts(a, b);
        int distinct = vc[0].length;
        if (distinct < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double bigN = nTotal;
        boolean noTies = distinct == nTotal;
        double a2 = 0;
        double[] sums = new double[2];
        double left = 0; // values of the combined sample below the current distinct value
        double cumA = 0;
        double cumB = 0;
        for (int j = 0; j < distinct; j++) {
            double fa = vc[1][j];
            double fb = vc[2][j];
            double lj = noTies ? 1.0 : fa + fb;
            double bj = left + lj / 2.0;
            double denom = bj * (bigN - bj) - bigN * lj / 4.0;
            double mA = cumA + fa - fa / 2.0;
            double mB = cumB + fb - fb / 2.0;
            double dA = bigN * mA - bj * n1;
            double dB = bigN * mB - bj * n2;
            sums[0] += lj / bigN * dA * dA / denom;
            sums[1] += lj / bigN * dB * dB / denom;
            cumA += fa;
            cumB += fb;
            left += fa + fb;
        }
        a2 = sums[0] / n1 + sums[1] / n2;
        a2 *= (bigN - 1.0) / bigN;

        int k = 2;
        double hH = 1.0 / n1 + 1.0 / n2;
        double cum = 0;
        double g = 0;
        for (int i = nTotal - 1, idx = 0; i > 1; i--, idx++) {
            cum += 1.0 / i;
            g += cum / (idx + 2);
        }
        double h = cum + 1;
        double ca = (4 * g - 6) * (k - 1) + (10 - 6 * g) * hH;
        double cb = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * hH - 8 * h + 4 * g - 6;
        double cc = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * hH + 4 * h;
        double cd = (2 * h + 6) * k * k - 4 * h * k;
        double sigmaSq = (ca * bigN * bigN * bigN + cb * bigN * bigN + cc * bigN + cd) / ((bigN - 1.) * (bigN - 2.) * (bigN - 3.));
        int m = k - 1;
        double stat = (a2 - m) / Math.sqrt(sigmaSq);

        double[] critical = new double[7];
        double cMin = Double.POSITIVE_INFINITY;
        double cMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 7; i++) {
            critical[i] = AD_B0[i] + AD_B1[i] / Math.sqrt(m) + AD_B2[i] / m;
            cMin = Math.min(cMin, critical[i]);
            cMax = Math.max(cMax, critical[i]);
        }
        double p;
        if (stat < cMin) {
            p = 0.25;
        } else if (stat > cMax) {
            p = 0.001;
        } else {
            double[] logSig = new double[7];
            for (int i = 0; i < 7; i++) {
                logSig[i] = Math.log(AD_SIG[i]);
            }
            double[] c = quadraticFit(critical, logSig);
            p = Math.exp((c[0] * stat + c[1]) * stat + c[2]);
        }
        return new double[] {stat, p};
    }

    /** Least-squares {@code c0 x^2 + c1 x + c2} through the points (np.polyfit(x, y, 2)), by the normal equations. */
    static double[] quadraticFit(double[] x, double[] y) {
        double[][] m = new double[3][4];
        for (int i = 0; i < x.length; i++) {
            double[] row = {x[i] * x[i], x[i], 1};
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    m[r][c] += row[r] * row[c];
                }
                m[r][3] += row[r] * y[i];
            }
        }
        for (int col = 0; col < 3; col++) {
            int pivot = col;
            for (int r = col + 1; r < 3; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < 3; r++) {
                if (r != col) {
                    double f = m[r][col] / m[col][col];
                    for (int c = col; c < 4; c++) {
                        m[r][c] -= f * m[col][c];
                    }
                }
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }

    /** Most values per side that {@link #mmd} uses; larger samples are subsampled (seeded). */
    public static final int MMD_MAX_PER_SIDE = 500;
    /** Permutations behind the {@link #mmd} p-value. */
    public static final int MMD_PERMUTATIONS = 200;
    /** Seed of the {@link #mmd} subsampling and permutations. */
    public static final long MMD_SEED = 42L;

    /**
     * Empirical maximum mean discrepancy with a Gaussian kernel: the unbiased MMD^2 estimate
     * {@code mean k(x,x') + mean k(y,y') - 2 mean k(x,y)} (pairs i != j within a sample), kernel
     * {@code exp(-(a-b)^2 / (2 s^2))} with s the median of the pairwise distances of the pooled sample (1 when
     * that median is 0), and the permutation p-value {@code (1 + #{permuted >= observed}) / (1 + 200)} over 200
     * seeded random relabelings. Samples of more than 500 values are first subsampled to 500 (seeded), which
     * keeps the O(N^2) kernel matrix small.
     *
     * @return {@code {MMD^2, p}}; NaN when a side has fewer than 2 values
     */
    public static double[] mmd(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(MMD_SEED);
        double[] x = subsample(a, random);
        double[] y = subsample(b, random);
        int n = x.length;
        int m = y.length;
        int total = n + m;
        double[] z = new double[total];
        System.arraycopy(x, 0, z, 0, n);
        System.arraycopy(y, 0, z, n, m);
        double[] distances = new double[total * (total - 1) / 2];
        int d = 0;
        for (int i = 0; i < total; i++) {
            for (int j = i + 1; j < total; j++) {
                distances[d++] = Math.abs(z[i] - z[j]);
            }
        }
        java.util.Arrays.sort(distances);
        int len = distances.length;
        double median = len % 2 == 1 ? distances[len / 2] : (distances[len / 2 - 1] + distances[len / 2]) / 2;
        double sigma2 = median > 0 ? median * median : 1.0;
        double[][] k = new double[total][total];
        for (int i = 0; i < total; i++) {
            for (int j = i; j < total; j++) {
                double diff = z[i] - z[j];
                double v = Math.exp(-diff * diff / (2 * sigma2));
                k[i][j] = v;
                k[j][i] = v;
            }
        }
        int[] labels = new int[total];
        for (int i = 0; i < total; i++) {
            labels[i] = i;
        }
        double observed = mmd2u(k, labels, n, m);
        int atLeast = 0;
        for (int p = 0; p < MMD_PERMUTATIONS; p++) {
            for (int i = total - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = labels[i];
                labels[i] = labels[j];
                labels[j] = t;
            }
            if (mmd2u(k, labels, n, m) >= observed) {
                atLeast++;
            }
        }
        return new double[] {observed, (1.0 + atLeast) / (1.0 + MMD_PERMUTATIONS)};
    }

    private static double[] subsample(double[] values, java.util.SplittableRandom random) {
        if (values.length <= MMD_MAX_PER_SIDE) {
            return values;
        }
        double[] copy = values.clone();
        for (int i = 0; i < MMD_MAX_PER_SIDE; i++) {
            int j = i + random.nextInt(copy.length - i);
            double t = copy[i];
            copy[i] = copy[j];
            copy[j] = t;
        }
        return java.util.Arrays.copyOf(copy, MMD_MAX_PER_SIDE);
    }

    /** Unbiased MMD^2 of the first n indexes of {@code order} against the next m. */
    static double mmd2u(double[][] k, int[] order, int n, int m) {
        double xx = 0;
        double yy = 0;
        double xy = 0;
        int total = n + m;
        for (int a = 0; a < total; a++) {
            double[] row = k[order[a]];
            double toX = 0;
            for (int b = 0; b < n; b++) {
                toX += row[order[b]];
            }
            if (a < n) {
                xx += toX - row[order[a]];
            } else {
                xy += toX;
                double toY = 0;
                for (int b = n; b < total; b++) {
                    toY += row[order[b]];
                }
                yy += toY - row[order[a]];
            }
        }
        return xx / ((double) n * (n - 1)) + yy / ((double) m * (m - 1)) - 2 * xy / ((double) n * m);
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
        return sturgesEdges(Math.min(a[0], b[0]), Math.max(a[a.length - 1], b[b.length - 1]), (long) a.length + b.length);
    }

    /** {@link #sturgesEdges(double[], double[])} given the combined minimum, maximum and size. */
    static double[] sturgesEdges(double first, double last, long size) {
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
    static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
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
