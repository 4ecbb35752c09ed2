package dev.mlops.rag;

import java.util.List;
import java.util.Set;

/**
 * A metadata filter, applied inside the Lucene query (BM25 as a filter clause, HNSW as the
 * {@code KnnFloatVectorQuery} filter, so the k nearest are found among matching chunks, not
 * filtered afterwards). Fields are metadata keys, or {@code doc_id}. Filtering on a field no document
 * has, or with a value of the wrong type, is refused with an error naming the known fields.
 *
 * <pre>{@code
 * Filter f = Filter.and(Filter.eq("lang", "en"), Filter.range("year", 2019, 2024), Filter.not(Filter.in("source", Set.of("faq.txt"))));
 * }</pre>
 */
public sealed interface Filter {

    /** Matches every chunk. */
    record All() implements Filter {}

    /** Field equals value (String, Long/Integer, Double). */
    record Eq(String field, Object value) implements Filter {}

    /** Numeric field in [min, max] (both inclusive; use Long.MIN_VALUE/Double.NEGATIVE_INFINITY for open ends). */
    record Range(String field, Number min, Number max) implements Filter {}

    /** Field equals one of the values. */
    record In(String field, Set<?> values) implements Filter {}

    /** All of the filters. */
    record And(List<Filter> filters) implements Filter {}

    /** Any of the filters. */
    record Or(List<Filter> filters) implements Filter {}

    /** Not the filter. */
    record Not(Filter filter) implements Filter {}

    static Filter all() {
        return new All();
    }

    static Filter eq(String field, Object value) {
        return new Eq(field, value);
    }

    static Filter range(String field, Number min, Number max) {
        return new Range(field, min, max);
    }

    static Filter in(String field, Set<?> values) {
        return new In(field, Set.copyOf(values));
    }

    static Filter and(Filter... filters) {
        return new And(List.of(filters));
    }

    static Filter or(Filter... filters) {
        return new Or(List.of(filters));
    }

    static Filter not(Filter filter) {
        return new Not(filter);
    }
}
