package dev.mlops.drift;

/**
 * The outcome of a domain-classifier check ({@link DomainClassifierDriftDetector}).
 *
 * @param auc          out-of-fold ROC AUC of telling current rows from reference rows (0.5: indistinguishable)
 * @param pValue       {@code (1 + #{permuted AUC >= auc}) / (1 + permutations)}
 * @param threshold    the AUC the permutations reached at level {@code alpha}: their {@code 1 - alpha} quantile
 * @param drift        {@code pValue < alpha}
 * @param features     features the classifier used (standardized numerics, their pairwise products, one-hot categories)
 * @param permutations label permutations run
 */
public record DomainClassifierResult(double auc, double pValue, double threshold, boolean drift, int features,
                                     int permutations) {
}
