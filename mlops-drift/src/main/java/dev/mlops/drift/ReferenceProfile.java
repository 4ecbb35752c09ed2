package dev.mlops.drift;

import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultReferenceProfile;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * A reference prepared once and reused for every later check: per column its sorted values (numeric) or
 * category counts (categorical), kept exactly, so a check against a profile gives the same report as a check
 * against the reference table, without re-reading or re-sorting it. Profiles of partitions merge into the
 * profile of their union (merged sorted values, summed counts: exact, no sketch error). Immutable.
 *
 * <p><b>Quantile sketches.</b> An exact numeric column costs 8 bytes per value. {@link Builder#quantileSketch(int)}
 * keeps numeric columns instead as mergeable quantile sketches of about {@code k} values per level and
 * {@code log2(n / k) + 1} levels, fed chunk by chunk ({@link Builder#add}), so a profile of any number of rows
 * builds in memory bounded by the largest chunk plus the sketches. A sketched column with at most 20 distinct
 * values is kept exactly (value counts). Beyond that, checks run on the sketch's pseudo-reference: as many
 * values as the reference had, each retained value repeated by its weight, the exact minimum first and the exact
 * maximum last; its count of values {@code <= x} differs from the true reference's by at most
 * {@link #rankErrorBound(String) e} for every {@code x}, which the sketch tracks exactly as it compacts (and is
 * at most {@code (n / k)(log2(n / k) + 1) + 2}). With {@code n} the reference's values, against the exact
 * profile: the {@code ks} statistic differs by at most {@code e / n}; the {@code wasserstein} distance by at most
 * {@code (e / n)(max - min) / max(std, 0.001)} (the std is the exact one, from running moments); every
 * share of the Sturges bins of {@code psi}, {@code kl_div}, {@code jensenshannon}, {@code hellinger} and
 * {@code tvd} by at most {@code 2e / n} (the bin edges are the same: they depend only on the exact minimum,
 * maximum and count). Other tests run on the pseudo-reference with no stated bound.
 *
 * <pre>{@code
 * ReferenceProfile profile = ReferenceProfile.of(trainingTable, List.of("season"));
 * profile.save(Path.of("reference.profile"));                        // atomic
 * ReferenceProfile again = ReferenceProfile.load(Path.of("reference.profile"));
 * DriftReport r = DriftDetector.builder().build().compare(again, currentWindow);
 * ReferenceProfile all = profileOfJanuary.merge(profileOfFebruary);
 * }</pre>
 *
 * <p>Columns are chosen as by {@link DriftDetector}: DOUBLE and LONG numeric, STRING and BOOLEAN categorical,
 * those listed categorical whatever their type, TIMESTAMP left out. The file format is a versioned binary
 * layout ({@code MLDP} magic, version 1) written to a temporary file, forced to disk and renamed over the
 * target, so a crash leaves the old file or the new one, never half of one; a damaged file fails to load with
 * {@link dev.mlops.core.StoreCorruptedException}.
 */
public interface ReferenceProfile {

    /** The profile of {@code reference}, with the given columns categorical. */
    static ReferenceProfile of(Table reference, Collection<String> categorical) {
        return DefaultReferenceProfile.of(reference, categorical);
    }

    /** A builder: exact or sketched, fed one table or many chunks. */
    static Builder builder() {
        return new Builder();
    }

    /** Reads a profile written by {@link #save} (this release's format 2, or format 1 of earlier releases). */
    static ReferenceProfile load(Path file) {
        return DefaultReferenceProfile.load(file);
    }

    /** Writes this profile atomically to {@code file}. */
    void save(Path file);

    /** The profile of both references together; both need the same columns with the same kinds. */
    ReferenceProfile merge(ReferenceProfile other);

    /** Rows of the reference(s) profiled. */
    long rows();

    /** The profiled columns, in order. */
    List<String> columns();

    /** How {@code column} is tested. */
    ColumnKind kind(String column);

    /** Whether {@code column} is kept as a quantile sketch (see the class comment). */
    boolean sketched(String column);

    /**
     * The guaranteed bound on the difference between the pseudo-reference's and the true reference's count of
     * values {@code <= x} (or {@code < x}), over every {@code x}; 0 for exact columns and sketches still exact.
     */
    long rankErrorBound(String column);

    /**
     * The profile's count of the numeric {@code column}'s reference values {@code <= x}: exact for an exact column,
     * the pseudo-reference's count (within {@link #rankErrorBound} of the true one) for a sketched column.
     *
     * @throws IllegalArgumentException if the column is categorical or {@code x} is NaN
     */
    long rank(String column, double x);

    /**
     * Builds a profile from one table or from successive chunks of the reference (the same columns and types in
     * each). Not thread-safe; settings must come before the first {@link #add}.
     */
    final class Builder {
        private final java.util.Set<String> categorical = new java.util.LinkedHashSet<>();
        private int sketchK;
        private java.util.concurrent.Executor executor = java.util.concurrent.ForkJoinPool.commonPool();
        private ReferenceProfile sum;

        private Builder() {
        }

        /** Treat these columns as categorical whatever their type. */
        public Builder categorical(String... names) {
            return categorical(List.of(names));
        }

        public Builder categorical(Collection<String> names) {
            settable("categorical");
            categorical.addAll(names);
            return this;
        }

        /**
         * Keep numeric columns as quantile sketches with level capacity {@code k} (an even number in [8, 2^24];
         * 4096 keeps the rank error of a 1M-value column, added in one chunk, under 0.03% of n). Default: exact.
         */
        public Builder quantileSketch(int k) {
            settable("quantileSketch");
            if (k < 8 || k > 1 << 24 || (k & 1) == 1) {
                throw new IllegalArgumentException("quantileSketch k must be an even number in [8, 16777216], was " + k);
            }
            this.sketchK = k;
            return this;
        }

        /** Where columns are profiled in parallel with the calling thread; default the common fork-join pool. */
        public Builder executor(java.util.concurrent.Executor executor) {
            settable("executor");
            this.executor = java.util.Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Adds a chunk of the reference; its columns and kinds must match the earlier chunks'. */
        public Builder add(Table chunk) {
            ReferenceProfile p = DefaultReferenceProfile.of(chunk, categorical, sketchK, executor);
            sum = sum == null ? p : sum.merge(p);
            return this;
        }

        /** The profile of every chunk added. */
        public ReferenceProfile build() {
            if (sum == null) {
                throw new IllegalStateException("no reference data: add(table) at least once before build()");
            }
            return sum;
        }

        private void settable(String what) {
            if (sum != null) {
                throw new IllegalStateException(what + " must be set before the first add(...)");
            }
        }
    }
}
