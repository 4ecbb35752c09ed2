package dev.mlops.drift;

import dev.mlops.drift.internal.Samples;
import dev.mlops.drift.internal.Univariate;

import java.util.List;
import java.util.Locale;

/**
 * The univariate drift tests and distances, by the names the JSON report and the command line use.
 *
 * <p>Each is either a <b>p-value test</b> (drift when {@code p < threshold}, default threshold 0.05) or a
 * <b>distance</b> (drift when {@code statistic >= threshold}, default 0.1): one rule for all, see
 * {@link #drifted(double, double, double)}. Definitions (each reproduces the scipy/numpy function named):
 * <ul>
 *   <li>{@link #KS} {@code ks}: {@code scipy.stats.ks_2samp(ref, cur, method='auto')}, two-sided: exact
 *       {@code P(D >= d)} when both samples have at most 10,000 values, else {@code kstwo.sf(D, round(n*m/(n+m)))}.</li>
 *   <li>{@link #WASSERSTEIN} {@code wasserstein}: {@code wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)}
 *       (Evidently's normed form).</li>
 *   <li>{@link #PSI}, {@link #KL_DIV}, {@link #JENSENSHANNON}, {@link #HELLINGER}, {@link #TVD}: on shares
 *       binned like Evidently: a numeric column whose reference has more than 20 distinct values is cut
 *       into numpy's Sturges bins over reference and current combined; otherwise (and for categorical
 *       columns) one share per distinct value over the union. PSI = sum (r - c) ln(r / c) and
 *       KL = sum r ln(r / c) with zero shares replaced by 0.0001; Jensen-Shannon as
 *       {@code scipy.spatial.distance.jensenshannon} (natural log, no fill); Hellinger
 *       sqrt(0.5 sum (sqrt r - sqrt c)^2); TVD 0.5 sum |r - c|.</li>
 *   <li>{@link #CHISQUARE} {@code chisquare} and {@link #G_TEST} {@code g_test}: observed = current counts,
 *       expected = reference counts scaled to the current total, a category absent from the reference
 *       counting 0.0001 x n_ref before the scaling; {@code scipy.stats.chisquare} and
 *       {@code power_divergence(lambda_='log-likelihood')}. One category: statistic 0, p-value 1.</li>
 *   <li>{@link #Z} {@code z}: pooled two-proportion z-test, success = the category that sorts last,
 *       z = (p_ref - p_cur) / se, p = 2 * norm.sf(|z|); at most two categories.</li>
 *   <li>{@link #ENERGY} {@code energy}: {@code scipy.stats.energy_distance}.</li>
 *   <li>{@link #MANNW} {@code mannw}: {@code mannwhitneyu(ref, cur, alternative='two-sided')}, U of the reference.</li>
 *   <li>{@link #T_TEST} {@code t_test}: Welch, {@code ttest_ind(ref, cur, equal_var=False)}; needs two values per side.</li>
 *   <li>{@link #FISHER_EXACT} {@code fisher_exact}: {@code scipy.stats.fisher_exact} on the 2x2 table
 *       [[ref counts], [cur counts]]; statistic = odds ratio.</li>
 *   <li>{@link #CRAMER_VON_MISES} {@code cramer_von_mises}: {@code cramervonmises_2samp(ref, cur)}, exact when
 *       both samples have at most 20 values, else asymptotic; needs 2 values per side.</li>
 *   <li>{@link #ANDERSON} {@code anderson}: {@code anderson_ksamp([ref, cur], variant='midrank')}, the
 *       standardized statistic and scipy's interpolated significance level, capped to [0.001, 0.25]; refuses a
 *       column with a single distinct value (as scipy does).</li>
 *   <li>{@link #EMPIRICAL_MMD} {@code empirical_mmd}: unbiased MMD^2 with a Gaussian kernel, median-heuristic
 *       bandwidth, and a seeded permutation p-value (200 permutations, at most 500 values per side); no scipy
 *       counterpart: the statistic is checked against a numpy brute force.</li>
 * </ul>
 */
public enum StatTest {
    KS("ks", true, Scope.NUMERIC),
    WASSERSTEIN("wasserstein", false, Scope.NUMERIC),
    PSI("psi", false, Scope.ANY),
    KL_DIV("kl_div", false, Scope.ANY),
    JENSENSHANNON("jensenshannon", false, Scope.ANY),
    HELLINGER("hellinger", false, Scope.ANY),
    TVD("tvd", false, Scope.ANY),
    CHISQUARE("chisquare", true, Scope.COUNTS),
    Z("z", true, Scope.BINARY),
    ENERGY("energy", false, Scope.NUMERIC),
    MANNW("mannw", true, Scope.NUMERIC),
    T_TEST("t_test", true, Scope.NUMERIC),
    G_TEST("g_test", true, Scope.COUNTS),
    FISHER_EXACT("fisher_exact", true, Scope.BINARY),
    CRAMER_VON_MISES("cramer_von_mises", true, Scope.NUMERIC),
    ANDERSON("anderson", true, Scope.NUMERIC),
    EMPIRICAL_MMD("empirical_mmd", true, Scope.NUMERIC);

    /** Default threshold of p-value tests: drift when {@code p < 0.05}. */
    public static final double DEFAULT_P_VALUE_THRESHOLD = 0.05;
    /** Default threshold of distances: drift when {@code d >= 0.1}. */
    public static final double DEFAULT_DISTANCE_THRESHOLD = 0.1;

    /** Which columns a test accepts. */
    enum Scope {
        /** numeric columns only */
        NUMERIC,
        /** any column */
        ANY,
        /** any column, its distinct values as categories */
        COUNTS,
        /** any column with at most two distinct values over reference and current */
        BINARY
    }

    private final String id;
    private final boolean pValue;
    private final Scope scope;

    StatTest(String id, boolean pValue, Scope scope) {
        this.id = id;
        this.pValue = pValue;
        this.scope = scope;
    }

    /** The name used in reports and on the command line, e.g. {@code "jensenshannon"}. */
    public String id() {
        return id;
    }

    /** Whether the test yields a p-value (else it is a distance). */
    public boolean hasPValue() {
        return pValue;
    }

    /** 0.05 for p-value tests, 0.1 for distances. */
    public double defaultThreshold() {
        return pValue ? DEFAULT_P_VALUE_THRESHOLD : DEFAULT_DISTANCE_THRESHOLD;
    }

    /** Whether the test needs a numeric column ({@code ks}, {@code wasserstein}, {@code energy}, {@code mannw}, {@code t_test}). */
    public boolean numericOnly() {
        return scope == Scope.NUMERIC;
    }

    /** Whether the test needs at most two categories ({@code z}, {@code fisher_exact}). */
    public boolean binaryOnly() {
        return scope == Scope.BINARY;
    }

    /**
     * The single threshold rule: a p-value test drifts when {@code pValue < threshold}, a distance when
     * {@code statistic >= threshold}. A NaN never drifts.
     */
    public boolean drifted(double statistic, double pValue, double threshold) {
        return this.pValue ? pValue < threshold : statistic >= threshold;
    }

    /**
     * This distance on two aligned share vectors (see {@link Histogram}): {@code psi}, {@code kl_div},
     * {@code jensenshannon}, {@code hellinger} or {@code tvd}.
     *
     * @throws IllegalStateException for any other test
     * @throws IllegalArgumentException if the vectors differ in length
     */
    public double distance(double[] referenceShares, double[] currentShares) {
        if (referenceShares.length != currentShares.length) {
            throw new IllegalArgumentException("share vectors differ in length: " + referenceShares.length + " vs "
                    + currentShares.length + "; bin both samples with the same Histogram");
        }
        return switch (this) {
            case PSI -> Univariate.psi(referenceShares, currentShares);
            case KL_DIV -> Univariate.kl(referenceShares, currentShares);
            case JENSENSHANNON -> Univariate.jensenShannon(referenceShares, currentShares);
            case HELLINGER -> Univariate.hellinger(referenceShares, currentShares);
            case TVD -> Univariate.tvd(referenceShares, currentShares);
            default -> throw new IllegalStateException("'" + id + "' is not a distance on shares; use test(...)");
        };
    }

    /** The test called {@code id} (case-insensitive), or an {@link IllegalArgumentException} listing the names. */
    public static StatTest of(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (StatTest t : values()) {
            if (t.id.equals(key)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown drift test '" + id + "'; known: " + ids());
    }

    /** Every test name, in declaration order. */
    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(StatTest::id).toList();
    }

    /**
     * Runs this test on two numeric samples. Nulls are not possible here; {@code NaN}s are dropped as
     * missing; an infinity is refused.
     *
     * @throws DriftInputException if a sample is empty after dropping NaNs, holds an infinity, or the test
     *                             does not apply (e.g. {@code z} on three distinct values)
     */
    public StatResult test(double[] reference, double[] current) {
        return Samples.numeric("values", reference, current).run(this);
    }

    /**
     * Runs this test on two categorical samples; {@code null} elements are dropped as missing.
     *
     * @throws DriftInputException if a sample is empty, or the test needs a numeric column
     */
    public StatResult test(List<String> reference, List<String> current) {
        return Samples.categorical("values", reference, current).run(this);
    }
}
