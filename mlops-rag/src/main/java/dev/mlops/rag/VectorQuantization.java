package dev.mlops.rag;

/**
 * How a {@link RagIndex} stores its vectors for the HNSW graph. Chosen when the index is created
 * and recorded in it (opening an index with the other choice is refused, because segments written
 * with different formats would mix); the raw float vectors are always kept too (exact search and
 * re-embedding use them).
 */
public enum VectorQuantization {
    /** 32-bit floats (Lucene's {@code Lucene99HnswVectorsFormat}, M = 16, beam 100). */
    NONE,
    /**
     * 8 bits per dimension (Lucene's {@code Lucene104HnswScalarQuantizedVectorsFormat},
     * {@code UNSIGNED_BYTE} encoding, M = 16, beam 100): about a quarter of the vector memory for the
     * graph search, scores computed on the quantized vectors and therefore approximate.
     */
    INT8;

    /** The lower-case name, e.g. {@code int8} (used in tracked parameters and benchmark output). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
