/**
 * RAG API: document loaders and splitters, the ONNX sentence embedder, the Lucene hybrid index
 * (vectors, BM25 and fusion), retrievers, generators (extractive, Ollama, OpenAI-compatible),
 * versioned prompts, the answer pipeline with its response cache, rate limiter and cost tracker,
 * answer feedback, and retrieval evaluation.
 */
package dev.mlops.rag;
