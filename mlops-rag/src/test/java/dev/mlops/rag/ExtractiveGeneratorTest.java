package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.rag.spi.GenerationRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveGeneratorTest {

    @Test
    void generate_isTheExtractiveAnswerOverTheContext() {
        List<SearchHit> hits = List.of(new SearchHit("d#0", "d", "Checkpoints move WAL content into the database. "
                + "Unrelated sentence about the weather today.", 0, 1, Map.of()));
        GenerationRequest req = new GenerationRequest("what do checkpoints move?", hits, List.of());
        String expected = ExtractiveAnswerer.builder().maxSentences(3).build().answer(req.question(), hits).text();

        var g = ExtractiveGenerator.create().generate(req);

        assertThat(g.text()).isEqualTo(expected).startsWith("Checkpoints move WAL content into the database. [1]");
        assertThat(g.model()).isEqualTo("extractive");
        assertThat(g.inputTokens()).isZero();
        assertThat(ExtractiveGenerator.create(new HashingEmbedder(), 2).modelId())
                .isEqualTo("extractive+test/hashing-64");
    }
}
