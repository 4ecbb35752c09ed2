package dev.mlops.dashboard.internal;

import dev.mlops.core.MlopsException;
import dev.mlops.features.FeatureStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The feature store page: the freshness of each view (the store's {@code freshness(view)}: the age of its newest
 * materialized or pushed value at the store's clock), marked STALE beyond the configured maximum age; and the online
 * read latency, from the {@code mlops.features.online.read} timers of the feature meters.
 *
 * @param views       one row per view: the configured views, then those found by their freshness gauges
 * @param onlineReads the online read timers
 * @param maxAge      the STALE threshold, or null
 */
public record FeaturesPage(List<ViewFreshness> views, List<ServingPage.TimerRow> onlineReads, Duration maxAge) {

    /** The timer the page reads for online read latency. */
    public static final String ONLINE_READ_TIMER = "mlops.features.online.read";

    /** Freshness of a view: FRESH, STALE (older than the maximum age), NEVER (nothing materialized), ERROR. */
    public enum Status { FRESH, STALE, NEVER, ERROR }

    /**
     * One view.
     *
     * @param age    the age, or null when never materialized or on error
     * @param detail the error message for ERROR, else empty
     */
    public record ViewFreshness(String view, Duration age, Status status, String detail) {
    }

    /** Reads the page; {@code meters} may be null. */
    public static FeaturesPage of(FeatureStore store, List<String> configured, MeterRegistry meters,
                                  Duration maxAge) {
        Set<String> names = new LinkedHashSet<>(configured);
        if (meters != null) {
            List<String> found = new ArrayList<>();
            for (Gauge g : meters.find("mlops.features.freshness.seconds").gauges()) {
                String v = g.getId().getTag("view");
                if (v != null) {
                    found.add(v);
                }
            }
            found.stream().sorted().forEach(names::add);
        }
        List<ViewFreshness> views = new ArrayList<>();
        for (String v : names) {
            try {
                Duration age = store.freshness(v);
                Status s = age == null ? Status.NEVER
                        : maxAge != null && age.compareTo(maxAge) > 0 ? Status.STALE : Status.FRESH;
                views.add(new ViewFreshness(v, age, s, ""));
            } catch (MlopsException e) {
                views.add(new ViewFreshness(v, null, Status.ERROR, e.getMessage()));
            }
        }
        List<ServingPage.TimerRow> reads = meters == null ? List.of()
                : ServingPage.timers(meters, ONLINE_READ_TIMER);
        return new FeaturesPage(List.copyOf(views), reads, maxAge);
    }

    /** The page's HTML body. */
    String render(boolean hasMeters) {
        Html h = new Html();
        h.el("h1", "Feature store");
        h.el("h2", "Freshness per view" + (maxAge == null ? "" : " (stale after " + Html.duration(maxAge) + ")"));
        if (views.isEmpty()) {
            h.raw("<p class=\"empty\">No view to show. <code>featureViews(\"view\", ...)</code> names them, or "
                    + "<code>featureMeters(registry)</code> finds the materialized ones.</p>");
        } else {
            h.raw("<table id=\"feature-freshness\">").head("view", "age", "status", "detail");
            List<Svg.Bar> bars = new ArrayList<>();
            for (ViewFreshness v : views) {
                h.rowClass(v.status() == Status.FRESH ? "" : "bad", List.of(v.view(),
                        v.age() == null ? "" : Html.duration(v.age()), v.status(), v.detail()));
                bars.add(new Svg.Bar(v.view(), v.age() == null ? Double.NaN : v.age().toMillis() / 1000.0,
                        v.status() == Status.FRESH ? "ok" : "bad"));
            }
            h.raw("</tbody></table>");
            h.raw(Svg.bars("feature-freshness", "age of each view in seconds (red: stale, never or error)", bars,
                    " s"));
        }
        h.el("h2", "Online read latency (" + ONLINE_READ_TIMER + ")");
        if (!hasMeters) {
            h.notConfigured("The feature meters", "Dashboard.builder().featureMeters(meterRegistryOfTheStore)");
        } else if (onlineReads.isEmpty()) {
            h.raw("<p class=\"empty\">The feature meters have no <code>" + ONLINE_READ_TIMER + "</code> timer yet: "
                    + "no online read was timed.</p>");
        } else {
            h.raw("<table id=\"feature-reads\">").head("tags", "reads", "mean", "p50", "p90", "p99", "max");
            List<String> labels = new ArrayList<>();
            double[] p50 = new double[onlineReads.size()];
            double[] p99 = new double[onlineReads.size()];
            int i = 0;
            for (ServingPage.TimerRow t : onlineReads) {
                h.row(t.tags(), t.count(), Html.ms(t.mean()), Html.ms(t.p50()), Html.ms(t.p90()), Html.ms(t.p99()),
                        Html.ms(t.max()));
                labels.add(t.tags().getOrDefault("view", t.tags().toString()));
                p50[i] = Double.isNaN(t.p50()) ? t.mean() / 1e3 : t.p50() / 1e3;
                p99[i++] = Double.isNaN(t.p99()) ? t.max() / 1e3 : t.p99() / 1e3;
            }
            h.raw("</tbody></table>");
            java.util.Map<String, double[]> series = new java.util.LinkedHashMap<>();
            series.put("p50 (mean if unpublished)", p50);
            series.put("p99 (max if unpublished)", p99);
            h.raw(Svg.grouped("feature-reads", "online read latency in microseconds", labels, series, " \u00b5s"));
        }
        return h.toString();
    }
}
