package dev.mlops.dashboard.internal;

import dev.mlops.registry.AliasChange;
import dev.mlops.registry.AuditEntry;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry page: every registered model with its versions (and the latest metrics of the run each came from,
 * side by side), its aliases now and every move of every alias it ever had, and the most recent tracking runs.
 *
 * @param models     the models, by name
 * @param recentRuns the last {@value #RECENT_RUNS} runs of any experiment, newest first
 * @param experiments experiment id to name
 */
public record RegistryPage(List<ModelView> models, List<RunInfo> recentRuns, Map<String, String> experiments) {

    static final int RECENT_RUNS = 20;

    /**
     * One version.
     *
     * @param metrics the latest value of each metric of the version's run
     */
    public record VersionRow(int version, Instant created, String runId, String runName, String flavor, String stage,
                             Set<String> aliases, Map<String, Double> metrics) {
    }

    /**
     * One model.
     *
     * @param metricKeys   the union of the versions' metric keys, sorted
     * @param aliasHistory per alias (held now, or found in the audit log), its moves oldest first
     */
    public record ModelView(RegisteredModel model, List<VersionRow> versions, List<String> metricKeys,
                            Map<String, List<AliasChange>> aliasHistory) {
    }

    /** Reads the page from {@code registry}. */
    public static RegistryPage of(ModelRegistry registry) {
        List<AuditEntry> audit = registry.auditLog();
        List<ModelView> models = new ArrayList<>();
        for (RegisteredModel m : registry.models()) {
            List<VersionRow> versions = new ArrayList<>();
            Set<String> keys = new TreeSet<>();
            for (ModelVersion v : registry.versions(m.name())) {
                RunInfo run = registry.run(v.runId());
                Map<String, Double> metrics = new TreeMap<>();
                run.metrics().forEach((k, p) -> metrics.put(k, p.value()));
                keys.addAll(metrics.keySet());
                versions.add(new VersionRow(v.version(), v.created(), v.runId(), run.name(), v.flavor(),
                        v.stage().name(), v.aliases(), metrics));
            }
            Set<String> aliases = new TreeSet<>(m.aliases().keySet());
            String prefix = "models:/" + m.name() + "@";
            for (AuditEntry e : audit) {
                if (e.target().startsWith(prefix)) {
                    aliases.add(e.target().substring(prefix.length()));
                }
            }
            Map<String, List<AliasChange>> history = new LinkedHashMap<>();
            for (String a : aliases) {
                history.put(a, registry.aliasHistory(m.name(), a));
            }
            models.add(new ModelView(m, List.copyOf(versions), List.copyOf(keys), history));
        }
        Map<String, String> experiments = new TreeMap<>();
        for (Experiment e : registry.experiments()) {
            experiments.put(e.id(), e.name());
        }
        List<RunInfo> runs = registry.searchRuns(RunQuery.builder().maxResults(RECENT_RUNS).build()).runs();
        return new RegistryPage(List.copyOf(models), runs, experiments);
    }

    /** The page's HTML body. */
    String render() {
        Html h = new Html();
        h.el("h1", "Registry");
        if (models.isEmpty()) {
            h.raw("<p class=\"empty\">No model is registered yet.</p>");
        } else {
            h.raw("<table id=\"models\">").head("model", "description", "latest version", "aliases");
            for (ModelView mv : models) {
                RegisteredModel m = mv.model();
                StringBuilder aliases = new StringBuilder();
                m.aliases().forEach((a, v) -> aliases.append(aliases.isEmpty() ? "" : ", ").append('@').append(a)
                        .append(" \u2192 v").append(v));
                h.row(m.name(), m.description(), m.latestVersion(), aliases);
            }
            h.raw("</tbody></table>");
        }
        for (ModelView mv : models) {
            String name = mv.model().name();
            h.raw("<section class=\"model\">").el("h2", "Model " + name);
            List<String> cols = new ArrayList<>(List.of("version", "created", "run", "flavor", "stage", "aliases"));
            cols.addAll(mv.metricKeys());
            h.raw("<table class=\"versions\">").head(cols.toArray(String[]::new));
            for (VersionRow v : mv.versions()) {
                List<Object> cells = new ArrayList<>(List.of("v" + v.version(), Html.time(v.created()),
                        v.runName() + " (" + v.runId() + ")", v.flavor(), v.stage(),
                        String.join(", ", v.aliases().stream().map(a -> "@" + a).toList())));
                for (String k : mv.metricKeys()) {
                    Double x = v.metrics().get(k);
                    cells.add(x == null ? "" : Html.num(x));
                }
                h.rowClass("", cells);
            }
            h.raw("</tbody></table>");
            if (!mv.metricKeys().isEmpty() && !mv.versions().isEmpty()) {
                Map<String, double[]> series = new LinkedHashMap<>();
                for (VersionRow v : mv.versions()) {
                    double[] values = new double[mv.metricKeys().size()];
                    for (int i = 0; i < values.length; i++) {
                        Double x = v.metrics().get(mv.metricKeys().get(i));
                        values[i] = x == null ? Double.NaN : x;
                    }
                    series.put("v" + v.version(), values);
                }
                h.raw(Svg.grouped("metrics-" + name, "metrics of the versions of " + name, mv.metricKeys(), series,
                        ""));
            }
            h.el("h3", "Alias history");
            if (mv.aliasHistory().isEmpty()) {
                h.raw("<p>No alias was ever set.</p>");
            } else {
                h.raw("<table class=\"alias-history\">").head("alias", "at", "from", "to", "by", "reason");
                mv.aliasHistory().forEach((alias, changes) -> {
                    for (AliasChange c : changes) {
                        h.row("@" + alias, Html.time(c.at()), c.fromVersion() == null ? "\u2014" : "v" + c.fromVersion(),
                                c.toVersion() == null ? "(removed)" : "v" + c.toVersion(), c.principal(), c.reason());
                    }
                });
                h.raw("</tbody></table>");
            }
            h.raw("</section>");
        }
        h.el("h2", "Recent runs");
        if (recentRuns.isEmpty()) {
            h.raw("<p>No run is tracked yet.</p>");
        } else {
            h.raw("<table id=\"runs\">").head("start", "experiment", "run", "status", "duration", "metrics");
            for (RunInfo r : recentRuns) {
                StringBuilder ms = new StringBuilder();
                r.metrics().forEach((k, p) -> ms.append(ms.isEmpty() ? "" : ", ").append(k).append('=')
                        .append(Html.num(p.value())));
                h.row(Html.time(r.startTime()), experiments.getOrDefault(r.experimentId(), r.experimentId()),
                        r.name() + (r.parentRunId() == null ? "" : " (child)"), r.status(),
                        r.endTime() == null ? "" : Html.duration(java.time.Duration.between(r.startTime(), r.endTime())),
                        ms);
            }
            h.raw("</tbody></table>");
        }
        return h.toString();
    }
}
