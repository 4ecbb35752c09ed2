package dev.mlops.drift.stream;

/**
 * The two-sample Kolmogorov-Smirnov statistic and its exact two-sided p-value for two samples of the
 * same size, allocation-free. Matches {@code scipy.stats.ks_2samp(a, b, method='exact')} for
 * {@code len(a) == len(b)}.
 */
final class TwoSampleKs {

    private TwoSampleKs() {
    }

    /**
     * {@code n * D}, where {@code D = max_x |F_a(x) - F_b(x)|}, for two sorted samples of size {@code n}.
     * The empirical CDFs are compared after each distinct value, so ties across samples count as one step.
     */
    static int scaledStatistic(double[] a, double[] b, int n) {
        int i = 0;
        int j = 0;
        int h = 0;
        while (i < n && j < n) {
            double v = Math.min(a[i], b[j]);
            while (i < n && a[i] == v) {
                i++;
            }
            while (j < n && b[j] == v) {
                j++;
            }
            h = Math.max(h, Math.abs(i - j));
        }
        return h; // once one sample is used up, |i - j| only shrinks
    }

    /**
     * {@code P(D_{n,n} >= h / n)} under the null hypothesis: by the reflection principle,
     * {@code 2 * sum_{k >= 1} (-1)^(k+1) C(2n, n - k h) / C(2n, n)}, evaluated from the innermost
     * term outwards as {@code 2 q_1 (1 - q_2 (1 - q_3 (...)))} with
     * {@code q_k = C(2n, n - k h) / C(2n, n - (k-1) h)}, which avoids the cancellation of the plain sum.
     * Clipped to [0, 1].
     */
    static double pValue(int n, int h) {
        if (h <= 0) {
            return 1.0;
        }
        double acc = 0.0;
        for (int k = n / h; k >= 1; k--) {
            // q_k = prod_{j=(k-1)h}^{kh-1} (n - j) / (n + 1 + j)
            double q = 1.0;
            int from = (k - 1) * h;
            for (int j = from; j < from + h; j++) {
                q *= (double) (n - j) / (n + 1 + j);
            }
            acc = q * (1.0 - acc);
        }
        double p = 2.0 * acc;
        return p < 0.0 ? 0.0 : Math.min(p, 1.0);
    }
}
