package dev.mlops.drift.internal;

import dev.mlops.core.spi.FlowTrigger;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.ColumnKind;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftInputException;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftMonitorListener;
import dev.mlops.drift.DomainClassifierDriftDetector;
import dev.mlops.drift.DomainClassifierResult;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.MonitorResult;
import dev.mlops.drift.PcaDriftDetector;
import dev.mlops.drift.PcaDriftResult;
import dev.mlops.drift.GroundTruth;
import dev.mlops.drift.PerformanceDriftDetector;
import dev.mlops.drift.PerformanceDriftResult;
import dev.mlops.drift.PerformanceMetric;
import dev.mlops.drift.ReferenceProfile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/** The {@link DriftMonitor} behind {@link DriftMonitor#builder()}; semantics are documented there. */
public final class DefaultDriftMonitor implements DriftMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultDriftMonitor.class);

    private final PredictionLog log;
    private final String model;
    private final Table referenceTable;
    private final ReferenceProfile referenceProfile;
    private final DriftDetector detector;
    private final Duration window;
    private final Duration step;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final MeterRegistry registry;
    private final DriftMonitorListener listener;
    private final FlowTrigger trigger;
    private final Duration coolDown;
    private final int historySize;
    private final int minRows;
    private final Schema schema;
    private final PcaDriftDetector pca;
    private final DomainClassifierDriftDetector domainClassifier;
    private final MonitorHistoryStore store;
    private final PerformanceDriftDetector performance;
    private final GroundTruth groundTruth;
    private final double[] referenceTruth;
    private final double[] referencePredicted;
    private final int minLabels;

    private final ReentrantLock checkLock = new ReentrantLock();
    private final ArrayDeque<MonitorResult> history = new ArrayDeque<>();
    private final AtomicReference<double[]> lastShare = new AtomicReference<>(new double[] {Double.NaN, Double.NaN});
    private final AtomicReference<double[]> lastMultivariate = new AtomicReference<>(new double[] {Double.NaN, Double.NaN, Double.NaN});
    private final Map<String, double[]> columnFlags = new ConcurrentHashMap<>();
    private final Counter triggers;
    private final Counter driftWindows;
    private final Counter cleanWindows;
    private final Counter skippedWindows;

    // episode state, guarded by checkLock
    private boolean inEpisode;
    private boolean episodeFired;
    private Instant lastFiring;

    private final Object lifecycle = new Object();
    private ScheduledFuture<?> scheduled;
    private volatile boolean closed;

    public DefaultDriftMonitor(PredictionLog log, String model, Table referenceTable, ReferenceProfile referenceProfile,
                               DriftDetector detector, Duration window, Duration step, Clock clock,
                               ScheduledExecutorService scheduler, MeterRegistry registry,
                               DriftMonitorListener listener, FlowTrigger trigger, Duration coolDown,
                               int historySize, int minRows, PcaDriftDetector pca,
                               DomainClassifierDriftDetector domainClassifier, Path historyFile,
                               PerformanceDriftDetector performance, GroundTruth groundTruth, double[] referenceTruth,
                               double[] referencePredicted, int minLabels) {
        this.performance = performance;
        this.groundTruth = groundTruth;
        this.referenceTruth = referenceTruth;
        this.referencePredicted = referencePredicted;
        this.minLabels = minLabels;
        this.log = log;
        this.model = model;
        this.referenceTable = referenceTable;
        this.referenceProfile = referenceProfile;
        this.detector = detector;
        this.window = window;
        this.step = step;
        this.clock = clock;
        this.scheduler = scheduler;
        this.registry = registry;
        this.listener = listener;
        this.trigger = trigger;
        this.coolDown = coolDown;
        this.historySize = historySize;
        this.minRows = minRows;
        this.schema = referenceTable != null ? nullable(referenceTable.schema()) : profileSchema(referenceProfile);
        this.pca = pca;
        this.domainClassifier = domainClassifier;
        Tags tags = Tags.of("model", model);
        if (pca != null) {
            registry.gauge("mlops.drift.monitor.pca_error", tags, lastMultivariate, r -> r.get()[0]);
        }
        if (domainClassifier != null) {
            registry.gauge("mlops.drift.monitor.domain_auc", tags, lastMultivariate, r -> r.get()[1]);
        }
        if (performance != null) {
            registry.gauge("mlops.drift.monitor.performance", tags.and("metric", performance.metric().name().toLowerCase(
                    java.util.Locale.ROOT)), lastMultivariate, r -> r.get()[2]);
        }
        registry.gauge("mlops.drift.monitor.share", tags, lastShare, r -> r.get()[0]);
        registry.gauge("mlops.drift.monitor.dataset_drift", tags, lastShare, r -> r.get()[1]);
        this.triggers = registry.counter("mlops.drift.monitor.triggers", tags);
        this.driftWindows = registry.counter("mlops.drift.monitor.windows", tags.and("result", "drift"));
        this.cleanWindows = registry.counter("mlops.drift.monitor.windows", tags.and("result", "no_drift"));
        this.skippedWindows = registry.counter("mlops.drift.monitor.windows", tags.and("result", "skipped"));
        if (historyFile != null) {
            var opened = MonitorHistoryStore.open(historyFile, model, historySize);
            this.store = opened.getKey();
            MonitorHistoryStore.State state = opened.getValue().state();
            inEpisode = state.inEpisode();
            episodeFired = state.episodeFired();
            lastFiring = state.lastFiring();
            history.addAll(opened.getValue().results());
            for (MonitorResult r : history) {
                if (!r.skipped()) {
                    publish(r);
                }
            }
        } else {
            this.store = null;
        }
    }

    private static Schema nullable(Schema s) {
        List<Field> fields = new ArrayList<>();
        for (Field f : s) {
            fields.add(f.withNullable(true));
        }
        return Schema.of(fields);
    }

    private static Schema profileSchema(ReferenceProfile p) {
        List<Field> fields = new ArrayList<>();
        for (String c : p.columns()) {
            fields.add(Field.nullable(c, p.kind(c) == ColumnKind.NUMERIC ? ColumnType.DOUBLE : ColumnType.STRING));
        }
        return Schema.of(fields);
    }

    @Override
    public MonitorResult checkNow() {
        return checkWindowEndingAt(clock.instant());
    }

    @Override
    public MonitorResult checkWindowEndingAt(Instant end) {
        java.util.Objects.requireNonNull(end, "end");
        Instant from = end.minus(window);
        checkLock.lock();
        try {
            List<PredictionRecord> records = log.read(model, from, end);
            MonitorResult result;
            if (records.size() < minRows) {
                result = new MonitorResult(model, from, end, records.size(), Optional.empty(), false, Optional.empty());
                skippedWindows.increment();
            } else {
                Table current = toTable(records);
                DriftReport report = referenceTable != null ? detector.compare(referenceTable, current)
                        : detector.compare(referenceProfile, current);
                Optional<PcaDriftResult> p = pca == null ? Optional.empty() : Optional.of(pca.compare(referenceTable, current));
                Optional<DomainClassifierResult> d = domainClassifier == null ? Optional.empty()
                        : Optional.of(domainClassifier.compare(referenceTable, current));
                Optional<PerformanceDriftResult> q = performance == null ? Optional.empty() : performance(records);
                result = decide(new MonitorResult(model, from, end, records.size(), Optional.of(report), p, d, q, false,
                        Optional.empty()));
                publish(result);
            }
            synchronized (history) {
                history.addLast(result);
                while (history.size() > historySize) {
                    history.removeFirst();
                }
            }
            if (store != null) {
                // after the in-memory state, so a failing disk never makes this process fire twice; the error
                // reaches the caller (or checkFailed) and the file misses this window
                store.append(result, new MonitorHistoryStore.State(inEpisode, episodeFired, lastFiring));
            }
            if (result.drift()) {
                listener.drift(result);
            }
            if (result.triggered()) {
                listener.retrainingTriggered(result, result.runId());
            }
            listener.windowChecked(result);
            return result;
        } finally {
            checkLock.unlock();
        }
    }

    /** Applies the episode rule; returns {@code checked} with the trigger outcome. */
    private MonitorResult decide(MonitorResult checked) {
        if (!checked.drift()) {
            cleanWindows.increment();
            inEpisode = false;
            episodeFired = false;
            return checked;
        }
        driftWindows.increment();
        if (!inEpisode) {
            inEpisode = true;
            episodeFired = false;
        }
        boolean coolDownOver = lastFiring == null || Duration.between(lastFiring, checked.to()).compareTo(coolDown) >= 0;
        if (trigger == null || episodeFired || !coolDownOver) {
            return checked;
        }
        Optional<String> runId;
        try {
            runId = trigger.fire("drift: " + checked.summary(), Map.of());
        } catch (RuntimeException e) {
            LOG.warn("model '{}': the retraining trigger failed for the window ending {}; the next drifting window tries again",
                    model, checked.to(), e);
            listener.checkFailed(checked.to(), e);
            return checked;
        }
        episodeFired = true;
        lastFiring = checked.to();
        triggers.increment();
        LOG.info("model '{}': drift, retraining triggered (run {}): {}", model, runId.orElse("declined"), checked.summary());
        return new MonitorResult(checked.model(), checked.from(), checked.to(), checked.rows(), checked.report(),
                checked.pca(), checked.domainClassifier(), checked.performance(), true,
                runId == null ? Optional.empty() : runId);
    }

    private void publish(MonitorResult result) {
        DriftReport report = result.report().orElseThrow();
        lastShare.set(new double[] {report.shareDrifted(), report.datasetDrift() ? 1 : 0});
        double[] previous = lastMultivariate.get();
        lastMultivariate.set(new double[] {result.pca().map(PcaDriftResult::currentError).orElse(Double.NaN),
            result.domainClassifier().map(DomainClassifierResult::auc).orElse(Double.NaN),
            result.performance().map(PerformanceDriftResult::current).orElse(previous[2])});
        for (ColumnDrift c : report.columns().values()) {
            double[] flag = columnFlags.computeIfAbsent(c.column(), name -> {
                double[] holder = {Double.NaN};
                registry.gauge("mlops.drift.monitor.column_drift", Tags.of("model", model, "column", name), holder,
                        h -> h[0]);
                return holder;
            });
            flag[0] = c.drift() ? 1 : 0;
        }
    }

    /** The performance check of the window's records whose truth is known, if at least minLabels are. */
    private Optional<PerformanceDriftResult> performance(List<PredictionRecord> records) {
        List<String> ids = new ArrayList<>();
        for (PredictionRecord r : records) {
            if (r.requestId() != null) {
                ids.add(r.requestId());
            }
        }
        if (ids.size() < minLabels) {
            return Optional.empty();
        }
        Map<String, Double> truths = groundTruth.truths(model, ids);
        double[] truth = new double[records.size()];
        double[] predicted = new double[records.size()];
        int n = 0;
        for (PredictionRecord r : records) {
            Double t = r.requestId() == null ? null : truths.get(r.requestId());
            if (t != null) {
                truth[n] = t;
                predicted[n] = predicted(r, performance.metric());
                n++;
            }
        }
        if (n < minLabels) {
            return Optional.empty();
        }
        return Optional.of(performance.compare(referenceTruth, referencePredicted, java.util.Arrays.copyOf(truth, n),
                java.util.Arrays.copyOf(predicted, n)));
    }

    private double predicted(PredictionRecord r, PerformanceMetric metric) {
        Object out = r.output();
        boolean score = metric == PerformanceMetric.AUC || metric == PerformanceMetric.RMSE;
        if (out instanceof Double d) {
            return d;
        }
        if (out instanceof Long l) {
            return l;
        }
        if (out instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (out instanceof double[] s && s.length == 2) {
            return score ? s[1] : s[1] >= 0.5 ? 1 : 0;
        }
        throw new DriftInputException(null, "model '" + model + "': the record at " + r.timestamp() + " (request "
                + r.requestId() + ") has output " + (out instanceof double[] s ? "scores of " + s.length + " classes"
                : out == null ? "null" : out.getClass().getSimpleName()) + ", which the " + metric + " check cannot read",
                "log a Double, Long or Boolean prediction, or the scores of a 2-class model");
    }

    private Table toTable(List<PredictionRecord> records) {
        TableBuilder b = Table.builder(schema, records.size());
        List<Field> fields = schema.fields();
        for (PredictionRecord r : records) {
            Map<String, Object> in = r.inputs();
            for (int c = 0; c < fields.size(); c++) {
                Field f = fields.get(c);
                Object v = in.get(f.name());
                if (v == null) {
                    b.setNull(c);
                    continue;
                }
                switch (f.type()) {
                    case DOUBLE -> {
                        if (v instanceof Double d) {
                            b.setDouble(c, d);
                        } else if (v instanceof Long l) {
                            b.setDouble(c, l);
                        } else {
                            throw mismatch(r, f, v, "Double or Long");
                        }
                    }
                    case LONG -> {
                        if (v instanceof Long l) {
                            b.setLong(c, l);
                        } else {
                            throw mismatch(r, f, v, "Long");
                        }
                    }
                    case BOOLEAN -> {
                        if (v instanceof Boolean x) {
                            b.setBoolean(c, x);
                        } else {
                            throw mismatch(r, f, v, "Boolean");
                        }
                    }
                    case STRING -> {
                        if (v instanceof String s) {
                            b.setString(c, s);
                        } else if (referenceProfile != null && (v instanceof Boolean || v instanceof Long)) {
                            b.setString(c, v.toString());
                        } else if (referenceProfile != null && v instanceof Double d) {
                            double x = d;
                            b.setString(c, x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : d.toString());
                        } else {
                            throw mismatch(r, f, v, referenceProfile != null ? "String, Boolean, Long or Double" : "String");
                        }
                    }
                    case TIMESTAMP -> {
                        if (v instanceof Instant t) {
                            b.setTimestamp(c, t);
                        } else {
                            throw mismatch(r, f, v, "Instant");
                        }
                    }
                }
            }
            b.endRow();
        }
        return b.build();
    }

    private DriftInputException mismatch(PredictionRecord r, Field f, Object v, String allowed) {
        String shown = String.valueOf(v);
        if (shown.length() > 100) {
            shown = shown.substring(0, 100) + "...";
        }
        return new DriftInputException(f.name(), "model '" + model + "': the record at " + r.timestamp()
                + (r.requestId() == null ? "" : " (request " + r.requestId() + ")") + " has input '" + f.name() + "' = "
                + shown + " of type " + v.getClass().getSimpleName() + ", but the reference column is "
                + f.type() + " and takes " + allowed,
                "log the value as " + allowed + " (as at training), or rebuild the reference with this column's type");
    }

    @Override
    public void start() {
        if (scheduler == null) {
            throw new IllegalStateException("no scheduler set; pass one with DriftMonitor.builder().scheduler(...) to start");
        }
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the drift monitor of model '" + model + "' is closed");
            }
            if (scheduled != null) {
                throw new IllegalStateException("the drift monitor of model '" + model + "' is already started");
            }
            long nanos = step.toNanos();
            scheduled = scheduler.scheduleAtFixedRate(this::scheduledCheck, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void scheduledCheck() {
        checkLock.lock(); // so that close(), which takes the lock after setting closed, waits for this check or stops it
        Instant end = clock.instant();
        try {
            if (closed) {
                return;
            }
            checkWindowEndingAt(end);
        } catch (RuntimeException e) {
            LOG.warn("model '{}': the drift check of the window ending {} failed; the next window is checked as scheduled",
                    model, end, e);
            listener.checkFailed(end, e);
        } finally {
            checkLock.unlock();
        }
    }

    @Override
    public List<MonitorResult> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    @Override
    public List<MonitorResult> history(Instant fromInclusive, Instant toExclusive) {
        if (fromInclusive.isAfter(toExclusive)) {
            throw new IllegalArgumentException("fromInclusive " + fromInclusive + " is after toExclusive " + toExclusive);
        }
        return history().stream()
                .filter(r -> !r.to().isBefore(fromInclusive) && r.to().isBefore(toExclusive))
                .toList();
    }

    @Override
    public Optional<MonitorResult> latest() {
        synchronized (history) {
            return Optional.ofNullable(history.peekLast());
        }
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
        // wait for a scheduled check in progress: once close() returns, the history no longer changes by itself
        checkLock.lock();
        checkLock.unlock();
    }
}
