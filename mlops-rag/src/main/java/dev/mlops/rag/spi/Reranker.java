package dev.mlops.rag.spi;

import dev.mlops.rag.SearchHit;
import java.util.List;

/**
 * Reorders a retriever's candidates for a query and keeps the best {@code k}: the optional second stage
 * after retrieval (a cross-encoder, a diversity re-ranker such as {@code MmrReranker}, an LLM judge).
 * Attach one with {@link dev.mlops.rag.Retriever#reranked(Reranker, int)}.
 *
 * <p>Contract: the result holds at most {@code k} hits, each one of the given candidates (same chunk
 * id, text and metadata; the score may be replaced by the re-ranker's own), best first, with no chunk
 * twice. An empty candidate list gives an empty result. Implementations are thread-safe.
 */
public interface Reranker {

    /** A short name for reports, e.g. {@code mmr0.50}. */
    String name();

    /**
     * Reorders {@code candidates} (best first as the retriever ranked them) for {@code query}.
     *
     * @param k how many to keep, {@code >= 1}
     */
    List<SearchHit> rerank(String query, List<SearchHit> candidates, int k);
}
