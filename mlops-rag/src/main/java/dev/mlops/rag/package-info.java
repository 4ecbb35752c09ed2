/**
 * RAG API: document loaders and splitters, the ONNX sentence embedder, the Lucene hybrid index
 * (vectors, BM25 and fusion), retrievers, generators (extractive, Ollama, OpenAI-compatible),
 * versioned prompts, the answer pipeline with its response cache, rate limiter and cost tracker,
 * answer feedback, re-ranking (MMR), and evaluation: IR metrics, Ragas-style answer metrics, paired A/B
 * significance tests and tracked evaluation runs.
 */
package dev.mlops.rag;
