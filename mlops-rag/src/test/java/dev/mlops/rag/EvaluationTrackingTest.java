package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.spi.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Evaluations logged through core's RunTracker SPI (here a recording fake; the registry implements it). */
class EvaluationTrackingTest {

    static RetrievalEvaluation.Outcome outcome() {
        // the hand-computed example of RetrievalMetricsTest, with latencies 1..4 ms
        return new RetrievalEvaluation.Outcome(RetrievalMetrics.evaluate(RetrievalMetricsTest.RUN,
                RetrievalMetricsTest.QRELS, 3), new double[] {4, 1, 3, 2}, RetrievalMetricsTest.RUN);
    }

    @Test
    void track_logsParamsAndEveryMetric_andFinishesTheRun() {
        RecordingTracker tracker = new RecordingTracker();
        String id = RetrievalEvaluation.track(tracker, "scifact", "hybrid-rrf60",
                Map.of("strategy", "hybrid-rrf60", "model", "sentence-transformers/all-MiniLM-L6-v2", "k", "100",
                        "chunking", "none"), outcome());
        assertThat(id).isEqualTo("run-1");
        RecordingTracker.Run run = tracker.runs.get(0);
        assertThat(run.experiment).isEqualTo("scifact");
        assertThat(run.status).isEqualTo(RunStatus.FINISHED);
        assertThat(run.params).containsEntry("strategy", "hybrid-rrf60").containsEntry("k", "100");
        // values from RetrievalMetricsTest (hand-computed): ndcg@3 = 0.6937213901204311, mrr@3 = 0.6111...
        assertThat(run.metrics.get("ndcg_at_3")).isCloseTo(0.6937213901204311, within(1e-12));
        assertThat(run.metrics.get("mrr_at_3")).isCloseTo(0.611111111111111, within(1e-12));
        assertThat(run.metrics).containsKeys("recall_at_3", "map_at_3", "precision_at_3");
        assertThat(run.metrics.get("queries")).isEqualTo(3.0);
        // latencies 1, 2, 3, 4 ms: nearest-rank p50 = 2, p99 = 4, mean 2.5
        assertThat(run.metrics.get("latency_ms_p50")).isEqualTo(2.0);
        assertThat(run.metrics.get("latency_ms_p99")).isEqualTo(4.0);
        assertThat(run.metrics.get("latency_ms_mean")).isEqualTo(2.5);
    }

    @Test
    void track_ragasMeans_keepsNaN() {
        RecordingTracker tracker = new RecordingTracker();
        Map<String, Double> means = RagasMetrics.means(List.of(Map.of("faithfulness", 1.0, "answer_relevancy", Double.NaN),
                Map.of("faithfulness", 0.0, "answer_relevancy", Double.NaN)));
        RetrievalEvaluation.track(tracker, "answers", null, Map.of("judge", "openai:gpt-4o-mini"), means);
        assertThat(tracker.runs.get(0).metrics.get("faithfulness")).isEqualTo(0.5);
        assertThat(tracker.runs.get(0).metrics.get("answer_relevancy")).isNaN();
    }

    @Test
    void badKeys_areRefusedBeforeARunStarts_andAFailingStoreEndsTheRunFailed() {
        RecordingTracker tracker = new RecordingTracker();
        assertThatThrownBy(() -> RetrievalEvaluation.track(tracker, "e", "r", Map.of("model@v", "x"), outcome()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'model@v'");
        assertThat(tracker.runs).isEmpty();
        tracker.failOnMetric = "recall_at_3";
        assertThatThrownBy(() -> RetrievalEvaluation.track(tracker, "e", "r", Map.of("k", "10"), outcome()))
                .hasMessageContaining("store down");
        assertThat(tracker.runs.get(0).status).isEqualTo(RunStatus.FAILED);
    }
}
