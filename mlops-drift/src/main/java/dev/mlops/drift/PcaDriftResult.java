package dev.mlops.drift;

import java.util.List;

/**
 * The outcome of a PCA reconstruction-error check ({@link PcaDriftDetector}).
 *
 * @param columns                 the numeric columns used, in order
 * @param components              principal components kept
 * @param explainedVarianceRatio  every component's share of the reference variance, largest first
 * @param referenceError          mean reconstruction error of the reference rows
 * @param currentError            mean reconstruction error of the current rows
 * @param lower                   lower end of the band: the {@code alpha/2} quantile of the bootstrap errors
 * @param upper                   upper end of the band: the {@code 1 - alpha/2} quantile
 * @param drift                   {@code currentError < lower || currentError > upper}
 * @param currentImputed          null or NaN cells of the current table replaced by the reference mean
 */
public record PcaDriftResult(List<String> columns, int components, double[] explainedVarianceRatio,
                             double referenceError, double currentError, double lower, double upper, boolean drift,
                             int currentImputed) {

    public PcaDriftResult {
        columns = List.copyOf(columns);
        explainedVarianceRatio = explainedVarianceRatio.clone();
    }

    /** A copy of the ratios. */
    @Override
    public double[] explainedVarianceRatio() {
        return explainedVarianceRatio.clone();
    }
}
