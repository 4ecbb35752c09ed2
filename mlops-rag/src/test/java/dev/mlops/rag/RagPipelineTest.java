package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RagPipelineTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicInteger retrievals = new AtomicInteger();
    private final Retriever retriever = new Retriever() {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public List<SearchHit> retrieve(String q, int k, Filter f) {
            retrievals.incrementAndGet();
            return List.of(new SearchHit("wal.txt#11", "wal.txt", "The checkpoint runs on COMMIT.", 0, 1,
                Map.of("source", "wal.txt")), new SearchHit("wal.txt#10", "wal.txt", "Keep the WAL small.", 50, 0.5,
                Map.of("source", "wal.txt"))).subList(0, Math.min(k, 2));
        }
    };

    @Test
    void ask_sendsThePromptToTheGenerator_recordsProvenance_cachesAndCounts() throws Exception {
        String ollamaReply = "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"On COMMIT [1].\"},"
                + "\"prompt_eval_count\":100,\"eval_count\":5}";
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, ollamaReply)) {
            OllamaGenerator gen = OllamaGenerator.builder().baseUrl(s.baseUrl()).model("llama3.2").build();
            CostTracker cost = CostTracker.builder().price("ollama:llama3.2", "1", "2").build();
            ResponseCache cache = ResponseCache.builder().clock(clock).build();
            RagPipeline p = RagPipeline.builder().retriever(retriever).generator(gen).index("idx-7", "minilm")
                    .cache(cache).costTracker(cost).clock(clock).ids(() -> "ans-1").build();

            Answer a = p.ask("alice", "When does the checkpoint run?");

            assertThat(a).isEqualTo(new Answer("ans-1", "When does the checkpoint run?", "On COMMIT [1].",
                    "rag-answer@v1", "idx-7", "minilm", "ollama:llama3.2", List.of("wal.txt#11", "wal.txt#10"), 100, 5,
                    Instant.parse("2026-01-01T00:00:00Z")));
            String sent = new ObjectMapper().readTree(s.requests.get(0).body()).path("messages").path(0)
                    .path("content").asText();
            assertThat(sent).isEqualTo(PromptTemplate.RAG_ANSWER.render(Map.of("question",
                    "When does the checkpoint run?", "context",
                    "[1] (wal.txt) The checkpoint runs on COMMIT.\n\n[2] (wal.txt) Keep the WAL small.")));
            // 100 * 1 / 1e6 + 5 * 2 / 1e6 = 0.00011
            assertThat(cost.usage().get("ollama:llama3.2").cost()).isEqualByComparingTo("0.00011");

            assertThat(p.ask("bob", "when does the checkpoint run?")).isEqualTo(a); // exact cache hit
            assertThat(s.requests).hasSize(1);
            assertThat(retrievals.get()).isEqualTo(1);
            assertThat(cache.stats()).isEqualTo(new ResponseCache.Stats(1, 0, 1));
        }
    }

    @Test
    void ask_defaultsToTheExtractiveGenerator_andRateLimitsPerCaller() {
        RateLimiter rl = RateLimiter.builder().capacity(1).refillPerSecond(0.001).clock(clock).build();
        RagPipeline p = RagPipeline.builder().retriever(retriever).index("v1", "none").rateLimiter(rl).build();
        Answer a = p.ask("alice", "when does the checkpoint run?");
        assertThat(a.generatorModelId()).isEqualTo("extractive");
        assertThat(a.text()).startsWith("The checkpoint runs on COMMIT. [1]");
        assertThatThrownBy(() -> p.ask("alice", "again?")).isInstanceOf(RateLimitedException.class);
        assertThat(p.ask("bob", "when?").chunkIds()).containsExactly("wal.txt#11", "wal.txt#10");
    }

    @Test
    void builder_rejectsAPromptWithOtherVariables() {
        assertThatThrownBy(() -> RagPipeline.builder().prompt(PromptTemplate.of("p", 1, "{{question}}")))
                .hasMessageContaining("[question, context]");
        assertThatThrownBy(() -> RagPipeline.builder().retriever(retriever).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
