package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A small qrels/run example whose expected values were computed by hand from the trec_eval
 * definitions (the arithmetic run in python3: e.g. ndcg@3 of q1 = (2/log2(2) + 1/log2(4)) /
 * (2/log2(2) + 1/log2(3)) = 0.9502344).
 */
class RetrievalMetricsTest {

    static final Map<String, Map<String, Integer>> QRELS = Map.of(
            "q1", Map.of("d1", 1, "d3", 2),
            "q2", Map.of("d2", 1, "d9", 0),
            "q3", Map.of("d5", 1),
            "q4", Map.of("d7", 0)); // no relevant document: not averaged

    static final Map<String, Map<String, Double>> RUN = Map.of(
            "q1", Map.of("d3", 0.9, "d2", 0.8, "d1", 0.7),
            "q2", Map.of("d1", 0.5, "d3", 0.4, "d2", 0.3),
            // a tie: trec_eval orders tied documents by id descending, so d6 ranks before d5
            "q3", Map.of("d5", 0.5, "d6", 0.5),
            "q4", Map.of("d7", 1.0));

    @Test
    void metrics_matchHandComputedTrecEvalValues() {
        RetrievalMetrics.Result r = RetrievalMetrics.evaluate(RUN, QRELS, 1, 2, 3);
        assertThat(r.queries()).isEqualTo(3);
        assertThat(r.get("ndcg@3")).isCloseTo(0.6937213901204311, within(1e-12));
        assertThat(r.get("ndcg@1")).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.get("map@3")).isCloseTo(0.5555555555555555, within(1e-12));
        assertThat(r.get("mrr@3")).isCloseTo(0.611111111111111, within(1e-12));
        assertThat(r.get("recall@2")).isCloseTo(0.5, within(1e-12));
        assertThat(r.get("recall@1")).isCloseTo(0.16666666666666666, within(1e-12));
        assertThat(r.perQuery().get("ndcg@3").get("q1")).isCloseTo(0.9502344167898356, within(1e-12));
        assertThat(r.perQuery().get("mrr@1").get("q3")).isZero();
    }

    @Test
    void missingQueryInRun_scoresZero() {
        RetrievalMetrics.Result r = RetrievalMetrics.evaluate(Map.of("q1", RUN.get("q1")), QRELS, 10);
        assertThat(r.queries()).isEqualTo(3);
        assertThat(r.get("recall@10")).isCloseTo(1.0 / 3, within(1e-12));
    }
}
