package dev.mlops.rag;

import dev.mlops.rag.spi.Reranker;
import java.util.List;

/** Finds the chunks that best match a query. Thread-safe. */
public interface Retriever {

    /** A short name for reports, e.g. {@code bm25}, {@code dense}, {@code hybrid-rrf60}. */
    String name();

    /** The best {@code k} hits among the chunks that pass {@code filter}, best first. */
    List<SearchHit> retrieve(String query, int k, Filter filter);

    /** The best {@code k} hits over all chunks. */
    default List<SearchHit> retrieve(String query, int k) {
        return retrieve(query, k, Filter.all());
    }

    /**
     * This retriever followed by a re-ranking stage: it retrieves {@code max(k, candidates)} hits and
     * lets {@code reranker} choose and order the best {@code k} of them. The name is
     * {@code <this name>+<reranker name>}, e.g. {@code hybrid-rrf60+mmr0.50}.
     */
    default Retriever reranked(Reranker reranker, int candidates) {
        if (reranker == null) {
            throw new IllegalArgumentException("reranker must not be null");
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
        }
        Retriever first = this;
        String name = first.name() + "+" + reranker.name();
        return new Retriever() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<SearchHit> retrieve(String query, int k, Filter filter) {
                if (k < 1) {
                    throw new IllegalArgumentException("k must be >= 1, was " + k);
                }
                List<SearchHit> pool = first.retrieve(query, Math.max(k, candidates), filter);
                return List.copyOf(reranker.rerank(query, pool, k));
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
