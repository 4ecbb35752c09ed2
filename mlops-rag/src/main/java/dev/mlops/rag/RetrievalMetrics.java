package dev.mlops.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IR metrics computed as trec_eval / pytrec_eval do (and so as BEIR reports them).
 *
 * <p>Per query, the run's documents are ranked by score descending, ties broken by document id
 * <em>descending</em> (trec_eval's {@code comp_sim_docno}); a document is relevant when its qrels
 * grade is {@code > 0}; {@code R} = number of relevant documents of the query.
 * <ul>
 *   <li>{@code ndcg@k} ({@code ndcg_cut_k}): DCG = sum over ranks i <= k of grade_i / log2(i + 1)
 *       (linear gain), divided by the DCG of the grades sorted descending and cut at k;
 *   <li>{@code recall@k} ({@code recall_k}): relevant documents in the top k / R;
 *   <li>{@code map@k} ({@code map_cut_k}): sum over relevant documents at ranks i <= k of
 *       precision@i, divided by R (not by min(R, k));
 *   <li>{@code mrr@k} (BEIR's MRR@k): 1 / rank of the first relevant document within the top k, else 0;
 *   <li>{@code precision@k} ({@code P_k}): relevant in the top k / k.
 * </ul>
 * Averages are over the queries that have at least one relevant document in the qrels; a query
 * with no results scores 0 (pytrec_eval leaves such a query out; BEIR's runs always return results,
 * so for them both agree).
 */
public final class RetrievalMetrics {

    private RetrievalMetrics() {}

    /**
     * The result of an evaluation.
     *
     * @param metrics  mean value per metric name, e.g. {@code ndcg@10}
     * @param perQuery metric name -> query id -> value
     * @param queries  number of queries averaged
     */
    public record Result(Map<String, Double> metrics, Map<String, Map<String, Double>> perQuery, int queries) {
        public double get(String metric) {
            Double v = metrics.get(metric);
            if (v == null) {
                throw new IllegalArgumentException("no metric '" + metric + "'; have " + metrics.keySet());
            }
            return v;
        }
    }

    /**
     * Evaluates a run.
     *
     * @param run   query id -> document id -> score
     * @param qrels query id -> document id -> grade
     * @param ks    cut-offs, e.g. 1, 10, 100
     */
    public static Result evaluate(Map<String, Map<String, Double>> run, Map<String, Map<String, Integer>> qrels, int... ks) {
        if (ks.length == 0) {
            throw new IllegalArgumentException("give at least one cut-off k");
        }
        Map<String, Map<String, Double>> perQuery = new TreeMap<>();
        int n = 0;
        for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
            Map<String, Integer> rel = q.getValue();
            long r = rel.values().stream().filter(g -> g > 0).count();
            if (r == 0) {
                continue;
            }
            n++;
            List<String> ranked = rank(run.getOrDefault(q.getKey(), Map.of()));
            List<Integer> ideal = rel.values().stream().filter(g -> g > 0).sorted(Comparator.reverseOrder()).toList();
            for (int k : ks) {
                double dcg = 0;
                double idcg = 0;
                int found = 0;
                double ap = 0;
                double rr = 0;
                for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                    int g = rel.getOrDefault(ranked.get(i), 0);
                    if (g > 0) {
                        dcg += g / log2(i + 2);
                        found++;
                        ap += (double) found / (i + 1);
                        if (rr == 0) {
                            rr = 1.0 / (i + 1);
                        }
                    }
                }
                for (int i = 0; i < Math.min(k, ideal.size()); i++) {
                    idcg += ideal.get(i) / log2(i + 2);
                }
                put(perQuery, "ndcg@" + k, q.getKey(), idcg > 0 ? dcg / idcg : 0);
                put(perQuery, "recall@" + k, q.getKey(), (double) found / r);
                put(perQuery, "map@" + k, q.getKey(), ap / r);
                put(perQuery, "mrr@" + k, q.getKey(), rr);
                put(perQuery, "precision@" + k, q.getKey(), (double) found / k);
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Double>> m : perQuery.entrySet()) {
            means.put(m.getKey(), m.getValue().values().stream().mapToDouble(Double::doubleValue).sum() / n);
        }
        return new Result(means, perQuery, n);
    }

    private static void put(Map<String, Map<String, Double>> perQuery, String metric, String query, double v) {
        perQuery.computeIfAbsent(metric, x -> new LinkedHashMap<>()).put(query, v);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Document ids by score descending, ties by id descending (trec_eval). */
    static List<String> rank(Map<String, Double> scores) {
        List<Map.Entry<String, Double>> e = new ArrayList<>(scores.entrySet());
        e.sort((a, b) -> {
            int c = Double.compare(b.getValue(), a.getValue());
            return c != 0 ? c : b.getKey().compareTo(a.getKey());
        });
        return e.stream().map(Map.Entry::getKey).toList();
    }
}
