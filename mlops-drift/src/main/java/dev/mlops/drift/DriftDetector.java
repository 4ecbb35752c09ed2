package dev.mlops.drift;

import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultDriftDetector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Compares a current table with a reference table, column by column, and decides whether the dataset
 * drifted. Immutable and thread-safe.
 *
 * <pre>{@code
 * DriftDetector detector = DriftDetector.builder()
 *         .categorical("season", "weathersit")
 *         .test("cnt", StatTest.PSI)
 *         .threshold("cnt", 0.2)
 *         .correction(Correction.BENJAMINI_HOCHBERG)
 *         .build();
 * DriftReport report = detector.compare(reference, current);
 * if (report.datasetDrift()) { ... }
 * String json = report.toJson();
 * }</pre>
 *
 * <h2>Columns</h2>
 * The checked columns are the reference's (or those given to {@link Builder#columns}), in order. DOUBLE and
 * LONG columns are numeric; STRING and BOOLEAN columns, and any listed in {@link Builder#categorical}, are
 * categorical (a numeric cell's category is its text, {@code 3} for 3.0). TIMESTAMP columns are left out
 * unless listed as categorical. Every checked column must be in the current table with a compatible type.
 * Null and NaN cells are missing: dropped and counted in the report. An infinity is refused.
 *
 * <h2>Test choice (like Evidently's DataDriftPreset)</h2>
 * With n the reference's non-missing values and k the distinct values over reference and current:
 * n <= 1000: numeric with k > 5 {@code ks}, else {@code chisquare} when k > 2, else {@code z};
 * n > 1000: numeric with k > 5 {@code wasserstein}, else {@code jensenshannon}.
 * {@link Builder#test(String, StatTest)} overrides the choice for a column.
 *
 * <h2>Verdicts</h2>
 * One rule for every test: a p-value test drifts when {@code p < threshold} (after the
 * {@linkplain Builder#correction correction}), a distance when {@code d >= threshold}; thresholds default to
 * 0.05 and 0.1 ({@link Builder#pValueThreshold}, {@link Builder#distanceThreshold}) and can be set per column.
 * The dataset drifts when drifted columns / checked columns {@code >= driftShare} (default 0.5).
 *
 * <h2>Threads and progress</h2>
 * Columns are evaluated in parallel: up to (cores - 1) workers on the {@linkplain Builder#executor executor}
 * (default: the common fork-join pool; nothing to close) and the calling thread itself take columns from one
 * queue, so the check uses every core even when the common pool has a single thread, and never waits on a
 * saturated executor. The {@linkplain Builder#listener listener} hears of each column as it finishes.
 *
 * <h2>Metrics</h2>
 * Meters go to the {@linkplain Builder#meterRegistry registry} given (default: a private one): the timer
 * {@code mlops.drift.check}, the counters {@code mlops.drift.checks} (tag {@code dataset_drift}) and
 * {@code mlops.drift.columns.drifted}, and the gauge {@code mlops.drift.share}.
 *
 * <h2>Bad input</h2>
 * An empty table, a column with no values on one side, an infinity, a test that does not fit the column
 * ({@code ks} on a categorical column, {@code z} on three categories) throw {@link DriftInputException}
 * naming the column; a column missing from the current table or numeric on one side and text on the other
 * throws {@link dev.mlops.core.SchemaMismatchException}. Nothing is computed partially: the call returns a
 * whole report or throws.
 */
public interface DriftDetector {

    /** Compares {@code current} with {@code reference}. */
    DriftReport compare(Table reference, Table current);

    /**
     * Compares {@code current} with a precomputed reference: the same report as with the reference table
     * itself (for a profile with quantile sketches: within the bounds stated on {@link ReferenceProfile}),
     * without sorting or counting the reference again. Columns and their kinds come from the profile
     * (or {@link Builder#columns}); listing as categorical a column profiled as numeric is an error.
     */
    DriftReport compare(ReferenceProfile reference, Table current);

    /** A builder with the defaults described on {@link DriftDetector}. */
    static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link DriftDetector}; setters fail fast on bad values. */
    final class Builder {
        private List<String> columns;
        private final Set<String> categorical = new LinkedHashSet<>();
        private final Map<String, StatTest> tests = new LinkedHashMap<>();
        private final Map<String, Double> thresholds = new LinkedHashMap<>();
        private final Set<StatTest> extraTests = new LinkedHashSet<>();
        private double pValueThreshold = StatTest.DEFAULT_P_VALUE_THRESHOLD;
        private double distanceThreshold = StatTest.DEFAULT_DISTANCE_THRESHOLD;
        private double driftShare = 0.5;
        private Correction correction = Correction.NONE;
        private Executor executor = ForkJoinPool.commonPool();
        private DriftListener listener = DriftListener.NONE;
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /** Check only these columns, in this order (default: every column of the reference). */
        public Builder columns(Collection<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("columns must not be empty; leave it unset to check every column");
            }
            this.columns = List.copyOf(names);
            return this;
        }

        /** Treat these columns as categorical whatever their type. */
        public Builder categorical(String... names) {
            return categorical(List.of(names));
        }

        public Builder categorical(Collection<String> names) {
            for (String n : names) {
                categorical.add(Objects.requireNonNull(n, "column name"));
            }
            return this;
        }

        /** Decide {@code column} with {@code test} instead of the automatic choice. */
        public Builder test(String column, StatTest test) {
            tests.put(Objects.requireNonNull(column, "column"), Objects.requireNonNull(test, "test"));
            return this;
        }

        /** The threshold of {@code column}'s verdict (a p-value or a distance, per its test). */
        public Builder threshold(String column, double threshold) {
            thresholds.put(Objects.requireNonNull(column, "column"), checkThreshold("threshold of '" + column + "'", threshold));
            return this;
        }

        /** Default threshold of p-value tests, 0.05. */
        public Builder pValueThreshold(double threshold) {
            this.pValueThreshold = checkThreshold("pValueThreshold", threshold);
            return this;
        }

        /** Default threshold of distances, 0.1. */
        public Builder distanceThreshold(double threshold) {
            this.distanceThreshold = checkThreshold("distanceThreshold", threshold);
            return this;
        }

        /** Also run these tests on every column they apply to; their results go to {@link ColumnDrift#tests()}. */
        public Builder alsoRun(Collection<StatTest> extra) {
            extraTests.addAll(extra);
            return this;
        }

        /** Also run every test on every column it applies to. */
        public Builder alsoRunAll() {
            extraTests.addAll(EnumSet.allOf(StatTest.class));
            return this;
        }

        /** Share of drifted columns at which the dataset drifts, in (0, 1]; default 0.5. */
        public Builder driftShare(double share) {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("driftShare must be in (0, 1], was " + share);
            }
            this.driftShare = share;
            return this;
        }

        /** Multiple-testing correction across columns; default none. */
        public Builder correction(Correction correction) {
            this.correction = Objects.requireNonNull(correction, "correction");
            return this;
        }

        /** Where columns are evaluated; default the common fork-join pool. The detector never shuts it down. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Progress listener; default {@link DriftListener#NONE}. */
        public Builder listener(DriftListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where the detector's meters go (default: a private {@code SimpleMeterRegistry}):
         * {@code mlops.drift.check} (timer of {@code compare}), {@code mlops.drift.checks} (counter, tag
         * {@code dataset_drift=true|false}), {@code mlops.drift.columns.drifted} (counter of drifted columns) and
         * {@code mlops.drift.share} (gauge: the share of drifted columns of the last check).
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        private static double checkThreshold(String name, double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException(name + " must be a finite number >= 0, was " + t);
            }
            return t;
        }

        public DriftDetector build() {
            return new DefaultDriftDetector(columns == null ? null : new ArrayList<>(columns), Set.copyOf(categorical),
                    Map.copyOf(tests), Map.copyOf(thresholds), List.copyOf(extraTests), pValueThreshold,
                    distanceThreshold, driftShare, correction, executor, listener,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
        }
    }
}
