package dev.mlops.dashboard.internal;

import dev.mlops.rag.CostTracker;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.ResponseCache;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The RAG page: evaluation scores per configuration, feedback (counts and the latest entries), the response cache's
 * hit rate and the generators' token use and cost.
 *
 * @param evaluations  scores by configuration name, then metric
 * @param feedbackUp   thumbs-up count, or -1 without a feedback store
 * @param feedbackDown thumbs-down count, or -1 without a feedback store
 * @param latest       the last {@value #LATEST} feedback entries, newest first
 * @param cache        the cache's counters, or null
 * @param cacheSize    entries in the cache
 * @param usage        token use and cost by generator model, or null
 */
public record RagPage(Map<String, Map<String, Double>> evaluations, long feedbackUp, long feedbackDown,
                      List<Feedback> latest, ResponseCache.Stats cache, int cacheSize,
                      Map<String, CostTracker.Usage> usage) {

    static final int LATEST = 20;

    /** Reads the page; any source may be null. */
    public static RagPage of(Map<String, Map<String, Double>> evaluations, FeedbackStore feedback,
                             ResponseCache cache, CostTracker cost) {
        long up = -1;
        long down = -1;
        List<Feedback> latest = List.of();
        if (feedback != null) {
            List<Feedback> all = feedback.all();
            up = all.stream().filter(f -> f.rating() == Feedback.Rating.UP).count();
            down = all.size() - up;
            List<Feedback> tail = new ArrayList<>(all.subList(Math.max(0, all.size() - LATEST), all.size()));
            java.util.Collections.reverse(tail);
            latest = List.copyOf(tail);
        }
        return new RagPage(new LinkedHashMap<>(evaluations), up, down, latest, cache == null ? null : cache.stats(),
                cache == null ? 0 : cache.size(), cost == null ? null : cost.usage());
    }

    /** Share of thumbs-up among all feedback, NaN without feedback. */
    public double approval() {
        long total = feedbackUp + feedbackDown;
        return feedbackUp < 0 || total == 0 ? Double.NaN : (double) feedbackUp / total;
    }

    /** The page's HTML body. */
    String render() {
        Html h = new Html();
        h.el("h1", "RAG");
        if (evaluations.isEmpty() && feedbackUp < 0 && cache == null && usage == null) {
            h.notConfigured("No RAG source", "Dashboard.builder().ragEvaluation(\"hybrid\", result.metrics())"
                    + ".ragFeedback(feedbackStore).ragCache(responseCache).ragCost(costTracker)");
            return h.toString();
        }
        h.el("h2", "Evaluation scores");
        if (evaluations.isEmpty()) {
            h.notConfigured("Evaluation", "ragEvaluation(name, RetrievalMetrics.Result#metrics())");
        } else {
            List<String> metrics = new ArrayList<>(new TreeSet<>(evaluations.values().stream()
                    .flatMap(m -> m.keySet().stream()).toList()));
            List<String> cols = new ArrayList<>();
            cols.add("configuration");
            cols.addAll(metrics);
            h.raw("<table id=\"rag-eval\">").head(cols.toArray(String[]::new));
            Map<String, double[]> series = new LinkedHashMap<>();
            evaluations.forEach((name, scores) -> {
                List<Object> cells = new ArrayList<>();
                cells.add(name);
                double[] values = new double[metrics.size()];
                for (int i = 0; i < metrics.size(); i++) {
                    Double v = scores.get(metrics.get(i));
                    values[i] = v == null ? Double.NaN : v;
                    cells.add(v == null ? "" : Html.num(v));
                }
                series.put(name, values);
                h.rowClass("", cells);
            });
            h.raw("</tbody></table>");
            h.raw(Svg.grouped("rag-eval", "evaluation scores per configuration", metrics, series, ""));
        }
        h.el("h2", "Feedback");
        if (feedbackUp < 0) {
            h.notConfigured("Feedback", "ragFeedback(FeedbackStore.open(file))");
        } else {
            h.raw("<p id=\"rag-feedback-summary\">").text(feedbackUp + " up, " + feedbackDown + " down"
                    + (Double.isNaN(approval()) ? "" : ", approval " + Html.num(100 * approval()) + " %")).raw("</p>");
            if (!latest.isEmpty()) {
                h.raw("<table id=\"rag-feedback\">").head("at", "answer", "rating", "comment");
                for (Feedback f : latest) {
                    h.row(Html.time(f.at()), f.answerId(), f.rating(), f.comment() == null ? "" : f.comment());
                }
                h.raw("</tbody></table>");
            }
        }
        h.el("h2", "Response cache");
        if (cache == null) {
            h.notConfigured("The cache", "ragCache(responseCache)");
        } else {
            h.raw("<table id=\"rag-cache\">").head("exact hits", "semantic hits", "misses", "hit rate", "entries");
            h.row(cache.exactHits(), cache.semanticHits(), cache.misses(), Html.num(100 * cache.hitRate()) + " %",
                    cacheSize);
            h.raw("</tbody></table>");
        }
        h.el("h2", "Cost");
        if (usage == null) {
            h.notConfigured("Cost tracking", "ragCost(costTracker)");
        } else {
            h.raw("<table id=\"rag-cost\">").head("generator model", "calls", "input tokens", "output tokens", "cost");
            BigDecimal total = BigDecimal.ZERO;
            for (Map.Entry<String, CostTracker.Usage> e : usage.entrySet()) {
                CostTracker.Usage u = e.getValue();
                total = total.add(u.cost());
                h.row(e.getKey(), u.calls(), u.inputTokens(), u.outputTokens(), u.cost().toPlainString());
            }
            h.row("total", "", "", "", total.toPlainString());
            h.raw("</tbody></table>");
        }
        return h.toString();
    }
}
