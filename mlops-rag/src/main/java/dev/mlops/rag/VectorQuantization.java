package dev.mlops.rag;

/**
 * How a {@link RagIndex} stores its HNSW vectors.
 * <ul>
 *   <li>{@link #NONE}: 32-bit floats, Lucene's {@code Lucene99HnswVectorsFormat} (M = 16, beam 100);
 *   <li>{@link #INT8}: Lucene's scalar-quantized HNSW format
 *       ({@code Lucene104HnswScalarQuantizedVectorsFormat}, unsigned-byte encoding, M = 16, beam 100):
 *       the graph is built and searched over 8-bit codes (one byte per dimension instead of four, with
 *       a per-vector correction), while the raw floats are kept beside them, so exact search and
 *       re-indexing still see the original vectors.
 * </ul>
 * The choice is recorded in the index's commit data ({@code mlops.vectors.quantization}); opening an
 * index with the other choice is refused, because segments written with different formats would mix.
 */
public enum VectorQuantization {
    NONE,
    INT8;

    /** The lower-case name recorded in the index, e.g. {@code int8}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
