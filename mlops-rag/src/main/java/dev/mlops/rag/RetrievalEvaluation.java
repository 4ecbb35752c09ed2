package dev.mlops.rag;

import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.spi.RunTracker;
import dev.mlops.core.spi.TrackedRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link Retriever} over a dataset's queries and scores the run with {@link RetrievalMetrics}.
 * Chunk hits become document scores by taking each document's best chunk (max score, first
 * occurrence). Query latencies are measured with {@code System.nanoTime()}.
 */
public final class RetrievalEvaluation {

    private RetrievalEvaluation() {}

    /**
     * The outcome.
     *
     * @param result      metrics
     * @param latenciesMs per-query retrieval latency in milliseconds, in query order
     * @param run         query id -> document id -> score
     */
    public record Outcome(RetrievalMetrics.Result result, double[] latenciesMs, Map<String, Map<String, Double>> run) {
        /** Latency percentile (nearest rank), p in (0, 100]. */
        public double latencyPercentileMs(double p) {
            double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
        }
    }

    /** Retrieves the top {@code depth} for each query (100 covers recall@100) and evaluates at {@code ks}. */
    public static Outcome run(Retriever retriever, Map<String, String> queries, Map<String, Map<String, Integer>> qrels,
            int depth, int... ks) {
        Map<String, Map<String, Double>> run = new LinkedHashMap<>();
        List<Double> lat = new ArrayList<>();
        for (Map.Entry<String, String> q : queries.entrySet()) {
            long t0 = System.nanoTime();
            List<SearchHit> hits = retriever.retrieve(q.getValue(), depth);
            lat.add((System.nanoTime() - t0) / 1e6);
            Map<String, Double> docs = new LinkedHashMap<>();
            for (SearchHit h : hits) {
                docs.merge(h.documentId(), h.score(), Math::max);
            }
            run.put(q.getKey(), docs);
        }
        double[] latencies = lat.stream().mapToDouble(Double::doubleValue).toArray();
        return new Outcome(RetrievalMetrics.evaluate(run, qrels, ks), latencies, run);
    }

    /**
     * The metrics {@link #track} logs for an outcome: every mean metric with {@code @} spelled {@code _at_}
     * (tracker keys allow letters, digits, {@code _ - . /} and space), e.g. {@code ndcg_at_10},
     * {@code recall_at_100}, {@code mrr_at_10}; plus {@code queries}, {@code latency_ms_p50},
     * {@code latency_ms_p99} and {@code latency_ms_mean} (per-query retrieval latency).
     */
    public static Map<String, Double> trackedMetrics(Outcome outcome) {
        Map<String, Double> m = new LinkedHashMap<>();
        outcome.result().metrics().forEach((k, v) -> m.put(k.replace("@", "_at_"), v));
        m.put("queries", (double) outcome.result().queries());
        double[] lat = outcome.latenciesMs();
        if (lat.length > 0) {
            m.put("latency_ms_p50", outcome.latencyPercentileMs(50));
            m.put("latency_ms_p99", outcome.latencyPercentileMs(99));
            m.put("latency_ms_mean", Arrays.stream(lat).average().orElse(Double.NaN));
        }
        return m;
    }

    /**
     * Logs an evaluation as one tracked run in {@code experiment}, so strategies can be compared in the
     * registry: {@code params} as params (e.g. {@code strategy}, {@code model}, {@code k}, chunking
     * settings) and {@link #trackedMetrics} as metrics at step 0. Returns the run id. Params and metrics
     * are checked before anything is logged; if logging fails the run is ended {@code FAILED} and the
     * error rethrown.
     */
    public static String track(RunTracker tracker, String experiment, String runName, Map<String, String> params,
            Outcome outcome) {
        return track(tracker, experiment, runName, params, trackedMetrics(outcome));
    }

    /**
     * Logs any evaluation metrics (for example {@link RagasMetrics#means} of per-answer scores) as one tracked
     * run: params as params, metrics at step 0 (NaN allowed). Returns the run id.
     */
    public static String track(RunTracker tracker, String experiment, String runName, Map<String, String> params,
            Map<String, Double> metrics) {
        if (tracker == null) {
            throw new IllegalArgumentException("tracker must not be null; use RunTracker.noop() to log nowhere");
        }
        params.forEach((k, v) -> {
            TrackedRun.checkKey(k);
            if (v == null) {
                throw new IllegalArgumentException("param '" + k + "' has a null value");
            }
        });
        metrics.forEach((k, v) -> {
            TrackedRun.checkKey(k);
            if (v == null) {
                throw new IllegalArgumentException("metric '" + k + "' has a null value; use Double.NaN");
            }
        });
        TrackedRun run = tracker.startRun(experiment, runName);
        try {
            run.logParams(params);
            run.logMetrics(metrics, 0);
            run.end(RunStatus.FINISHED);
            return run.runId();
        } catch (RuntimeException e) {
            try {
                run.end(RunStatus.FAILED);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
