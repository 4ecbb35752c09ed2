package dev.mlops.rag.spi;

/**
 * Produces an answer text from a {@link GenerationRequest}. Implementations are thread-safe.
 * Failures are {@link dev.mlops.core.MlopsException}s: retriable ones (server down, 5xx, 429 after the
 * generator's own retries) are {@link dev.mlops.core.RetriableException}s, the rest (bad request,
 * unknown model, malformed response) non-retriable.
 *
 * <p>Implementations: {@code ExtractiveGenerator} (no LLM, the default), {@code OllamaGenerator}
 * ({@code /api/chat}) and {@code OpenAiChatGenerator} ({@code /v1/chat/completions}).
 */
public interface Generator {

    /** The model id that goes into cache keys and answers, e.g. {@code llama3.2:1b}. */
    String modelId();

    /** Generates one answer. */
    Generation generate(GenerationRequest request);
}
