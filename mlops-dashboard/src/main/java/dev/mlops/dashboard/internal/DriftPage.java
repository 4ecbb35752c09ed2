package dev.mlops.dashboard.internal;

import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.ColumnHistogram;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.MonitorResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift page: for each monitor its checked windows over time (share of drifted columns, drift, trigger) and the
 * report of its latest checked window; then each report given by title. A report shows one row per column (test,
 * statistic, p-value, threshold, verdict, missing cells) and the column's histogram, reference against current.
 *
 * @param monitors one view per monitor, in configuration order
 * @param reports  the titled reports, in configuration order
 */
public record DriftPage(List<MonitorView> monitors, Map<String, DriftReport> reports) {

    /**
     * One monitor.
     *
     * @param model    the monitored model, from its results ({@code null} before the first check)
     * @param windows  its results, oldest first
     * @param drifting windows whose dataset drifted
     * @param triggers windows that fired the retraining trigger
     * @param latest   the report of the latest checked (not skipped) window, or null
     */
    public record MonitorView(String model, List<MonitorResult> windows, long drifting, long triggers,
                              DriftReport latest) {
    }

    /** Reads the page. */
    public static DriftPage of(List<DriftMonitor> monitors, Map<String, DriftReport> reports) {
        List<MonitorView> views = new ArrayList<>();
        for (DriftMonitor m : monitors) {
            List<MonitorResult> h = m.history();
            DriftReport latest = null;
            for (int i = h.size() - 1; i >= 0 && latest == null; i--) {
                latest = h.get(i).report().orElse(null);
            }
            views.add(new MonitorView(h.isEmpty() ? null : h.get(0).model(), h,
                    h.stream().filter(MonitorResult::drift).count(),
                    h.stream().filter(MonitorResult::triggered).count(), latest));
        }
        return new DriftPage(List.copyOf(views), new LinkedHashMap<>(reports));
    }

    /** The page's HTML body. */
    String render() {
        Html h = new Html();
        h.el("h1", "Drift");
        if (monitors.isEmpty() && reports.isEmpty()) {
            h.notConfigured("No drift source", "Dashboard.builder().drift(driftMonitor) or .driftReport(\"title\", "
                    + "report)");
            return h.toString();
        }
        int n = 0;
        for (MonitorView m : monitors) {
            n++;
            String name = m.model() == null ? "monitor " + n : m.model();
            h.raw("<section class=\"monitor\">").el("h2", "Monitor of " + name);
            if (m.windows().isEmpty()) {
                h.raw("<p>No window checked yet.</p></section>");
                continue;
            }
            h.raw("<p>").text(m.windows().size() + " windows checked, " + m.drifting() + " drifting, "
                    + m.triggers() + " triggered retraining.").raw("</p>");
            List<Svg.Bar> bars = new ArrayList<>();
            for (MonitorResult r : m.windows()) {
                double share = r.report().map(DriftReport::shareDrifted).orElse(Double.NaN);
                bars.add(new Svg.Bar(Html.time(r.to()).substring(11), share, r.triggered() ? "alert"
                        : r.drift() ? "bad" : r.skipped() ? "other" : "ok"));
            }
            h.raw(Svg.bars("drift-windows-" + n, "share of drifted columns per window (red: drift, dark: alert "
                    + "fired)", bars, ""));
            h.raw("<table class=\"windows\">").head("from", "to", "records", "share drifted", "drift", "triggered",
                    "run");
            for (int i = m.windows().size() - 1; i >= 0; i--) {
                MonitorResult r = m.windows().get(i);
                h.rowClass(r.triggered() ? "alert" : r.drift() ? "bad" : "", List.of(Html.time(r.from()),
                        Html.time(r.to()), r.rows(), r.skipped() ? "skipped"
                                : Html.num(r.report().orElseThrow().shareDrifted()),
                        r.drift() ? "DRIFT" : "no", r.triggered() ? "yes" : "", r.runId().orElse("")));
            }
            h.raw("</tbody></table>");
            if (m.latest() != null) {
                h.el("h3", "Latest checked window");
                report(h, "monitor-" + n, m.latest());
            }
            h.raw("</section>");
        }
        int r = 0;
        for (Map.Entry<String, DriftReport> e : reports.entrySet()) {
            h.raw("<section class=\"report\">").el("h2", "Report: " + e.getKey());
            report(h, "report-" + (++r), e.getValue());
            h.raw("</section>");
        }
        return h.toString();
    }

    private static void report(Html h, String id, DriftReport rep) {
        h.raw("<p>").text((rep.datasetDrift() ? "DATASET DRIFT: " : "no dataset drift: ") + rep.driftedColumns()
                + " of " + rep.columns().size() + " columns drifted (share " + Html.num(rep.shareDrifted())
                + ", threshold " + Html.num(rep.driftShare()) + "); " + rep.referenceRows() + " reference rows, "
                + rep.currentRows() + " current rows, correction " + rep.correction().id()).raw("</p>");
        h.raw("<table class=\"columns\">").head("column", "type", "test", "statistic", "p-value", "threshold",
                "drift", "missing (ref / cur)");
        for (ColumnDrift c : rep.columns().values()) {
            h.rowClass(c.drift() ? "bad" : "", List.of(c.column(), c.kind().id(), c.test().id(), Html.num(c.statistic()),
                    c.test().hasPValue() ? Html.num(c.adjustedPValue()) : "", Html.num(c.threshold()),
                    c.drift() ? "DRIFT" : "no", c.referenceMissing() + " / " + c.currentMissing()));
        }
        h.raw("</tbody></table><div class=\"histograms\">");
        int i = 0;
        for (ColumnDrift c : rep.columns().values()) {
            ColumnHistogram hist = c.histogram();
            if (hist == null || hist.labels().isEmpty()) {
                continue;
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("reference", hist.reference().stream().mapToDouble(Double::doubleValue).toArray());
            series.put("current", hist.current().stream().mapToDouble(Double::doubleValue).toArray());
            h.raw("<figure>").el("figcaption", c.column() + (c.drift() ? " (drift)" : ""));
            h.raw(Svg.grouped(id + "-hist-" + (i++), "histogram of " + c.column() + ": reference vs current shares",
                    hist.labels(), series, ""));
            h.raw("</figure>");
        }
        h.raw("</div>");
    }
}
