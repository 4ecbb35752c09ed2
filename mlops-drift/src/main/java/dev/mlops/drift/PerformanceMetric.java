package dev.mlops.drift;

import dev.mlops.drift.internal.DefaultDomainClassifier;

/** A model-quality metric of {@link PerformanceDriftDetector}, on truths and predictions of one window. */
public enum PerformanceMetric {
    /** Share of predictions equal to the truth (any class ids). Higher is better. */
    ACCURACY(true),
    /** Binary F1 of class 1: 2 TP / (2 TP + FP + FN), 0 when there is no positive at all. Labels 0 or 1. Higher is better. */
    F1(true),
    /** ROC AUC of scores for truths 1 vs 0, ties counting half. Higher is better. */
    AUC(true),
    /** Root mean squared error of predictions. Lower is better. */
    RMSE(false);

    private final boolean higherIsBetter;

    PerformanceMetric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** Whether a higher value is a better model. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The metric of the rows listed in {@code rows} (indexes into both arrays, repeats allowed). */
    double of(double[] truth, double[] predicted, int[] rows) {
        int n = rows.length;
        switch (this) {
            case ACCURACY -> {
                int ok = 0;
                for (int i : rows) {
                    ok += truth[i] == predicted[i] ? 1 : 0;
                }
                return (double) ok / n;
            }
            case F1 -> {
                int tp = 0;
                int fp = 0;
                int fn = 0;
                for (int i : rows) {
                    boolean t = truth[i] == 1;
                    boolean p = predicted[i] == 1;
                    tp += t && p ? 1 : 0;
                    fp += !t && p ? 1 : 0;
                    fn += t && !p ? 1 : 0;
                }
                return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
            }
            case AUC -> {
                double[] s = new double[n];
                boolean[] y = new boolean[n];
                for (int k = 0; k < n; k++) {
                    s[k] = predicted[rows[k]];
                    y[k] = truth[rows[k]] == 1;
                }
                return DefaultDomainClassifier.auc(s, y);
            }
            case RMSE -> {
                double sum = 0;
                for (int i : rows) {
                    double e = truth[i] - predicted[i];
                    sum += e * e;
                }
                return Math.sqrt(sum / n);
            }
            default -> throw new AssertionError(this);
        }
    }
}
