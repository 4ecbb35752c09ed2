package dev.mlops.rag;

import java.util.Map;

/**
 * One retrieved chunk: its id ({@code <documentId>#<n>}), document id, text, start offset in the
 * document, metadata and the retriever's score (BM25 score, cosine similarity, or fused score).
 */
public record SearchHit(String chunkId, String documentId, String text, int start, double score,
        Map<String, Object> metadata) {

    /** The same hit with another score (fusion). */
    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, documentId, text, start, newScore, metadata);
    }
}
