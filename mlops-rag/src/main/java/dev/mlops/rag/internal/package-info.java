/** Implementation of the RAG module (ONNX runtime, Lucene, the HTTP chat client); not exported. */
package dev.mlops.rag.internal;
