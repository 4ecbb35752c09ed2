/** Implementation of the RAG module (ONNX runtime, Lucene); not exported. */
package dev.mlops.rag.internal;
