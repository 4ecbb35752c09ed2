package dev.mlops.drift;

import dev.mlops.core.spi.FlowTrigger;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.DefaultDriftMonitor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Watches the production inputs of one model for drift: reads windows of {@link dev.mlops.core.spi.PredictionRecord}s
 * from a {@link PredictionLog}, turns their inputs into a {@link Table} with the reference's columns, runs a
 * {@link DriftDetector} against the reference (a table or a {@link ReferenceProfile}), keeps the last results,
 * publishes gauges, tells listeners, and fires a retraining {@link FlowTrigger} once per drift episode.
 *
 * <pre>{@code
 * DriftMonitor monitor = DriftMonitor.builder()
 *         .log(predictionLog).model("churn")
 *         .reference(ReferenceProfile.load(Path.of("churn.profile")))
 *         .window(Duration.ofHours(1)).step(Duration.ofMinutes(15))
 *         .scheduler(scheduler).clock(clock).meterRegistry(registry)
 *         .trigger(retrain).coolDown(Duration.ofHours(12))
 *         .build();
 * monitor.start();                       // checks [now - 1h, now) every 15 minutes
 * monitor.history();                     // the last 100 results, oldest first
 * }</pre>
 *
 * <p><b>Windows.</b> A check at time {@code t} (the clock's instant, or the argument of
 * {@link #checkWindowEndingAt}) reads the records of the model with timestamps in {@code [t - window, t)}.
 * {@link #start()} checks every {@code step}, first one step after starting.
 *
 * <p><b>Records to a table.</b> One row per record, one column per reference column, in the reference's
 * order; input keys the reference does not have are ignored, an absent key or a null value is a null cell.
 * With a reference table, a column's type decides what a value may be: DOUBLE takes Double or Long (as a
 * double), LONG Long, BOOLEAN Boolean, STRING String, TIMESTAMP Instant. With a profile, a numeric column
 * takes Double or Long, a categorical one String, Boolean or Long (as text). Any other value fails the check
 * with a {@link DriftInputException} naming the model, the column, the record (timestamp, request id), the
 * value and its type; nothing is recorded for that window.
 *
 * <p><b>Episodes and the trigger.</b> An <em>episode</em> of drift is a maximal run of consecutive checked
 * windows whose dataset drifted; a checked window without drift ends it (a skipped window neither starts nor
 * ends one). The trigger fires at most once per episode: at the episode's first drifting window for which at
 * least {@code coolDown} has passed since the previous firing (measured between window ends). So a drift that
 * persists fires once; a drift that stops and comes back fires again, but never sooner than {@code coolDown}
 * after the last firing — if it is still drifting when the cool-down ends, it fires then. A trigger that throws
 * does not count as fired (the next drifting window tries again); one that declines (empty run id, a run still
 * going) counts.
 *
 * <p><b>Multivariate checks.</b> With {@link Builder#pca} and/or {@link Builder#domainClassifier} (and the
 * reference as a {@link Table}), every checked window also runs those checks; a window drifts
 * ({@link MonitorResult#drift()}) when the univariate report or any multivariate check drifts, and that verdict
 * drives episodes, listeners and the trigger.
 *
 * <p><b>Performance.</b> With {@link Builder#performance}, each checked window's records are joined by request
 * id with late labels from a {@link GroundTruth}, and with at least {@link Builder#minLabels} of them a
 * {@link PerformanceDriftDetector} compares the model's quality with a reference window; a performance drift
 * makes the window drift.
 *
 * <p><b>Durable history.</b> With {@link Builder#historyFile}, every window is appended to a JSON-lines file and
 * forced to disk before the check returns; a monitor built on the same file resumes the history and the episode
 * state (so a restart mid-episode does not fire again). A torn last line from a crash is dropped on open; the
 * file is rewritten atomically with the last {@code historySize} lines whenever it holds twice as many.
 *
 * <p><b>Metrics</b> (tag {@code model}): {@code mlops.drift.monitor.share} (gauge: share of drifted columns
 * in the last checked window), {@code mlops.drift.monitor.dataset_drift} (gauge, 1 or 0, of the univariate
 * report), {@code mlops.drift.monitor.pca_error} and {@code mlops.drift.monitor.domain_auc} (gauges, when those
 * checks are configured),
 * {@code mlops.drift.monitor.column_drift} (gauge per column, extra tag {@code column}, 1 or 0),
 * {@code mlops.drift.monitor.windows} (counter, tag {@code result=drift|no_drift|skipped}) and
 * {@code mlops.drift.monitor.triggers} (counter of firings).
 *
 * <p>Thread-safe; checks run one at a time.
 */
public interface DriftMonitor extends AutoCloseable {

    /** Checks the window ending at the clock's current instant. */
    MonitorResult checkNow();

    /** Checks the window {@code [end - window, end)}. */
    MonitorResult checkWindowEndingAt(Instant end);

    /**
     * Checks every {@code step} on the builder's scheduler until {@link #close()}. A failing check is logged
     * and reported to {@link DriftMonitorListener#checkFailed}; later checks go on.
     *
     * @throws IllegalStateException if no scheduler was set, or the monitor is started or closed
     */
    void start();

    /** The last results, oldest first, at most {@code historySize} of them. */
    List<MonitorResult> history();

    /** The results of windows ending in {@code [fromInclusive, toExclusive)}, oldest first. */
    List<MonitorResult> history(Instant fromInclusive, Instant toExclusive);

    /** The latest result, if any window was checked. */
    Optional<MonitorResult> latest();

    /**
     * Stops scheduled checks (the scheduler itself is the host's and stays running) and waits for a scheduled
     * check in progress to finish, so the history no longer changes on its own once this returns. Idempotent.
     */
    @Override
    void close();

    /** A builder; {@code log}, {@code model} and a reference are required. */
    static Builder builder() {
        return new Builder();
    }

    /** Settings of a {@link DriftMonitor}; setters fail fast on bad values. */
    final class Builder {
        private PredictionLog log;
        private String model;
        private Table referenceTable;
        private ReferenceProfile referenceProfile;
        private DriftDetector detector;
        private Duration window = Duration.ofHours(1);
        private Duration step;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private MeterRegistry meterRegistry;
        private DriftMonitorListener listener = DriftMonitorListener.NONE;
        private FlowTrigger trigger;
        private Duration coolDown = Duration.ZERO;
        private int historySize = 100;
        private int minRows = 1;
        private PcaDriftDetector pca;
        private DomainClassifierDriftDetector domainClassifier;
        private java.nio.file.Path historyFile;
        private PerformanceDriftDetector performance;
        private GroundTruth groundTruth;
        private double[] referenceTruth;
        private double[] referencePredicted;
        private int minLabels = 30;

        private Builder() {
        }

        /** Where the model's predictions are read from. */
        public Builder log(PredictionLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /** The model whose records are checked (all versions). */
        public Builder model(String model) {
            Objects.requireNonNull(model, "model");
            if (model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            this.model = model;
            return this;
        }

        /** The reference data (typically the training set); its schema decides the columns and their types. */
        public Builder reference(Table reference) {
            Objects.requireNonNull(reference, "reference");
            if (reference.rowCount() == 0) {
                throw new IllegalArgumentException("reference table has 0 rows; pass the training data");
            }
            this.referenceTable = reference;
            return this;
        }

        /** A precomputed reference; its columns and kinds decide the table built from the records. */
        public Builder reference(ReferenceProfile reference) {
            this.referenceProfile = Objects.requireNonNull(reference, "reference");
            return this;
        }

        /** The detector to run (default {@code DriftDetector.builder().build()}). */
        public Builder detector(DriftDetector detector) {
            this.detector = Objects.requireNonNull(detector, "detector");
            return this;
        }

        /** Length of a window, positive; default one hour. */
        public Builder window(Duration window) {
            this.window = positive("window", window);
            return this;
        }

        /** Time between scheduled checks, positive; default the window length. */
        public Builder step(Duration step) {
            this.step = positive("step", step);
            return this;
        }

        /** The clock giving window ends; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs the checks of {@link DriftMonitor#start()}; needed only to start. The monitor never shuts it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where the gauges and counters go; default a private {@code SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Events; default {@link DriftMonitorListener#NONE}. */
        public Builder listener(DriftMonitorListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The retraining trigger fired once per drift episode; default none. */
        public Builder trigger(FlowTrigger trigger) {
            this.trigger = Objects.requireNonNull(trigger, "trigger");
            return this;
        }

        /** Least time between two firings of the trigger, {@code >= 0}; default zero. */
        public Builder coolDown(Duration coolDown) {
            Objects.requireNonNull(coolDown, "coolDown");
            if (coolDown.isNegative()) {
                throw new IllegalArgumentException("coolDown must be >= 0, was " + coolDown);
            }
            this.coolDown = coolDown;
            return this;
        }

        /** How many results {@link DriftMonitor#history()} keeps, {@code >= 1}; default 100. */
        public Builder historySize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("historySize must be >= 1, was " + size);
            }
            this.historySize = size;
            return this;
        }

        /** Windows with fewer records are skipped (not checked), {@code >= 1}; default 1. */
        public Builder minRows(int minRows) {
            if (minRows < 1) {
                throw new IllegalArgumentException("minRows must be >= 1, was " + minRows);
            }
            this.minRows = minRows;
            return this;
        }

        /**
         * Also run this PCA reconstruction-error check on every checked window (needs the reference as a
         * {@link Table}); a window drifts when the univariate report or any multivariate check drifts.
         */
        public Builder pca(PcaDriftDetector pca) {
            this.pca = Objects.requireNonNull(pca, "pca");
            return this;
        }

        /**
         * Also run this domain-classifier check on every checked window (needs the reference as a {@link Table});
         * it trains {@code (1 + permutations) x folds} models per window, so size the window and step for it.
         */
        public Builder domainClassifier(DomainClassifierDriftDetector domainClassifier) {
            this.domainClassifier = Objects.requireNonNull(domainClassifier, "domainClassifier");
            return this;
        }

        /**
         * Also compare the model's quality on each window's labelled records with a reference window's: the
         * records' request ids are looked up in {@code truth}; a record's prediction is its output (Double, Long,
         * Boolean as 1/0, or a 2-class score array: the class-1 score for AUC and RMSE, {@code score >= 0.5} as the
         * class for ACCURACY and F1); with at least {@link #minLabels} labelled records the detector compares
         * them with {@code referenceTruth} / {@code referencePredicted} (typically a validation set).
         */
        public Builder performance(PerformanceDriftDetector detector, GroundTruth truth, double[] referenceTruth,
                                   double[] referencePredicted) {
            Objects.requireNonNull(referenceTruth, "referenceTruth");
            Objects.requireNonNull(referencePredicted, "referencePredicted");
            if (referenceTruth.length == 0 || referenceTruth.length != referencePredicted.length) {
                throw new IllegalArgumentException("referenceTruth and referencePredicted must be non-empty and of equal"
                        + " length, were " + referenceTruth.length + " and " + referencePredicted.length);
            }
            this.performance = Objects.requireNonNull(detector, "detector");
            this.groundTruth = Objects.requireNonNull(truth, "truth");
            this.referenceTruth = referenceTruth.clone();
            this.referencePredicted = referencePredicted.clone();
            return this;
        }

        /** Least labelled records for a window's performance check, {@code >= 2}; default 30. */
        public Builder minLabels(int minLabels) {
            if (minLabels < 2) {
                throw new IllegalArgumentException("minLabels must be >= 2, was " + minLabels);
            }
            this.minLabels = minLabels;
            return this;
        }

        /**
         * Keep the history (the last {@code historySize} results and the episode state) in this file, so a
         * restarted monitor resumes it: one JSON line per window, appended and forced to disk before the check
         * returns; a torn last line from a crash is dropped on open; the file is rewritten atomically with the
         * last {@code historySize} lines whenever it holds twice as many. One file per monitored model.
         */
        public Builder historyFile(java.nio.file.Path file) {
            this.historyFile = Objects.requireNonNull(file, "historyFile");
            return this;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        public DriftMonitor build() {
            if (log == null) {
                throw new IllegalStateException("log is required: pass the PredictionLog the model's serving writes to");
            }
            if (model == null) {
                throw new IllegalStateException("model is required: pass the model name the records carry");
            }
            if ((referenceTable == null) == (referenceProfile == null)) {
                throw new IllegalStateException(referenceTable == null
                        ? "a reference is required: pass the training Table or a ReferenceProfile"
                        : "both a reference table and a reference profile were set; pass one");
            }
            if ((pca != null || domainClassifier != null) && referenceTable == null) {
                throw new IllegalStateException("the multivariate checks (pca, domainClassifier) compare tables: pass the"
                        + " reference as a Table, not a ReferenceProfile");
            }
            return new DefaultDriftMonitor(log, model, referenceTable, referenceProfile,
                    detector == null ? DriftDetector.builder().build() : detector, window,
                    step == null ? window : step, clock, scheduler,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry, listener, trigger, coolDown,
                    historySize, minRows, pca, domainClassifier, historyFile, performance, groundTruth, referenceTruth,
                    referencePredicted, minLabels);
        }
    }
}
