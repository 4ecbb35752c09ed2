package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import dev.mlops.rag.spi.Generator;
import java.util.Objects;

/**
 * The default {@link Generator}: no LLM, the {@link ExtractiveAnswerer} over the request's question and
 * context (the messages are ignored). Model id {@code extractive}, or {@code extractive+<embedder id>}
 * when sentences are scored with an embedder; token counts are 0.
 */
public final class ExtractiveGenerator implements Generator {

    private final ExtractiveAnswerer answerer;
    private final String modelId;

    private ExtractiveGenerator(ExtractiveAnswerer answerer, String modelId) {
        this.answerer = answerer;
        this.modelId = modelId;
    }

    /** Overlap scoring only. */
    public static ExtractiveGenerator create() {
        return new ExtractiveGenerator(ExtractiveAnswerer.builder().build(), "extractive");
    }

    /** Overlap and embedding similarity, {@code maxSentences} sentences. */
    public static ExtractiveGenerator create(Embedder embedder, int maxSentences) {
        Objects.requireNonNull(embedder, "embedder");
        return new ExtractiveGenerator(ExtractiveAnswerer.builder().embedder(embedder).maxSentences(maxSentences)
                .build(), "extractive+" + embedder.modelId());
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        return new Generation(answerer.answer(request.question(), request.context()).text(), modelId, 0, 0);
    }
}
