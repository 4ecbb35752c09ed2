package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.rag.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    static Embedder minilm;

    @BeforeAll
    static void load() {
        minilm = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).batchSize(4).threads(1).build();
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void vectors_haveUnitNormAndModelDimension() {
        assertThat(minilm.dimension()).isEqualTo(384);
        assertThat(minilm.maxTokens()).isEqualTo(256);
        assertThat(minilm.modelHash()).startsWith("sha256:");
        for (float[] v : minilm.embed(List.of("a", "The cat sits on the mat.", "x ".repeat(600)))) {
            assertThat(v).hasSize(384);
            assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void paraphrases_areCloserThanUnrelatedSentences() {
        List<float[]> v = minilm.embed(List.of(
                "How do I reset my password?",
                "What is the procedure to change a forgotten password?",
                "The mitochondria is the powerhouse of the cell.",
                "SQLite writes changes to a write-ahead log before the database file.",
                "In WAL mode, SQLite appends commits to a separate log file."));
        assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.3);
        assertThat(dot(v.get(3), v.get(4))).isGreaterThan(dot(v.get(3), v.get(2)) + 0.3);
        assertThat(dot(v.get(3), v.get(4))).isGreaterThan(dot(v.get(3), v.get(0)) + 0.3);
    }

    @Test
    void padding_inABatch_doesNotChangeAVector() {
        // a short text batched with a long one is padded; the attention mask must hide the padding
        String shortText = "short sentence";
        List<String> batch = new ArrayList<>(List.of(shortText, "a much longer sentence that forces padding of the short one in the same batch"));
        float[] alone = minilm.embed(shortText);
        float[] padded = minilm.embed(batch).get(0);
        for (int i = 0; i < alone.length; i++) {
            assertThat(padded[i]).isCloseTo(alone[i], within(1e-4f));
        }
        // order is kept although batches are sorted by length internally
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add("sentence number " + i + " ".repeat(i) + "word ".repeat(i * 3));
        }
        List<float[]> all = minilm.embed(many);
        assertThat(dot(all.get(7), minilm.embed(many.get(7)))).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void int8AndBge_loadFromTheirJars() {
        try (Embedder q = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2_Q).threads(1).build();
                Embedder bge = OnnxEmbedder.builder().model(EmbeddingModel.BGE_SMALL_EN_V15).threads(1).build()) {
            String s = "Vitamin D deficiency is associated with an increased risk of fractures.";
            // the quantized model approximates the fp32 one
            assertThat(dot(q.embed(s), minilm.embed(s))).isGreaterThan(0.9);
            assertThat(q.modelHash()).isNotEqualTo(minilm.modelHash());
            assertThat(bge.dimension()).isEqualTo(384);
            assertThat(bge.maxTokens()).isEqualTo(512);
            List<float[]> v = bge.embed(List.of("How do I reset my password?",
                    "What is the procedure to change a forgotten password?", "Lions live in Africa."));
            assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)));
        }
    }

    @Test
    void builder_failsFastOnBadSettings() {
        assertThatThrownBy(() -> OnnxEmbedder.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> OnnxEmbedder.builder().maxTokens(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> OnnxEmbedder.builder().batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
