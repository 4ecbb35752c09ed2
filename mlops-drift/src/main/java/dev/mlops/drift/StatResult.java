package dev.mlops.drift;

/**
 * The outcome of one test on one column.
 *
 * @param test      the test
 * @param statistic its statistic (a distance, D, U, t, chi-square, z or the odds ratio); NaN when undefined
 * @param pValue    the p-value, or NaN for a distance
 */
public record StatResult(StatTest test, double statistic, double pValue) {

    /** Whether this result carries a p-value. */
    public boolean hasPValue() {
        return test.hasPValue();
    }
}
