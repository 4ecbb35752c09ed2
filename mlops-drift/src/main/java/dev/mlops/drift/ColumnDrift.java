package dev.mlops.drift;

import java.util.Map;

/**
 * The drift verdict of one column.
 *
 * @param column           the column name
 * @param kind             numeric or categorical
 * @param test             the test that decides the verdict (chosen automatically or configured)
 * @param statistic        its statistic
 * @param pValue           its p-value, NaN for a distance
 * @param adjustedPValue   the p-value after the report's {@link Correction} (equal to {@code pValue} with none)
 * @param threshold        the threshold applied
 * @param drift            {@code adjustedPValue < threshold} for a p-value test, {@code statistic >= threshold} for a distance
 * @param referenceMissing null or NaN cells dropped from the reference
 * @param currentMissing   null or NaN cells dropped from the current data
 * @param tests            the additionally requested tests that apply to this column, by test, in request order
 * @param histogram        the reference and current shares the HTML report draws
 */
public record ColumnDrift(String column, ColumnKind kind, StatTest test, double statistic, double pValue,
                          double adjustedPValue, double threshold, boolean drift, int referenceMissing,
                          int currentMissing, Map<StatTest, StatResult> tests, ColumnHistogram histogram) {

    public ColumnDrift {
        tests = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tests));
    }
}
