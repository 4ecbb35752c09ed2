package dev.mlops.drift;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One window checked by a {@link DriftMonitor}.
 *
 * @param model     the monitored model
 * @param from      start of the window, inclusive
 * @param to        end of the window, exclusive
 * @param rows      prediction records read from the log for the window
 * @param report    the drift report, empty when the window was skipped (fewer than {@code minRows} records)
 * @param triggered whether this window fired the retraining trigger
 * @param runId     the run the trigger started, empty if none was fired or the trigger declined
 */
public record MonitorResult(String model, Instant from, Instant to, int rows, Optional<DriftReport> report,
                            boolean triggered, Optional<String> runId) {

    public MonitorResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(runId, "runId");
    }

    /** Whether the window was checked and the dataset drifted. */
    public boolean drift() {
        return report.map(DriftReport::datasetDrift).orElse(false);
    }

    /** Whether the window had too few records to be checked. */
    public boolean skipped() {
        return report.isEmpty();
    }

    /** A one-line summary for logs and trigger reasons. */
    public String summary() {
        if (report.isEmpty()) {
            return "model '" + model + "' window [" + from + ", " + to + "): skipped, " + rows + " records";
        }
        DriftReport r = report.get();
        return "model '" + model + "' window [" + from + ", " + to + "): " + (r.datasetDrift() ? "drift" : "no drift")
                + ", " + r.driftedColumns() + " of " + r.columns().size() + " columns drifted (share "
                + r.shareDrifted() + "), " + rows + " records";
    }
}
