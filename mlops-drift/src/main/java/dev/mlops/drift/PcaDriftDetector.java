package dev.mlops.drift;

import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultPcaDriftDetector;

import java.util.Collection;
import java.util.List;

/**
 * Multivariate drift by PCA reconstruction error (NannyML's data reconstruction drift): a change in how
 * columns move together — a correlation that flips sign — that leaves every column's own distribution alone,
 * and so escapes the univariate tests of {@link DriftDetector}.
 *
 * <pre>{@code
 * PcaDriftResult r = PcaDriftDetector.builder()
 *         .columns(List.of("temp", "atemp", "hum", "windspeed"))
 *         .varianceExplained(0.65).bootstrapSamples(200).alpha(0.01).seed(42)
 *         .build()
 *         .compare(reference, current);
 * if (r.drift()) { ... r.currentError() is outside [r.lower(), r.upper()] ... }
 * }</pre>
 *
 * <p><b>Exact semantics.</b> Columns: those given, else every non-TIMESTAMP column of the reference.
 * Categorical columns (STRING, BOOLEAN, or listed with {@link Builder#categorical}) are frequency-encoded as
 * NannyML does: a cell becomes its category's share of the reference rows (a missing cell is a category of its
 * own; a category the reference never had is 0). Each column is then standardized with the reference mean and population standard deviation (ddof = 0, as sklearn's
 * {@code StandardScaler}). The principal axes are the eigenvectors of the standardized reference's covariance
 * (equivalently its SVD); the explained-variance ratios are the eigenvalues over their sum; kept are the
 * smallest {@code k} components whose cumulative ratio exceeds {@code varianceExplained} (sklearn's
 * {@code PCA(n_components=0.65)} rule). A row's reconstruction error is the Euclidean distance between its
 * standardized values and their projection on the {@code k} axes; a table's error is the mean over its rows.
 * The band: {@code bootstrapSamples} resamples (with replacement, from {@code SplittableRandom(seed)}) of as
 * many reference rows as the current table has, each giving an error; {@code lower} and {@code upper} are
 * their {@code alpha/2} and {@code 1 - alpha/2} quantiles (linear interpolation, numpy's default). Drift when
 * the current error lies outside the band. Null or NaN current cells are replaced by the reference mean
 * (counted in {@link PcaDriftResult#currentImputed()}), as NannyML imputes.
 *
 * <p><b>Bad input</b> ({@link DriftInputException}): a column that is missing, numeric in the reference and not in
 * the current table, constant in the
 * reference, or holds a null, NaN or infinity in the reference or an infinity in the current table; fewer than
 * 2 columns; fewer than 2 reference rows or 0 current rows.
 *
 * <p>Immutable and thread-safe; the same inputs give the same result.
 */
public interface PcaDriftDetector {

    /** Fits PCA on {@code reference} and checks {@code current} against the reference's bootstrap band. */
    PcaDriftResult compare(Table reference, Table current);

    static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link PcaDriftDetector}. */
    final class Builder {
        private List<String> columns;
        private final java.util.Set<String> categorical = new java.util.LinkedHashSet<>();
        private double varianceExplained = 0.65;
        private int bootstrapSamples = 200;
        private double alpha = 0.01;
        private long seed = 42;

        private Builder() {
        }

        /**
         * The columns to use (default every column of the reference but TIMESTAMP ones); at least 2. STRING and
         * BOOLEAN columns, and those listed {@linkplain #categorical categorical}, are frequency-encoded.
         */
        public Builder columns(Collection<String> names) {
            if (names.size() < 2) {
                throw new IllegalArgumentException("columns needs at least 2 names for a multivariate check, was " + names);
            }
            this.columns = List.copyOf(names);
            return this;
        }

        /** Encode these columns by category frequency whatever their type (STRING and BOOLEAN ones always are). */
        public Builder categorical(String... names) {
            categorical.addAll(List.of(names));
            return this;
        }

        /** Share of reference variance the kept components must exceed, in (0, 1); default 0.65. */
        public Builder varianceExplained(double share) {
            if (!(share > 0 && share < 1)) {
                throw new IllegalArgumentException("varianceExplained must be in (0, 1), was " + share);
            }
            this.varianceExplained = share;
            return this;
        }

        /** Bootstrap resamples of the reference, {@code >= 20}; default 200. */
        public Builder bootstrapSamples(int n) {
            if (n < 20) {
                throw new IllegalArgumentException("bootstrapSamples must be >= 20, was " + n);
            }
            this.bootstrapSamples = n;
            return this;
        }

        /** Two-sided level of the band, in (0, 1); default 0.01. */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("alpha must be in (0, 1), was " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /** Seed of the bootstrap; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public PcaDriftDetector build() {
            return new DefaultPcaDriftDetector(columns, java.util.Set.copyOf(categorical), varianceExplained,
                    bootstrapSamples, alpha, seed);
        }
    }
}
