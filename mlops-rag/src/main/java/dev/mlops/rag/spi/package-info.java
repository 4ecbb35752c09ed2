/**
 * Extension interfaces of the RAG module: {@link dev.mlops.rag.spi.Embedder} for embedding models
 * other than the bundled ONNX ones.
 */
package dev.mlops.rag.spi;
