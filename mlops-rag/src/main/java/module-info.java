/**
 * Retrieval-augmented generation: ingestion, embeddings, hybrid index, retrieval, generation and
 * evaluation.
 */
module dev.mlops.rag {
    requires transitive dev.mlops.core;
    requires com.microsoft.onnxruntime;
    requires org.apache.lucene.core;
    requires org.apache.lucene.analysis.common;
    requires java.net.http;
    requires org.jsoup;
    requires org.apache.pdfbox;
    requires commons.math3;

    exports dev.mlops.rag;
    exports dev.mlops.rag.spi;
}
