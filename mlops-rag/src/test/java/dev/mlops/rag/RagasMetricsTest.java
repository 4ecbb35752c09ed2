package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ragas-style metrics. Non-LLM values are hand-computed or computed with numpy / a brute-force recursive
 * Levenshtein in python3 (shown in the comments); the LLM-judged ones run against a local HTTP server
 * speaking the OpenAI chat-completions protocol, with the judge's replies canned, so the expected scores
 * follow from the canned verdicts and from numpy cosines over the {@link TableEmbedder} vectors.
 */
class RagasMetricsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static final TableEmbedder EMBEDDER = new TableEmbedder(Map.of(
            "What is WAL?", new float[] {1, 0, 0, 0},
            "What does WAL mean?", new float[] {0.9f, 0.1f, 0, 0.2f},
            "How does WAL work?", new float[] {0.7f, 0.5f, 0.1f, 0},
            "What is a journal?", new float[] {0.2f, 0.9f, 0.3f, 0.1f},
            "WAL appends changes to a log.", new float[] {1, 0.2f, 0, 0},
            "The moon is cheese.", new float[] {0, 0, 1, 0.1f},
            "WAL writes changes to a separate log.", new float[] {0.95f, 0.3f, 0, 0},
            "Readers see a snapshot.", new float[] {0.1f, 1, 0.1f, 0}), false);

    /** An OpenAI chat-completion response whose message content is {@code content}. */
    static String completion(String content) throws Exception {
        return JSON.writeValueAsString(Map.of("id", "chatcmpl-1", "object", "chat.completion", "model", "judge",
                "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                        "message", Map.of("role", "assistant", "content", content))),
                "usage", Map.of("prompt_tokens", 50, "completion_tokens", 20, "total_tokens", 70)));
    }

    static RagasMetrics ragas(FakeChatServer s) {
        return RagasMetrics.builder().embedder(EMBEDDER)
                .judge(OpenAiChatGenerator.builder().baseUrl(s.baseUrl()).model("judge").temperature(0).build()).build();
    }

    @Test
    void idBasedPrecisionAndRecall_areSetRatios() {
        // 2 of 4 distinct retrieved ids are in the reference; 2 of 3 reference ids were retrieved
        List<String> retrieved = List.of("a", "b", "c", "d", "a");
        Set<String> reference = Set.of("a", "c", "z");
        assertThat(RagasMetrics.idContextPrecision(retrieved, reference)).isEqualTo(0.5);
        assertThat(RagasMetrics.idContextRecall(retrieved, reference)).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(RagasMetrics.idContextPrecision(List.of(), reference)).isNaN();
        assertThat(RagasMetrics.idContextRecall(retrieved, List.of())).isNaN();
    }

    @Test
    void contextPrecisionAtK_averagesPrecisionAtTheRelevantRanks() {
        // relevant at ranks 1 and 3: (1/1 + 2/3) / 2 = 0.8333...
        assertThat(RagasMetrics.contextPrecisionAtK(List.of(true, false, true))).isCloseTo(5.0 / 6, within(1e-15));
        // relevant at rank 2 only: (1/2) / 1
        assertThat(RagasMetrics.contextPrecisionAtK(List.of(false, true, false))).isEqualTo(0.5);
        assertThat(RagasMetrics.contextPrecisionAtK(List.of(false, false))).isZero();
    }

    @Test
    void stringSimilarity_isOneMinusNormalisedLevenshtein() {
        // python3 brute-force recursive edit distance: kitten/sitting 3 -> 1 - 3/7
        assertThat(RagasMetrics.stringSimilarity("kitten", "sitting")).isCloseTo(0.5714285714285714, within(1e-15));
        // 9 edits over 37 chars -> 0.7567567567567568; 21 over 28 -> 0.25
        assertThat(RagasMetrics.stringSimilarity("WAL writes changes to a separate log.", "WAL writes changes to a log."))
                .isCloseTo(0.7567567567567568, within(1e-15));
        assertThat(RagasMetrics.stringSimilarity("The moon is cheese.", "WAL writes changes to a log.")).isEqualTo(0.25);
        assertThat(RagasMetrics.stringSimilarity("", "")).isEqualTo(1.0);
    }

    @Test
    void referenceContextMetrics_useTheStringThreshold() {
        RagasMetrics r = RagasMetrics.builder().build();
        List<String> retrieved = List.of("The moon is cheese.", "WAL writes changes to a separate log.");
        List<String> reference = List.of("WAL writes changes to a log.", "Checkpoints copy pages back.");
        // relevance [false (0.25), true (0.757)] -> precision@2 * 1 / 1 = 0.5; recall: 1 of 2 references matched
        assertThat(r.contextPrecisionWithReference(retrieved, reference)).isEqualTo(0.5);
        assertThat(r.contextRecallWithReference(retrieved, reference)).isEqualTo(0.5);
        RagasMetrics strict = RagasMetrics.builder().stringThreshold(0.8).build();
        assertThat(strict.contextPrecisionWithReference(retrieved, reference)).isZero();
        assertThat(r.contextRecallWithReference(retrieved, List.of())).isNaN();
    }

    @Test
    void grounding_takesEachAnswerSentencesBestContextSentence() {
        RagasMetrics r = RagasMetrics.builder().embedder(EMBEDDER).build();
        RagasMetrics.Grounding g = r.grounding("WAL appends changes to a log. The moon is cheese.",
                List.of("WAL writes changes to a separate log. Readers see a snapshot."));
        // numpy: best cosines 0.9941214528377941 and 0.09852336433047369, mean 0.5463224085841338
        assertThat(g.sentences()).extracting(RagasMetrics.SentenceSupport::bestContextSentence)
                .containsExactly("WAL writes changes to a separate log.", "Readers see a snapshot.");
        assertThat(g.sentences().get(0).similarity()).isCloseTo(0.9941214528377941, within(1e-6));
        assertThat(g.sentences().get(1).similarity()).isCloseTo(0.09852336433047369, within(1e-6));
        assertThat(g.score()).isCloseTo(0.5463224085841338, within(1e-6));
        assertThat(g.supportedFraction()).isEqualTo(0.5);
    }

    @Test
    void faithfulness_extractsStatements_thenCountsSupportedVerdicts() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, completion("```json\n{\"statements\": [\"WAL appends changes to a log.\","
                        + " \"Readers see a snapshot.\", \"The moon is cheese.\"]}\n```"))
                .respond(200, completion("{\"verdicts\": ["
                        + "{\"statement\": \"WAL appends changes to a log.\", \"reason\": \"stated\", \"verdict\": 1},"
                        + "{\"statement\": \"Readers see a snapshot.\", \"reason\": \"stated\", \"verdict\": 1},"
                        + "{\"statement\": \"The moon is cheese.\", \"reason\": \"not in the context\", \"verdict\": 0}]}"))) {
            RagasMetrics.Faithfulness f = ragas(s).faithfulness("What is WAL?",
                    "WAL appends changes to a log; readers see a snapshot. The moon is cheese.",
                    List.of("WAL writes changes to a separate log.", "Readers see a snapshot."));
            assertThat(f.score()).isCloseTo(2.0 / 3, within(1e-15));
            assertThat(f.verdicts()).extracting(RagasMetrics.Verdict::supported).containsExactly(true, true, false);
            assertThat(f.verdicts().get(2).reason()).isEqualTo("not in the context");
            // what the judge was sent: system + user message rendered from the versioned prompts
            assertThat(s.requests).hasSize(2);
            JsonNode first = JSON.readTree(s.requests.get(0).body());
            assertThat(first.get("model").asText()).isEqualTo("judge");
            assertThat(first.get("messages").get(0).get("role").asText()).isEqualTo("system");
            assertThat(first.get("messages").get(1).get("content").asText())
                    .isEqualTo(RagasMetrics.STATEMENTS.render(Map.of("question", "What is WAL?",
                            "answer", "WAL appends changes to a log; readers see a snapshot. The moon is cheese.")));
            String second = JSON.readTree(s.requests.get(1).body()).get("messages").get(1).get("content").asText();
            assertThat(second).contains("WAL writes changes to a separate log.\n\nReaders see a snapshot.")
                    .contains("1. WAL appends changes to a log.\n2. Readers see a snapshot.\n3. The moon is cheese.");
        }
    }

    @Test
    void faithfulness_withNoStatements_isNaN_andMalformedRepliesAreClearErrors() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions").respond(200, completion("{\"statements\": []}"))) {
            assertThat(ragas(s).faithfulness("q", "", List.of("c")).score()).isNaN();
        }
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions").respond(200, completion("Sure! Here you go."))) {
            assertThatThrownBy(() -> ragas(s).faithfulness("q", "a", List.of("c")))
                    .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.status()).isEqualTo(-1))
                    .hasMessageContaining("faithfulness: expected a JSON object in the judge's reply, got 'Sure! Here you go.'")
                    .hasMessageContaining("Fix:");
        }
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, completion("{\"statements\": [\"x\", \"y\"]}"))
                .respond(200, completion("{\"verdicts\": [{\"verdict\": 1}]}"))) {
            assertThatThrownBy(() -> ragas(s).faithfulness("q", "a", List.of("c")))
                    .hasMessageContaining("one entry per statement (2)");
        }
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, completion("{\"statements\": [\"x\"]}"))
                .respond(200, completion("{\"verdicts\": [{\"verdict\": \"yes\"}]}"))) {
            assertThatThrownBy(() -> ragas(s).faithfulness("q", "a", List.of("c")))
                    .hasMessageContaining("\"verdict\": 0 or 1 in verdict 1");
        }
    }

    @Test
    void answerRelevancy_isTheMeanCosineOfGeneratedQuestions() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, completion("{\"question\": \"What does WAL mean?\", \"noncommittal\": 0}"))
                .respond(200, completion("{\"question\": \"How does WAL work?\", \"noncommittal\": 0}"))
                .respond(200, completion("{\"question\": \"What is a journal?\", \"noncommittal\": 1}"))) {
            RagasMetrics.AnswerRelevancy r = ragas(s).answerRelevancy("What is WAL?", "WAL appends changes to a log.");
            // numpy: cosines 0.9704949564954318, 0.8082903719329807, 0.20519567717605502 -> mean 0.6613270018681559
            // (one noncommittal reply of three does not zero it: Ragas zeroes only when all are noncommittal)
            assertThat(r.score()).isCloseTo(0.6613270018681559, within(1e-6));
            assertThat(r.generatedQuestions()).containsExactly("What does WAL mean?", "How does WAL work?", "What is a journal?");
            assertThat(r.noncommittal()).containsExactly(false, false, true);
            assertThat(s.requests).hasSize(3);
            assertThat(JSON.readTree(s.requests.get(0).body()).get("messages").get(1).get("content").asText())
                    .isEqualTo(RagasMetrics.QUESTION.render(Map.of("answer", "WAL appends changes to a log.")));
        }
    }

    @Test
    void answerRelevancy_allNoncommittal_isZero() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, completion("{\"question\": \"What does WAL mean?\", \"noncommittal\": 1}"))) {
            RagasMetrics.AnswerRelevancy r = ragas(s).answerRelevancy("What is WAL?", "I don't know.");
            assertThat(r.score()).isZero();
            assertThat(r.noncommittal()).containsExactly(true, true, true);
        }
    }

    @Test
    void missingJudgeOrEmbedder_andTheExtractiveJudge_areRefused() {
        RagasMetrics none = RagasMetrics.builder().build();
        assertThatThrownBy(() -> none.faithfulness("q", "a", List.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs an LLM judge");
        assertThatThrownBy(() -> none.grounding("a.", List.of("b."))).hasMessageContaining("needs an embedder");
        assertThatThrownBy(() -> RagasMetrics.builder().judge(ExtractiveGenerator.create()))
                .hasMessageContaining("extractive generator cannot judge");
        assertThatThrownBy(() -> RagasMetrics.builder().questions(0)).hasMessageContaining("was 0");
    }

    @Test
    void means_skipNaN() {
        Map<String, Double> m = RagasMetrics.means(List.of(Map.of("faithfulness", 1.0, "x", Double.NaN),
                Map.of("faithfulness", 0.5, "x", Double.NaN), Map.of("faithfulness", Double.NaN, "x", Double.NaN)));
        assertThat(m.get("faithfulness")).isEqualTo(0.75);
        assertThat(m.get("x")).isNaN();
    }
}
