package dev.mlops.drift.internal;


/**
 * The survival function of the two-sided one-sample Kolmogorov-Smirnov statistic, {@code P(D_n >= x)}
 * (scipy's {@code kstwo.sf(x, n)}), with the algorithm selection of Simard and L'Ecuyer (2011) as scipy
 * applies it: Ruben-Gambino closed forms at the ends, {@code 2 * smirnov(n, x)} for {@code x >= 0.5} and in
 * the far tail, the Durbin matrix (Marsaglia-Tsang-Wang) and Pomeranz recursions for small {@code n}, and
 * the Pelz-Good expansion for large {@code n}.
 */
public final class Kolmogorov {

    private static final int E128 = 128;
    private static final double EP128 = Math.scalb(1.0, E128);
    private static final double EM128 = Math.scalb(1.0, -E128);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;
    private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private Kolmogorov() {
    }

    /** {@code P(D_n >= x)} for the two-sided statistic of a sample of {@code n}. */
    public static double sf(int n, double x) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be >= 1, was " + n);
        }
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double cdf;
            if (n <= 140) {
                cdf = 1.0;
                double f = 2 * t - 1;
                for (int i = 1; i <= n; i++) {
                    cdf *= i * (1.0 / n) * f;
                }
            } else {
                cdf = Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - cdf);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnov(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - durbinMatrix(n, x));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - pomeranz(n, x));
            }
            return clip(2 * smirnov(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnov(n, x));
        }
        double cdf;
        if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinMatrix(n, x);
        } else {
            cdf = pelzGood(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    private static double logNFactorialOverNPowN(int n) {
        double rn = 1.0 / n;
        double poly = 0;
        for (double c : STIRLING) {
            poly = poly * (rn / n) + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /**
     * The one-sided Smirnov survival function {@code P(D+_n >= x)} by the Birnbaum-Tingey sum,
     * each term in logarithms so nothing overflows.
     */
    static double smirnov(int n, double x) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double nx = n * x;
        int maxJ = (int) Math.floor(n * (1.0 - x));
        if (maxJ > n) {
            maxJ = n;
        }
        // Terms are unimodal in j: sum from j = 0 and stop once past the peak they fall below 1e-22 of it.
        double logBinom = 0; // log C(n, j), updated term by term with Kahan compensation
        double compensation = 0;
        double sum = 0;
        double maxLog = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= maxJ; j++) {
            if (j > 0) {
                double y = Math.log((double) (n - j + 1) / j) - compensation;
                double t = logBinom + y;
                compensation = (t - logBinom) - y;
                logBinom = t;
            }
            double a = (n - nx - j) / n; // 1 - x - j/n
            if (a <= 0) {
                continue;
            }
            double b = (nx + j) / n; // x + j/n
            double logTerm = logBinom + (n - j) * Math.log(a) + (j - 1) * Math.log(b);
            if (logTerm > maxLog) {
                maxLog = logTerm;
            } else if (logTerm < maxLog - 50) {
                break;
            }
            sum += Math.exp(logTerm);
        }
        return sum * x;
    }

    /** {@code P(D_n <= d)} by the Durbin matrix algorithm, Marsaglia-Tsang-Wang form with exponent tracking. */
    static double durbinMatrix(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[][] hm = new double[m][m];
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int nn = n;
        int expnt = 0;
        int hExpnt = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= EP128;
                    }
                }
                hExpnt += E128;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                expnt -= E128;
            }
        }
        if (expnt != 0) {
            p = Math.scalb(p, expnt);
        }
        return clip(p);
    }

    private static double[][] identity(int m) {
        double[][] id = new double[m][m];
        for (int i = 0; i < m; i++) {
            id[i][i] = 1.0;
        }
        return id;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static int[] pomeranzBounds(int i, int n, int ll, int ceilF, int roundF) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilF - 1;
            j2 = ll + ceilF - 1;
        } else {
            int half = (i + 1) / 2;
            if ((i + 1) % 2 == 0) {
                if (half == n + 1) {
                    j1 = n - ll - ceilF - 1;
                    j2 = n + ll + ceilF - 1;
                } else {
                    j1 = half - 1 - ll - roundF - 1;
                    j2 = half + ll - 1 + ceilF - 1;
                }
            } else {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundF - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** {@code P(D_n <= x)} by Pomeranz's recursion (1974), with exponent tracking. */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilF = f > 0 ? 1 : 0;
        int roundF = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twoGpower = new double[npwrs];
        double[] oneMinus2Gpower = new double[npwrs];
        gpower[0] = 1.0;
        twoGpower[0] = 1.0;
        oneMinus2Gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twoGpower[m] = twoGpower[m - 1] * twoGOverN / m;
            oneMinus2Gpower[m] = oneMinus2Gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] bounds = pomeranzBounds(0, n, ll, ceilF, roundF);
        int j1 = bounds[0];
        int j2;
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] tmp = v0;
            v0 = v1;
            v1 = tmp;
            int tmpS = v0s;
            v0s = v1s;
            v1s = tmpS;
            java.util.Arrays.fill(v1, 0.0);
            bounds = pomeranzBounds(i, n, ll, ceilF, roundF);
            j1 = bounds[0];
            j2 = bounds[1];
            double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twoGpower : oneMinus2Gpower);
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                int base = k1 - v0s;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < convLen; c++) {
                    int idx = convStart + c; // index into the full convolution of length 2*ln2-1
                    double s = 0;
                    int lo = Math.max(0, idx - (ln2 - 1));
                    int hi = Math.min(idx, ln2 - 1);
                    for (int a = lo; a <= hi && base + a < v0.length; a++) {
                        s += v0[base + a] * pwrs[idx - a];
                    }
                    v1[c] = s;
                    max = Math.max(max, s);
                }
                for (int c = convLen; c < npwrs; c++) {
                    max = Math.max(max, v1[c]);
                }
                if (max > 0 && max < EM128) {
                    for (int c = 0; c < npwrs; c++) {
                        v1[c] *= EP128;
                    }
                    expnt -= E128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > EP128) {
                ans *= EM128;
                expnt += E128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    /** The Pelz-Good approximation of {@code P(D_n <= x)}. */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI2 / 8 / z2;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] kk = new double[4];
        int maxK = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxK; k > 0; k--) {
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qpower = Math.pow(q, 8 * k);
            double[] coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
            for (int i = 0; i < 4; i++) {
                kk[i] = kk[i] * qpower + coeffs[i];
            }
        }
        double[] div = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / div[i];
        }
        double q2 = Math.exp(-PI2 / 2 / z2);
        double sqrt3z = Math.sqrt(3) * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxK; k > 0; k--) {
            double k2 = (double) k * k;
            double qp = Math.pow(q2, k2);
            double kpi = Math.PI * k;
            k2extra += k2 * qp;
            k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
        }
        kk[2] += k2extra * PI2 * SQRT2PI / (-36 * z3);
        kk[3] += k3extra * PI2 * SQRT2PI / (216 * z6);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }
}
