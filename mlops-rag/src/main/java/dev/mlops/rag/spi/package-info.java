/**
 * Extension interfaces of the RAG module: {@link dev.mlops.rag.spi.Embedder} for embedding models
 * other than the bundled ONNX ones, and {@link dev.mlops.rag.spi.Generator} for answer generators
 * (with its request, message and result records).
 */
package dev.mlops.rag.spi;
