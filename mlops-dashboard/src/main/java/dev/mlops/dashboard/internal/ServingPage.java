package dev.mlops.dashboard.internal;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The serving page: per model, the prediction-log records of the window {@code [now - window, now)}: requests,
 * share and latency percentiles per version, and traffic over time per version; and, when serving meters are given,
 * the live {@code mlops.serving.latency} timers and {@code mlops.serving.errors} counters.
 *
 * <p>Latency percentiles from the log are nearest-rank: the value at rank {@code ceil(p * n)} of the sorted
 * latencies (numpy's {@code percentile(..., method="inverted_cdf")}). Traffic over time splits
 * {@code [first record, last record]} into {@value #BUCKETS} equal buckets (the last one closed).
 *
 * @param from   start of the window, inclusive
 * @param to     end of the window, exclusive
 * @param models one entry per configured model
 * @param meters the live timers (empty without serving meters)
 * @param errors request errors by model and cause, from the live counters
 */
public record ServingPage(Instant from, Instant to, List<ModelTraffic> models, List<TimerRow> meters,
                          Map<String, Double> errors) {

    static final int BUCKETS = 12;

    /** One version of one model in the window; latencies in nanoseconds. */
    public record VersionStats(String version, long requests, double share, double p50, double p90, double p99,
                               double max) {
    }

    /** One model in the window; {@code perBucket} holds, per version, the requests in each bucket. */
    public record ModelTraffic(String model, long total, List<VersionStats> versions, List<String> bucketLabels,
                               Map<String, double[]> perBucket) {
    }

    /** One live timer; times in nanoseconds, a percentile NaN when the timer does not publish it. */
    public record TimerRow(Map<String, String> tags, long count, double mean, double p50, double p90, double p99,
                           double max) {
    }

    /** Reads the page from the log (may be null) and the meters (may be null). */
    public static ServingPage of(PredictionLog log, List<String> models, MeterRegistry meters, Duration window,
                                 Clock clock) {
        Instant to = clock.instant();
        Instant from = to.minus(window);
        List<ModelTraffic> traffic = new ArrayList<>();
        if (log != null) {
            for (String model : models) {
                traffic.add(traffic(model, log.read(model, from, to)));
            }
        }
        List<TimerRow> timers = new ArrayList<>();
        Map<String, Double> errors = new TreeMap<>();
        if (meters != null) {
            timers.addAll(timers(meters, "mlops.serving.latency"));
            for (Counter c : meters.find("mlops.serving.errors").counters()) {
                String key = c.getId().getTag("model") + " / " + c.getId().getTag("cause");
                errors.merge(key, c.count(), Double::sum);
            }
        }
        return new ServingPage(from, to, List.copyOf(traffic), List.copyOf(timers), errors);
    }

    /** Traffic and latency of one model's records. */
    static ModelTraffic traffic(String model, List<PredictionRecord> records) {
        Map<String, List<PredictionRecord>> byVersion = new TreeMap<>(ServingPage::compareVersions);
        for (PredictionRecord r : records) {
            byVersion.computeIfAbsent(r.version(), k -> new ArrayList<>()).add(r);
        }
        List<VersionStats> stats = new ArrayList<>();
        for (Map.Entry<String, List<PredictionRecord>> e : byVersion.entrySet()) {
            long[] lat = e.getValue().stream().mapToLong(PredictionRecord::latencyNanos).sorted().toArray();
            stats.add(new VersionStats(e.getKey(), lat.length, (double) lat.length / records.size(),
                    nearestRank(lat, 0.50), nearestRank(lat, 0.90), nearestRank(lat, 0.99), lat[lat.length - 1]));
        }
        List<String> labels = new ArrayList<>();
        Map<String, double[]> perBucket = new LinkedHashMap<>();
        if (!records.isEmpty()) {
            Instant first = records.get(0).timestamp();
            Instant last = records.get(records.size() - 1).timestamp();
            long span = Math.max(1, Duration.between(first, last).toNanos());
            for (int i = 0; i < BUCKETS; i++) {
                labels.add(Html.time(first.plusNanos(span / BUCKETS * i)).substring(11));
            }
            for (String v : byVersion.keySet()) {
                perBucket.put("v" + v, new double[BUCKETS]);
            }
            for (PredictionRecord r : records) {
                long offset = Duration.between(first, r.timestamp()).toNanos();
                int b = (int) Math.min(BUCKETS - 1, (long) ((double) offset / span * BUCKETS));
                perBucket.get("v" + r.version())[b]++;
            }
        }
        return new ModelTraffic(model, records.size(), List.copyOf(stats), List.copyOf(labels), perBucket);
    }

    /** The value at rank {@code ceil(p * n)} (1-based) of sorted values; NaN for none. */
    static double nearestRank(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** Every timer named {@code name}, with its published percentiles. */
    static List<TimerRow> timers(MeterRegistry meters, String name) {
        List<TimerRow> rows = new ArrayList<>();
        for (Timer t : meters.find(name).timers()) {
            HistogramSnapshot s = t.takeSnapshot();
            Map<String, String> tags = new TreeMap<>();
            t.getId().getTags().forEach(tag -> tags.put(tag.getKey(), tag.getValue()));
            rows.add(new TimerRow(tags, s.count(), s.mean(TimeUnit.NANOSECONDS), pct(s, 0.5), pct(s, 0.9),
                    pct(s, 0.99), s.max(TimeUnit.NANOSECONDS)));
        }
        rows.sort((a, b) -> a.tags().toString().compareTo(b.tags().toString()));
        return rows;
    }

    private static double pct(HistogramSnapshot s, double p) {
        return Arrays.stream(s.percentileValues()).filter(v -> Math.abs(v.percentile() - p) < 1e-9)
                .mapToDouble(v -> v.value(TimeUnit.NANOSECONDS)).findFirst().orElse(Double.NaN);
    }

    private static int compareVersions(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit) && !a.isEmpty() && a.length() < 10;
        boolean nb = b.chars().allMatch(Character::isDigit) && !b.isEmpty() && b.length() < 10;
        if (na && nb) {
            return Integer.compare(Integer.parseInt(a), Integer.parseInt(b));
        }
        return na ? -1 : nb ? 1 : a.compareTo(b);
    }

    /** The page's HTML body; {@code configured} tells whether a log was given, {@code withMeters} serving meters. */
    String render(boolean configured, boolean withMeters) {
        Html h = new Html();
        h.el("h1", "Serving");
        if (!configured && !withMeters) {
            h.notConfigured("The serving source", "Dashboard.builder().serving(predictionLog, \"model\")"
                    + ".servingMeters(meterRegistryOfTheModelServer)");
            return h.toString();
        }
        if (configured) {
            h.raw("<p>Prediction log, window ").text(Html.time(from)).raw(" to ").text(Html.time(to)).raw(".</p>");
        }
        for (ModelTraffic m : models) {
            h.raw("<section class=\"serving-model\">").el("h2", "Model " + m.model() + ": " + m.total() + " requests");
            if (m.total() == 0) {
                h.raw("<p>No prediction in the window.</p></section>");
                continue;
            }
            h.raw("<table class=\"traffic\">").head("version", "requests", "share", "p50", "p90", "p99", "max");
            for (VersionStats v : m.versions()) {
                h.row("v" + v.version(), v.requests(), Html.num(100 * v.share()) + " %", Html.ms(v.p50()),
                        Html.ms(v.p90()), Html.ms(v.p99()), Html.ms(v.max()));
            }
            h.raw("</tbody></table>");
            h.raw(Svg.stacked("traffic-" + m.model(), "requests per version over time", m.bucketLabels(),
                    m.perBucket(), ""));
            List<String> versions = m.versions().stream().map(v -> "v" + v.version()).toList();
            Map<String, double[]> lat = new LinkedHashMap<>();
            lat.put("p50", m.versions().stream().mapToDouble(v -> v.p50() / 1e6).toArray());
            lat.put("p99", m.versions().stream().mapToDouble(v -> v.p99() / 1e6).toArray());
            h.raw(Svg.grouped("latency-" + m.model(), "latency per version (ms)", versions, lat, " ms"));
            h.raw("</section>");
        }
        if (withMeters && meters.isEmpty()) {
            h.raw("<p class=\"empty\">The serving meters have no <code>mlops.serving.latency</code> timer yet: no "
                    + "request was served.</p>");
        } else if (!meters.isEmpty()) {
            h.el("h2", "Live meters (mlops.serving.latency)");
            h.raw("<table id=\"serving-meters\">").head("tags", "count", "mean", "p50", "p90", "p99", "max");
            for (TimerRow t : meters) {
                h.row(t.tags(), t.count(), Html.ms(t.mean()), Html.ms(t.p50()), Html.ms(t.p90()), Html.ms(t.p99()),
                        Html.ms(t.max()));
            }
            h.raw("</tbody></table>");
        }
        if (!errors.isEmpty()) {
            h.el("h2", "Errors (mlops.serving.errors)");
            h.raw("<table id=\"serving-errors\">").head("model / cause", "count");
            errors.forEach((k, v) -> h.row(k, Html.num(v)));
            h.raw("</tbody></table>");
        }
        return h.toString();
    }
}
