package dev.mlops.rag;

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
}
