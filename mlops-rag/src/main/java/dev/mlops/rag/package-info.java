/**
 * RAG API: document loaders and splitters, the ONNX sentence embedder, the Lucene hybrid index
 * (vectors, BM25 and fusion), retrievers, generators and retrieval evaluation.
 */
package dev.mlops.rag;
