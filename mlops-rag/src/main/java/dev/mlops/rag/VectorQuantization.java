package dev.mlops.rag;

/**
 * How a {@link RagIndex} stores its vectors for the HNSW graph. Chosen when the index is created
 * and recorded in it; the raw float vectors are always kept too (exact search and re-embedding use
 * them).
 */
public enum VectorQuantization {
    /** 32-bit floats (Lucene's {@code Lucene99HnswVectorsFormat}). */
    NONE,
    /**
     * 8 bits per dimension (Lucene's {@code Lucene104HnswScalarQuantizedVectorsFormat},
     * {@code UNSIGNED_BYTE} encoding): about a quarter of the vector memory for the graph search,
     * scores computed on the quantized vectors and therefore approximate.
     */
    INT8
}
