package dev.mlops.rag;

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
}
