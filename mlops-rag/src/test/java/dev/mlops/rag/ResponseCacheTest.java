package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.rag.spi.Embedder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** Fixed 2-d vectors per text; cosines computed by hand in the tests. */
    private static final class TableEmbedder implements Embedder {
        private final Map<String, float[]> table;

        TableEmbedder(Map<String, float[]> table) {
            this.table = table;
        }

        public String modelId() {
            return "table";
        }

        public String modelHash() {
            return "sha256:0";
        }

        public int dimension() {
            return 2;
        }

        public boolean normalized() {
            return false;
        }

        public int maxTokens() {
            return 512;
        }

        public int countTokens(String text) {
            return 1;
        }

        public List<float[]> embed(List<String> texts) {
            return texts.stream().map(t -> table.getOrDefault(t, new float[] {0, 1})).toList();
        }
    }

    private static Answer answer(String text, String index, String prompt, String model) {
        return new Answer("id-" + text, "q", text, prompt, index, "emb", model, List.of("d#0"), 1, 2,
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static final Answer A = answer("A", "idx-1", "rag-answer@v1", "ollama:m");

    @Test
    void exact_matchesNormalisedQuestion_onlyUnderTheSameKey() {
        ResponseCache c = ResponseCache.builder().clock(clock).build();
        c.put("What is  WAL?", A);
        assertThat(c.get(A.cacheKey(), "  what is wal? ")).get()
                .isEqualTo(new ResponseCache.Hit(A, ResponseCache.HitKind.EXACT, 1.0));
        // a new index version, prompt version, embedding model or generator model: miss
        assertThat(c.get(new ResponseCache.Key("idx-2", "emb", "rag-answer@v1", "ollama:m"), "what is wal?")).isEmpty();
        assertThat(c.get(new ResponseCache.Key("idx-1", "emb", "rag-answer@v2", "ollama:m"), "what is wal?")).isEmpty();
        assertThat(c.get(new ResponseCache.Key("idx-1", "emb2", "rag-answer@v1", "ollama:m"), "what is wal?")).isEmpty();
        assertThat(c.get(new ResponseCache.Key("idx-1", "emb", "rag-answer@v1", "openai:m"), "what is wal?")).isEmpty();
        assertThat(c.get(A.cacheKey(), "what is a wal?")).isEmpty();
        assertThat(c.stats()).isEqualTo(new ResponseCache.Stats(1, 0, 5));
        assertThat(c.stats().hitRate()).isEqualTo(1.0 / 6);
    }

    @Test
    void ttl_servesStrictlyBeforeExpiry() {
        ResponseCache c = ResponseCache.builder().clock(clock).ttl(Duration.ofMinutes(10)).build();
        c.put("q", A);
        clock.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(c.get(A.cacheKey(), "q")).isPresent();
        clock.advance(Duration.ofNanos(1));
        assertThat(c.get(A.cacheKey(), "q")).isEmpty();
        assertThat(c.size()).isZero();
    }

    @Test
    void semantic_hitAtOrAboveThreshold() {
        // cos((1,0),(0.8,0.6)) = 0.8; cos((1,0),(0.6,0.8)) = 0.6
        TableEmbedder e = new TableEmbedder(Map.of("stored", new float[] {1, 0}, "close", new float[] {0.8f, 0.6f},
                "far", new float[] {0.6f, 0.8f}));
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        ResponseCache c = ResponseCache.builder().clock(clock).semantic(e, 0.75).meterRegistry(reg).build();
        c.put("stored", A);
        ResponseCache.Hit hit = c.get(A.cacheKey(), "close").orElseThrow();
        assertThat(hit.kind()).isEqualTo(ResponseCache.HitKind.SEMANTIC);
        assertThat(hit.similarity()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.get(A.cacheKey(), "far")).isEmpty();
        assertThat(c.get(new ResponseCache.Key("idx-2", "emb", "rag-answer@v1", "ollama:m"), "close")).isEmpty();
        assertThat(reg.get("mlops.rag.cache.lookups").tag("result", "semantic").counter().count()).isEqualTo(1);
        assertThat(reg.get("mlops.rag.cache.lookups").tag("result", "miss").counter().count()).isEqualTo(2);
        assertThat(reg.get("mlops.rag.cache.size").gauge().value()).isEqualTo(1);
    }

    @Test
    void semantic_picksTheMostSimilarEntry() {
        // cos((1,0),(0.8,0.6)) = 0.8; cos((0.6,0.8),(0.8,0.6)) = 0.96
        TableEmbedder e = new TableEmbedder(Map.of("s1", new float[] {1, 0}, "s2", new float[] {0.6f, 0.8f},
                "q", new float[] {0.8f, 0.6f}));
        ResponseCache c = ResponseCache.builder().clock(clock).semantic(e, 0.5).build();
        Answer b = answer("B", "idx-1", "rag-answer@v1", "ollama:m");
        c.put("s1", A);
        c.put("s2", b);
        assertThat(c.get(A.cacheKey(), "q").orElseThrow().answer()).isEqualTo(b);
    }

    @Test
    void lru_evictsLeastRecentlyUsed() {
        ResponseCache c = ResponseCache.builder().clock(clock).maxEntries(2).build();
        c.put("one", A);
        c.put("two", A);
        assertThat(c.get(A.cacheKey(), "one")).isPresent(); // "two" is now least recent
        c.put("three", A);
        assertThat(c.get(A.cacheKey(), "two")).isEmpty();
        assertThat(c.get(A.cacheKey(), "one")).isPresent();
        assertThat(c.get(A.cacheKey(), "three")).isPresent();
    }

    @Test
    void builder_validates() {
        assertThatThrownBy(() -> ResponseCache.builder().semantic(new TableEmbedder(Map.of()), 0))
                .hasMessageContaining("(0, 1], was 0.0");
        assertThatThrownBy(() -> ResponseCache.builder().ttl(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> ResponseCache.builder().maxEntries(0)).hasMessageContaining("was 0");
    }
}
