package dev.mlops.drift.internal;

import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.ColumnKind;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftInputException;
import dev.mlops.drift.DriftListener;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.StatResult;
import dev.mlops.drift.StatTest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The {@link DriftDetector} built by {@link DriftDetector#builder()}. */
public final class DefaultDriftDetector implements DriftDetector {

    /** Reference sizes up to this use the small-sample tests (ks, chisquare, z), as Evidently does. */
    static final int SMALL_REFERENCE = 1000;
    /** Above this many distinct values a numeric column counts as continuous. */
    static final int MIN_CONTINUOUS_DISTINCT = 5;

    private final List<String> columns;
    private final Set<String> categorical;
    private final Map<String, StatTest> tests;
    private final Map<String, Double> thresholds;
    private final List<StatTest> extraTests;
    private final double pValueThreshold;
    private final double distanceThreshold;
    private final double driftShare;
    private final Correction correction;
    private final Executor executor;
    private final DriftListener listener;
    private final MeterRegistry meters;
    private final Timer checkTimer;
    private final Counter driftedColumns;
    private final AtomicReference<Double> lastShare = new AtomicReference<>(Double.NaN);

    public DefaultDriftDetector(List<String> columns, Set<String> categorical, Map<String, StatTest> tests,
                                Map<String, Double> thresholds, List<StatTest> extraTests, double pValueThreshold,
                                double distanceThreshold, double driftShare, Correction correction,
                                Executor executor, DriftListener listener, MeterRegistry meters) {
        this.columns = columns;
        this.categorical = categorical;
        this.tests = tests;
        this.thresholds = thresholds;
        this.extraTests = extraTests;
        this.pValueThreshold = pValueThreshold;
        this.distanceThreshold = distanceThreshold;
        this.driftShare = driftShare;
        this.correction = correction;
        this.executor = executor;
        this.listener = listener;
        this.meters = meters;
        this.checkTimer = Timer.builder("mlops.drift.check").description("time of one DriftDetector.compare").register(meters);
        this.driftedColumns = Counter.builder("mlops.drift.columns.drifted").description("columns found drifted").register(meters);
        Gauge.builder("mlops.drift.share", lastShare, AtomicReference::get)
                .description("share of drifted columns in the last check").register(meters);
    }

    /** Evidently's automatic choice. */
    static StatTest choose(Samples s) {
        int k = s.distinctUnionAtMost(MIN_CONTINUOUS_DISTINCT + 1); // only k > 5 and k > 2 matter
        boolean continuous = s.isNumeric() && k > MIN_CONTINUOUS_DISTINCT;
        if (s.referenceSize() <= SMALL_REFERENCE) {
            return continuous ? StatTest.KS : k > 2 ? StatTest.CHISQUARE : StatTest.Z;
        }
        return continuous ? StatTest.WASSERSTEIN : StatTest.JENSENSHANNON;
    }

    private record Plan(String name, ColumnKind kind, Column reference, ColumnProfile profile, Column current) {
    }

    @Override
    public DriftReport compare(Table reference, Table current) {
        if (reference.rowCount() == 0) {
            throw new DriftInputException(null, "the reference table has 0 rows", "pass a reference with data");
        }
        return measured(() -> check(plan(reference, current), reference.rowCount(), current));
    }

    @Override
    public DriftReport compare(ReferenceProfile reference, Table current) {
        if (reference.rows() == 0) {
            throw new DriftInputException(null, "the reference profile has 0 rows", "profile a reference with data");
        }
        return measured(() -> check(plan((DefaultReferenceProfile) reference, current), reference.rows(), current));
    }

    private DriftReport measured(java.util.function.Supplier<DriftReport> check) {
        Timer.Sample sample = Timer.start(meters); // the registry's clock, not the system's
        DriftReport report = check.get();
        sample.stop(checkTimer);
        driftedColumns.increment(report.driftedColumns());
        lastShare.set(report.shareDrifted());
        meters.counter("mlops.drift.checks", "dataset_drift", Boolean.toString(report.datasetDrift())).increment();
        return report;
    }

    private DriftReport check(List<Plan> plans, long referenceRows, Table current) {
        if (current.rowCount() == 0) {
            throw new DriftInputException(null, "the current table has 0 rows", "pass a current window with data");
        }
        for (String c : tests.keySet()) {
            if (plans.stream().noneMatch(p -> p.name.equals(c))) {
                throw new IllegalArgumentException("a test was set for column '" + c + "', which is not checked; checked: "
                        + plans.stream().map(Plan::name).toList());
            }
        }
        int total = plans.size();
        listener.started(total);
        // the caller helps the executor's workers (see Parallel): a busy executor cannot stall the check
        ColumnDrift[] results = new ColumnDrift[total];
        AtomicInteger done = new AtomicInteger();
        Parallel.forEach(total, executor, i -> {
            results[i] = evaluate(plans.get(i));
            listener.columnDone(results[i], done.incrementAndGet(), total);
        }, "waiting for drift columns");
        List<ColumnDrift> raw = List.of(results);
        return report(raw, referenceRows, current.rowCount());
    }

    private List<Plan> plan(Table reference, Table current) {
        List<String> names = columns != null ? columns : reference.schema().names();
        for (String c : categorical) {
            if (!reference.schema().contains(c)) {
                throw new SchemaMismatchException(c, "a column of the reference table (listed as categorical)", "missing",
                        "fix the name; the reference has " + reference.schema().names());
            }
        }
        List<Plan> plans = new ArrayList<>();
        for (String name : names) {
            Column ref = reference.column(name);
            if (!current.schema().contains(name)) {
                throw new SchemaMismatchException(name, "present in the current table", "missing",
                        "add the column to the current data or leave it out of the check");
            }
            Column cur = current.column(name);
            boolean declared = categorical.contains(name);
            ColumnKind kind = kindOf(ref.type(), declared);
            ColumnKind curKind = kindOf(cur.type(), declared);
            if (kind == null && columns == null) {
                continue; // timestamps are not checked unless listed as categorical
            }
            if (kind == null || curKind != kind) {
                throw new SchemaMismatchException(name, kind == null ? "a testable type" : ref.type() + " (" + kind.id() + ")",
                        cur.type() + (curKind == null ? "" : " (" + curKind.id() + ")"),
                        "give both tables the same column type, or list the column as categorical");
            }
            plans.add(new Plan(name, kind, ref, null, cur));
        }
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("no column to check: the reference has " + reference.schema());
        }
        return plans;
    }

    private List<Plan> plan(DefaultReferenceProfile reference, Table current) {
        List<String> names = columns != null ? columns : reference.columns();
        List<Plan> plans = new ArrayList<>();
        for (String name : names) {
            ColumnProfile p = reference.column(name);
            if (p == null) {
                throw new SchemaMismatchException(name, "a profiled column", "missing from the reference profile",
                        "profile the column or leave it out of the check; profiled: " + reference.columns());
            }
            if (categorical.contains(name) && p.kind() != ColumnKind.CATEGORICAL) {
                throw new SchemaMismatchException(name, "categorical (as configured)", "profiled as numeric",
                        "list the column as categorical when making the profile");
            }
            if (!current.schema().contains(name)) {
                throw new SchemaMismatchException(name, "present in the current table", "missing",
                        "add the column to the current data or leave it out of the check");
            }
            Column cur = current.column(name);
            ColumnKind curKind = kindOf(cur.type(), p.kind() == ColumnKind.CATEGORICAL);
            if (curKind != p.kind()) {
                throw new SchemaMismatchException(name, p.kind().id() + " (as profiled)", cur.type()
                        + (curKind == null ? "" : " (" + curKind.id() + ")"), "give the current column the profiled type");
            }
            plans.add(new Plan(name, p.kind(), null, p, cur));
        }
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("no column to check: the profile has no testable column");
        }
        return plans;
    }

    private static ColumnKind kindOf(ColumnType type, boolean declaredCategorical) {
        if (declaredCategorical) {
            return ColumnKind.CATEGORICAL;
        }
        return switch (type) {
            case DOUBLE, LONG -> ColumnKind.NUMERIC;
            case STRING, BOOLEAN -> ColumnKind.CATEGORICAL;
            case TIMESTAMP -> null;
        };
    }

    private ColumnDrift evaluate(Plan p) {
        Samples s = p.profile != null ? Samples.fromProfile(p.profile, p.current)
                : p.kind == ColumnKind.NUMERIC ? Samples.numeric(p.name, p.reference, p.current)
                : Samples.categorical(p.name, p.reference, p.current);
        StatTest test = tests.getOrDefault(p.name, null);
        if (test == null) {
            test = choose(s);
        }
        StatResult main = s.run(test);
        Map<StatTest, StatResult> extra = new LinkedHashMap<>();
        for (StatTest t : extraTests) {
            if (t == test) {
                extra.put(t, main);
            } else if (s.applies(t)) {
                extra.put(t, s.run(t));
            }
        }
        double threshold = thresholds.getOrDefault(p.name, test.hasPValue() ? pValueThreshold : distanceThreshold);
        boolean drift = test.drifted(main.statistic(), main.pValue(), threshold);
        return new ColumnDrift(p.name, p.kind, test, main.statistic(), main.pValue(), main.pValue(), threshold, drift,
                s.referenceMissing(), s.currentMissing(), extra, s.histogram());
    }

    private DriftReport report(List<ColumnDrift> raw, long referenceRows, int currentRows) {
        List<ColumnDrift> out = raw;
        if (correction != Correction.NONE) {
            double[] p = new double[raw.size()];
            for (int i = 0; i < p.length; i++) {
                p[i] = raw.get(i).test().hasPValue() ? raw.get(i).pValue() : Double.NaN;
            }
            double[] adj = correction.adjust(p);
            out = new ArrayList<>(raw.size());
            for (int i = 0; i < p.length; i++) {
                ColumnDrift c = raw.get(i);
                if (!c.test().hasPValue()) {
                    out.add(c);
                    continue;
                }
                boolean drift = c.test().drifted(c.statistic(), adj[i], c.threshold());
                out.add(new ColumnDrift(c.column(), c.kind(), c.test(), c.statistic(), c.pValue(), adj[i], c.threshold(),
                        drift, c.referenceMissing(), c.currentMissing(), c.tests(), c.histogram()));
            }
        }
        Map<String, ColumnDrift> byName = new LinkedHashMap<>();
        long drifted = 0;
        for (ColumnDrift c : out) {
            byName.put(c.column(), c);
            drifted += c.drift() ? 1 : 0;
        }
        double share = (double) drifted / out.size();
        return new DriftReport(share >= driftShare, share, driftShare, correction, referenceRows, currentRows, byName);
    }
}
