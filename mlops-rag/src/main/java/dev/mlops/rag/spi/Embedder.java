package dev.mlops.rag.spi;

import java.util.List;

/**
 * Turns texts into fixed-size vectors. Implementations are thread-safe; {@link #close()} releases
 * native resources. The index stores {@link #modelId()} and {@link #modelHash()} and refuses an
 * embedder whose pair differs, so two embedders with equal ids and hashes must produce the same
 * vectors.
 */
public interface Embedder extends AutoCloseable {

    /** A stable name of the model, e.g. {@code sentence-transformers/all-MiniLM-L6-v2}. */
    String modelId();

    /** A content hash of the model's weights and settings, {@code sha256:<hex>}. */
    String modelHash();

    /** The length of every vector. */
    int dimension();

    /** Whether the vectors have unit length (then dot product equals cosine). */
    boolean normalized();

    /** The model window in tokens, specials included; longer input is truncated. */
    int maxTokens();

    /** Counts the tokens the model would see for a text (no specials, no truncation). */
    int countTokens(String text);

    /** Embeds texts, in order; one vector per text. */
    List<float[]> embed(List<String> texts);

    /** Embeds one text. */
    default float[] embed(String text) {
        return embed(List.of(text)).get(0);
    }

    @Override
    default void close() {}
}
