package dev.mlops.rag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A/B comparison of two strategies on the same queries: paired significance tests and confidence
 * intervals over the per-query differences {@code d_i = a_i − b_i} (scipy's order: {@code ttest_rel(a, b)},
 * {@code wilcoxon(a, b)}), so a positive mean difference means A scored higher.
 *
 * <pre>{@code
 * RetrievalEvaluation.Outcome bm25 = RetrievalEvaluation.run(index.bm25(), data.queries(), data.qrels(), 100, 10);
 * RetrievalEvaluation.Outcome hybrid = RetrievalEvaluation.run(index.hybrid(Fusion.reciprocalRank()), ...);
 * PairedComparison.Result r = PairedComparison.builder().seed(7).build().compare(hybrid, bm25, "ndcg@10");
 * r.meanDifference(); r.tTest().pValue(); r.wilcoxon().pValue(); r.permutation().pValue(); r.bootstrap();
 * }</pre>
 *
 * <p><b>Exact definitions</b> (each matches the scipy 1.17 function named; {@code PairedComparisonTest}
 * checks them against fixtures made by {@code src/test/python/make_paired_fixtures.py}):
 * <ul>
 *   <li><b>Paired t-test</b> ({@code scipy.stats.ttest_rel}, two-sided): {@code t = mean(d) / (sd(d) / √n)}
 *       with {@code sd} the sample standard deviation (n − 1), {@code df = n − 1}, {@code p = 2 · P(T_df ≥ |t|)};
 *       confidence interval {@code mean(d) ± t_{df,(1+c)/2} · sd(d)/√n} (scipy's
 *       {@code confidence_interval(c)}). All differences equal: t and p are NaN.
 *   <li><b>Wilcoxon signed-rank</b> ({@code scipy.stats.wilcoxon} defaults: {@code zero_method="wilcox"},
 *       {@code correction=False}, {@code method="auto"}): zero differences are dropped, the others ranked by
 *       |d| (average ranks for ties); {@code T+} = sum of the ranks of positive differences; the reported
 *       statistic is {@code min(T+, T−)}. The p-value is:
 *       <em>exact</em> when n ≤ 50 and there are no zeros and no tied |d|
 *       ({@code 2 · min(P(T ≥ T+), P(T ≤ T+))} under the null distribution of T+, capped at 1);
 *       else a <em>sign-flip permutation</em> over all 2^n sign patterns when n ≤ 13 (as scipy does);
 *       else the <em>normal approximation</em>
 *       {@code z = (T+ − m(m+1)/4) / √((m(m+1)(2m+1) − Σ(t³ − t)/2) / 24)} (m = non-zero differences,
 *       t = sizes of groups of tied |d|), {@code p = 2 · Φ(−|z|)}. No non-zero difference: NaN.
 *   <li><b>Permutation test</b> ({@code scipy.stats.permutation_test((d,), mean, permutation_type="samples")},
 *       two-sided): the null distribution of mean(d) under random sign flips. When 2^n ≤ {@code resamples}
 *       all 2^n patterns are enumerated and {@code p_less = #{null ≤ obs + γ} / 2^n}; otherwise
 *       {@code resamples} random patterns (seeded) and {@code p_less = (#{null ≤ obs + γ} + 1) / (R + 1)};
 *       {@code p_greater} likewise with {@code ≥ obs − γ}; {@code p = min(1, 2 · min(p_less, p_greater))};
 *       {@code γ = 100 · ulp-epsilon · |obs|} (scipy's tolerance for ties in floating point).
 *   <li><b>Bootstrap interval</b> (percentile method, {@code scipy.stats.bootstrap(method="percentile")}):
 *       {@code bootstrapResamples} resamples of the n pairs with replacement (seeded), the mean difference of
 *       each, and the {@code (1−c)/2} and {@code (1+c)/2} quantiles of those means, interpolated linearly as
 *       {@code numpy.percentile} does.
 * </ul>
 * The random parts use a {@link SplittableRandom} seeded by {@link Builder#seed(long)}, so a comparison is
 * reproducible; they agree with scipy up to Monte Carlo error, not digit for digit.
 */
public final class PairedComparison {

    private final int resamples;
    private final int bootstrapResamples;
    private final double confidence;
    private final long seed;

    private PairedComparison(Builder b) {
        this.resamples = b.resamples;
        this.bootstrapResamples = b.bootstrapResamples;
        this.confidence = b.confidence;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A paired t-test: statistic, degrees of freedom, two-sided p-value and the interval of the mean difference. */
    public record TTest(double statistic, double df, double pValue, double ciLow, double ciHigh) {}

    /**
     * A Wilcoxon signed-rank test.
     *
     * @param statistic {@code min(T+, T−)}
     * @param z         the normal-approximation z (NaN unless {@code method} is {@code asymptotic})
     * @param method    {@code exact}, {@code permutation} or {@code asymptotic}
     * @param nonZero   the number of non-zero differences
     */
    public record Wilcoxon(double statistic, double z, double pValue, String method, int nonZero) {}

    /** A sign-flip permutation test of the mean difference. */
    public record Permutation(double pValue, long permutations, boolean exact) {}

    /** A confidence interval. */
    public record Interval(double low, double high, double confidence) {}

    /**
     * The outcome of a comparison.
     *
     * @param n              number of pairs
     * @param meanDifference mean of {@code a − b}
     */
    public record Result(int n, double meanA, double meanB, double meanDifference, TTest tTest, Wilcoxon wilcoxon,
            Permutation permutation, Interval bootstrap) {}

    /** Compares per-query values of two strategies: {@code a[i]} and {@code b[i]} belong to the same query. */
    public Result compare(double[] a, double[] b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("compare needs two arrays, got " + (a == null ? "a = null" : "b = null"));
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples must have the same length, were " + a.length + " and "
                    + b.length + "; give one value per query for both strategies");
        }
        if (a.length < 2) {
            throw new IllegalArgumentException("a paired comparison needs at least 2 pairs, got " + a.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite (a = " + a[i] + ", b = " + b[i]
                        + "); drop or fix that query before comparing");
            }
            d[i] = a[i] - b[i];
        }
        return new Result(d.length, mean(a), mean(b), mean(d), tTest(d), wilcoxon(d), permutation(d), bootstrap(d));
    }

    /**
     * Compares two evaluation outcomes on one metric (e.g. {@code ndcg@10}), pairing per-query values by query
     * id. Both must cover the same queries.
     */
    public Result compare(RetrievalEvaluation.Outcome a, RetrievalEvaluation.Outcome b, String metric) {
        Map<String, Double> pa = perQuery(a, metric, "a");
        Map<String, Double> pb = perQuery(b, metric, "b");
        if (!pa.keySet().equals(pb.keySet())) {
            List<String> onlyA = pa.keySet().stream().filter(q -> !pb.containsKey(q)).limit(5).toList();
            List<String> onlyB = pb.keySet().stream().filter(q -> !pa.containsKey(q)).limit(5).toList();
            throw new IllegalArgumentException("the two outcomes cover different queries (only in a: " + onlyA
                    + ", only in b: " + onlyB + "); evaluate both on the same queries and qrels");
        }
        List<String> ids = new ArrayList<>(pa.keySet());
        ids.sort(null);
        double[] xa = new double[ids.size()];
        double[] xb = new double[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            xa[i] = pa.get(ids.get(i));
            xb[i] = pb.get(ids.get(i));
        }
        return compare(xa, xb);
    }

    private static Map<String, Double> perQuery(RetrievalEvaluation.Outcome o, String metric, String which) {
        Map<String, Double> m = o.result().perQuery().get(metric);
        if (m == null) {
            throw new IllegalArgumentException("outcome " + which + " has no metric '" + metric + "'; it has "
                    + o.result().perQuery().keySet());
        }
        return m;
    }

    // ------------------------------------------------------------------ t-test

    TTest tTest(double[] d) {
        int n = d.length;
        double m = mean(d);
        double ss = 0;
        for (double x : d) {
            ss += (x - m) * (x - m);
        }
        double se = Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
        double df = n - 1;
        TDistribution t = new TDistribution(null, df);
        double q = t.inverseCumulativeProbability((1 + confidence) / 2);
        if (se == 0) {
            return new TTest(Double.NaN, df, Double.NaN, m, m);
        }
        double stat = m / se;
        double p = Math.min(1, 2 * t.cumulativeProbability(-Math.abs(stat)));
        return new TTest(stat, df, p, m - q * se, m + q * se);
    }

    // ------------------------------------------------------------------ Wilcoxon

    static Wilcoxon wilcoxon(double[] d) {
        int n = d.length;
        List<Double> nz = new ArrayList<>();
        for (double x : d) {
            if (x != 0) {
                nz.add(x);
            }
        }
        int m = nz.size();
        if (m == 0) {
            return new Wilcoxon(Double.NaN, Double.NaN, Double.NaN, "asymptotic", 0);
        }
        double[] abs = nz.stream().mapToDouble(Math::abs).toArray();
        double[] ranks = new double[m];
        double tieTerm = averageRanks(abs, ranks);
        boolean ties = tieTerm > 0;
        double rPlus = 0;
        double rMinus = 0;
        for (int i = 0; i < m; i++) {
            if (nz.get(i) > 0) {
                rPlus += ranks[i];
            } else {
                rMinus += ranks[i];
            }
        }
        double stat = Math.min(rPlus, rMinus);
        if (n <= 50 && !ties && m == n) {
            double[] counts = signedRankCounts(n);
            double total = Math.pow(2, n);
            int kUp = (int) Math.ceil(rPlus);
            int kDown = (int) Math.floor(rPlus);
            double cdf = 0;
            for (int s = 0; s <= kUp && s < counts.length; s++) {
                cdf += counts[s];
            }
            double sf = 0;
            for (int s = Math.max(0, kDown); s < counts.length; s++) {
                sf += counts[s];
            }
            double p = Math.min(1, 2 * Math.min(sf, cdf) / total);
            return new Wilcoxon(stat, Double.NaN, p, "exact", m);
        }
        if (n <= 13) {
            // all 2^n sign patterns of d (zeros stay zero), statistic T+ over the fixed ranks
            double[] rankOf = new double[n];
            int j = 0;
            for (int i = 0; i < n; i++) {
                rankOf[i] = d[i] != 0 ? ranks[j++] : 0;
            }
            double gamma = Math.abs(rPlus) * 100 * Math.ulp(1.0);
            long less = 0;
            long greater = 0;
            long patterns = 1L << n;
            for (long mask = 0; mask < patterns; mask++) {
                double t = 0;
                for (int i = 0; i < n; i++) {
                    if (((mask >>> i) & 1) != 0) {
                        t += rankOf[i];
                    }
                }
                if (t <= rPlus + gamma) {
                    less++;
                }
                if (t >= rPlus - gamma) {
                    greater++;
                }
            }
            double p = Math.min(1, 2.0 * Math.min(less, greater) / patterns);
            return new Wilcoxon(stat, Double.NaN, p, "permutation", m);
        }
        double mean = m * (m + 1) / 4.0;
        double se = Math.sqrt((m * (m + 1.0) * (2.0 * m + 1) - tieTerm / 2) / 24);
        double z = (rPlus - mean) / se;
        double p = Math.min(1, 2 * new NormalDistribution(null, 0, 1).cumulativeProbability(-Math.abs(z)));
        return new Wilcoxon(stat, -Math.abs(z), p, "asymptotic", m);
    }

    /** Average ranks (1-based) of {@code x} into {@code ranks}; returns Σ(t³ − t) over tie groups. */
    private static double averageRanks(double[] x, double[] ranks) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(x[p], x[q]));
        double tie = 0;
        int i = 0;
        while (i < x.length) {
            int j = i;
            while (j + 1 < x.length && x[order[j + 1]] == x[order[i]]) {
                j++;
            }
            double avg = (i + j + 2) / 2.0;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = avg;
            }
            double t = j - i + 1;
            tie += t * t * t - t;
            i = j + 1;
        }
        return tie;
    }

    /** counts[s] = number of subsets of {1..n} summing to s (exact in doubles for n <= 50). */
    private static double[] signedRankCounts(int n) {
        int max = n * (n + 1) / 2;
        double[] c = new double[max + 1];
        c[0] = 1;
        for (int r = 1; r <= n; r++) {
            for (int s = max; s >= r; s--) {
                c[s] += c[s - r];
            }
        }
        return c;
    }

    // ------------------------------------------------------------------ permutation and bootstrap

    Permutation permutation(double[] d) {
        int n = d.length;
        double obs = mean(d);
        double gamma = Math.abs(obs) * 100 * Math.ulp(1.0);
        if (n < 31 && (1L << n) <= resamples) {
            long patterns = 1L << n;
            long less = 0;
            long greater = 0;
            for (long mask = 0; mask < patterns; mask++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += ((mask >>> i) & 1) != 0 ? -d[i] : d[i];
                }
                double v = s / n;
                if (v <= obs + gamma) {
                    less++;
                }
                if (v >= obs - gamma) {
                    greater++;
                }
            }
            return new Permutation(Math.min(1, 2.0 * Math.min(less, greater) / patterns), patterns, true);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        long less = 0;
        long greater = 0;
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (double x : d) {
                s += rnd.nextBoolean() ? -x : x;
            }
            double v = s / n;
            if (v <= obs + gamma) {
                less++;
            }
            if (v >= obs - gamma) {
                greater++;
            }
        }
        double pl = (less + 1.0) / (resamples + 1.0);
        double pg = (greater + 1.0) / (resamples + 1.0);
        return new Permutation(Math.min(1, 2 * Math.min(pl, pg)), resamples, false);
    }

    Interval bootstrap(double[] d) {
        int n = d.length;
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        double[] means = new double[bootstrapResamples];
        for (int r = 0; r < bootstrapResamples; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[rnd.nextInt(n)];
            }
            means[r] = s / n;
        }
        Arrays.sort(means);
        double alpha = (1 - confidence) / 2;
        return new Interval(percentile(means, alpha), percentile(means, 1 - alpha), confidence);
    }

    /** numpy.percentile's default (linear): position q · (n − 1) in the sorted values. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Settings of a {@link PairedComparison}. */
    public static final class Builder {
        private int resamples = 9999;
        private int bootstrapResamples = 10_000;
        private double confidence = 0.95;
        private long seed = 0;

        private Builder() {}

        /** Random sign patterns of the permutation test (default 9,999, scipy's); 2^n ≤ this enumerates all. */
        public Builder resamples(int resamples) {
            if (resamples < 99) {
                throw new IllegalArgumentException("resamples must be >= 99, was " + resamples);
            }
            this.resamples = resamples;
            return this;
        }

        /** Bootstrap resamples (default 10,000). */
        public Builder bootstrapResamples(int n) {
            if (n < 100) {
                throw new IllegalArgumentException("bootstrapResamples must be >= 100, was " + n);
            }
            this.bootstrapResamples = n;
            return this;
        }

        /** Confidence level of both intervals, in (0, 1); default 0.95. */
        public Builder confidence(double confidence) {
            if (!(confidence > 0 && confidence < 1)) {
                throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
            }
            this.confidence = confidence;
            return this;
        }

        /** Seed of the permutation and bootstrap draws (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public PairedComparison build() {
            return new PairedComparison(this);
        }
    }
}
