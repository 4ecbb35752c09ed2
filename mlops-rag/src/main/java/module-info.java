/**
 * Retrieval-augmented generation: ingestion, embeddings, hybrid index, retrieval, generation and
 * evaluation.
 */
module dev.mlops.rag {
    requires dev.mlops.core;

    // No exports yet: javac rejects exporting a package that holds only package-info.java
    // ("package is empty or does not exist"). Export dev.mlops.rag (and its .spi package)
    // when the first type lands there; dev.mlops.rag.internal is never exported.
}
