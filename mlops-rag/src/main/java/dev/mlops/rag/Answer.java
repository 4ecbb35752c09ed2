package dev.mlops.rag;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A generated answer with its provenance: id (what feedback refers to), question, text, the prompt
 * ({@code promptId} = {@code name@vN}), the index version and embedding model the chunks came from,
 * the generator's model id, the retrieved chunk ids in retrieval order, token counts and when it was
 * made.
 *
 * <p>{@code indexVersion} is whatever the caller uses to version its index (a release tag, the
 * ingest's commit id, a data fingerprint); a new value invalidates cached answers.
 */
public record Answer(String id, String question, String text, String promptId, String indexVersion,
        String embeddingModelId, String generatorModelId, List<String> chunkIds, long inputTokens,
        long outputTokens, Instant createdAt) {

    public Answer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(promptId, "promptId");
        Objects.requireNonNull(indexVersion, "indexVersion");
        Objects.requireNonNull(embeddingModelId, "embeddingModelId");
        Objects.requireNonNull(generatorModelId, "generatorModelId");
        Objects.requireNonNull(createdAt, "createdAt");
        chunkIds = List.copyOf(chunkIds);
    }

    /** The cache key this answer belongs to. */
    public ResponseCache.Key cacheKey() {
        return new ResponseCache.Key(indexVersion, embeddingModelId, promptId, generatorModelId);
    }
}
