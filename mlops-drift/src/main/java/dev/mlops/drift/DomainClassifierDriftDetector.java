package dev.mlops.drift;

import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultDomainClassifier;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Multivariate drift by a domain classifier: a model is trained to tell current rows from reference rows; if
 * it does better on held-out rows than it does when the labels are shuffled, the two differ — in any column,
 * or only in how columns go together.
 *
 * <pre>{@code
 * DomainClassifierResult r = DomainClassifierDriftDetector.builder()
 *         .columns(List.of("temp", "hum", "season")).categorical("season")
 *         .folds(5).permutations(19).alpha(0.05).seed(42)
 *         .build()
 *         .compare(reference, current);
 * }</pre>
 *
 * <p><b>Exact semantics.</b> Features: every numeric column (DOUBLE, LONG, not listed categorical)
 * standardized with the mean and population std of reference and current pooled, a missing value set to 0
 * (the mean); the pairwise products (squares included) of those standardized numerics, so that a change of
 * correlation is separable by a linear model; one indicator per category of every categorical column (STRING,
 * BOOLEAN or listed; categories of both sides, a missing value its own category). The classifier: logistic
 * regression, intercept plus weights, full-batch gradient descent (400 steps, step 0.5, L2 penalty 1e-3) from
 * zero. Rows of both sides are dealt into {@code folds} folds in an order shuffled by
 * {@code SplittableRandom(seed)}; each fold is scored by a model trained on the others; the AUC is the ROC AUC
 * of all out-of-fold scores (ties count half). The same is done {@code permutations} times with the side
 * labels shuffled (same generator); {@code pValue = (1 + #{permuted >= observed}) / (1 + permutations)},
 * drift when {@code pValue < alpha}. With the defaults (19 permutations, alpha 0.1) the smallest p is 0.05.
 *
 * <p><b>Bad input</b> ({@link DriftInputException}): a missing column, an infinity, fewer than {@code folds}
 * rows on a side. Immutable and thread-safe; the same inputs give the same result.
 */
public interface DomainClassifierDriftDetector {

    /** Trains the classifiers and tests whether {@code current} can be told from {@code reference}. */
    DomainClassifierResult compare(Table reference, Table current);

    static Builder builder() {
        return new Builder();
    }

    /** ROC AUC of {@code scores} for {@code positive} labels, ties counting half (the Mann-Whitney U / n1 n0). */
    static double rocAuc(double[] scores, boolean[] positive) {
        return DefaultDomainClassifier.auc(scores, positive);
    }

    /** Settings of a {@link DomainClassifierDriftDetector}. */
    final class Builder {
        private List<String> columns;
        private final Set<String> categorical = new LinkedHashSet<>();
        private int folds = 5;
        private int permutations = 19;
        private double alpha = 0.1;
        private long seed = 42;
        private java.util.concurrent.Executor executor = java.util.concurrent.ForkJoinPool.commonPool();

        private Builder() {
        }

        /**
         * Where the folds' models train, in parallel with the calling thread (up to cores - 1 tasks); default the
         * common fork-join pool. Results do not depend on it.
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = java.util.Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The columns to use (default every non-TIMESTAMP column of the reference). */
        public Builder columns(Collection<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("columns must not be empty; leave it unset to use every column");
            }
            this.columns = List.copyOf(names);
            return this;
        }

        /** Treat these columns as categorical (one-hot) whatever their type. */
        public Builder categorical(String... names) {
            categorical.addAll(List.of(names));
            return this;
        }

        /** Cross-validation folds, 2 to 20; default 5. */
        public Builder folds(int folds) {
            if (folds < 2 || folds > 20) {
                throw new IllegalArgumentException("folds must be in [2, 20], was " + folds);
            }
            this.folds = folds;
            return this;
        }

        /** Label permutations for the null distribution, {@code >= 1}; default 19. */
        public Builder permutations(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("permutations must be >= 1, was " + n);
            }
            this.permutations = n;
            return this;
        }

        /** Level, in (0, 1); default 0.1. */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** Seed of the fold assignment and the permutations; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public DomainClassifierDriftDetector build() {
            return new DefaultDomainClassifier(columns, Set.copyOf(categorical), folds, permutations, alpha, seed, executor);
        }
    }
}
