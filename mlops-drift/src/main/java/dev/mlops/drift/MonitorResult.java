package dev.mlops.drift;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One window checked by a {@link DriftMonitor}.
 *
 * @param model            the monitored model
 * @param from             start of the window, inclusive
 * @param to               end of the window, exclusive
 * @param rows             prediction records read from the log for the window
 * @param report           the univariate drift report, empty when the window was skipped (fewer than
 *                         {@code minRows} records)
 * @param pca              the PCA reconstruction-error check, when the monitor runs one and the window was checked
 * @param domainClassifier the domain-classifier check, when the monitor runs one and the window was checked
 * @param performance      the performance check, when the monitor runs one and at least {@code minLabels} of the
 *                         window's records had their ground truth
 * @param triggered        whether this window fired the retraining trigger
 * @param runId            the run the trigger started, empty if none was fired or the trigger declined
 */
public record MonitorResult(String model, Instant from, Instant to, int rows, Optional<DriftReport> report,
                            Optional<PcaDriftResult> pca, Optional<DomainClassifierResult> domainClassifier,
                            Optional<PerformanceDriftResult> performance, boolean triggered, Optional<String> runId) {

    public MonitorResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(pca, "pca");
        Objects.requireNonNull(domainClassifier, "domainClassifier");
        Objects.requireNonNull(performance, "performance");
        Objects.requireNonNull(runId, "runId");
    }

    /** A result without multivariate checks. */
    public MonitorResult(String model, Instant from, Instant to, int rows, Optional<DriftReport> report,
                         boolean triggered, Optional<String> runId) {
        this(model, from, to, rows, report, Optional.empty(), Optional.empty(), Optional.empty(), triggered, runId);
    }

    /**
     * Whether the window was checked and drifted: the univariate report's dataset drift, or the drift verdict of
     * a multivariate or performance check the monitor ran.
     */
    public boolean drift() {
        return report.map(DriftReport::datasetDrift).orElse(false)
                || performance.map(PerformanceDriftResult::drift).orElse(false)
                || pca.map(PcaDriftResult::drift).orElse(false)
                || domainClassifier.map(DomainClassifierResult::drift).orElse(false);
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
        StringBuilder sb = new StringBuilder("model '").append(model).append("' window [").append(from).append(", ")
                .append(to).append("): ").append(drift() ? "drift" : "no drift").append(", ")
                .append(r.driftedColumns()).append(" of ").append(r.columns().size()).append(" columns drifted (share ")
                .append(r.shareDrifted()).append(")");
        pca.ifPresent(p -> sb.append(String.format(Locale.ROOT, ", PCA error %.4g %s [%.4g, %.4g]", p.currentError(),
                p.drift() ? "outside" : "inside", p.lower(), p.upper())));
        domainClassifier.ifPresent(d -> sb.append(String.format(Locale.ROOT, ", domain classifier AUC %.4f (p %.4g)%s",
                d.auc(), d.pValue(), d.drift() ? " drift" : "")));
        performance.ifPresent(p -> sb.append(String.format(Locale.ROOT, ", %s %.4g vs reference %.4g (interval of the"
                + " difference [%.4g, %.4g])%s", p.metric().name().toLowerCase(Locale.ROOT), p.current(), p.reference(),
                p.lower(), p.upper(), p.drift() ? " drift" : "")));
        return sb.append(", ").append(rows).append(" records").toString();
    }
}
