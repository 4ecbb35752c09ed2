/**
 * Extension interfaces of the RAG module: {@link dev.mlops.rag.spi.Embedder} for embedding models
 * other than the bundled ONNX ones, {@link dev.mlops.rag.spi.Generator} for answer generators
 * (with its request, message and result records), and {@link dev.mlops.rag.spi.Reranker} for a second,
 * re-ranking stage after retrieval.
 */
package dev.mlops.rag.spi;
