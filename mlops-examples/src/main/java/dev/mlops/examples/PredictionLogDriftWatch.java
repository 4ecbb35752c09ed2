package dev.mlops.examples;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's drift monitor: reads one time window of a model's predictions back from the {@link PredictionLog},
 * turns the logged inputs into a {@link Table} and compares it with the training data using {@link DriftDetector}.
 * A stand-in for mlops-drift's {@code DriftMonitor} (being written on another branch): one call per window, no
 * scheduling, no state.
 *
 * <p>Rule: every numeric feature is tested (KS on windows this small, Evidently's automatic choice), p-values are
 * Bonferroni-corrected across the features, and the window drifts when at least one feature drifts
 * ({@code driftShare} = 1 / number of features).
 */
final class PredictionLogDriftWatch {

    /** One checked window: its bounds, how many predictions it held, the report, the drifted features. */
    record Window(int index, Instant from, Instant to, int rows, DriftReport report, List<String> driftedColumns) {
        boolean drift() {
            return report.datasetDrift();
        }
    }

    private final String model;
    private final Table reference;
    private final List<String> features;
    private final DriftDetector detector;

    PredictionLogDriftWatch(String model, Table reference, List<String> features) {
        this.model = model;
        this.reference = reference.select(features);
        this.features = List.copyOf(features);
        this.detector = DriftDetector.builder()
                .columns(features)
                .correction(Correction.BONFERRONI)
                .driftShare(1.0 / features.size())
                .build();
    }

    /** Checks the predictions logged for the model with {@code from <= timestamp < to}. */
    Window check(PredictionLog log, int index, Instant from, Instant to) {
        List<PredictionRecord> records = log.read(model, from, to);
        if (records.isEmpty()) {
            throw new IllegalStateException("window " + index + " [" + from + ", " + to + ") of model '" + model
                    + "' holds no predictions. Fix: check that the server logs to this PredictionLog and flush it");
        }
        List<Column> columns = new ArrayList<>();
        for (String f : features) {
            double[] values = new double[records.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = ((Number) records.get(i).inputs().get(f)).doubleValue();
            }
            columns.add(DoubleColumn.of(f, values));
        }
        DriftReport report = detector.compare(reference, Table.of(columns.toArray(Column[]::new)));
        List<String> drifted = report.columns().values().stream().filter(ColumnDrift::drift)
                .map(ColumnDrift::column).toList();
        return new Window(index, from, to, records.size(), report, drifted);
    }
}
