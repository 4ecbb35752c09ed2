package dev.mlops.rag;

import dev.mlops.rag.internal.LuceneRagIndex;
import dev.mlops.rag.spi.Embedder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * One collection of chunks in one home directory: a Lucene 10 index holding, per chunk, its text
 * (BM25 over an English analyzer: standard tokenizer, possessive removal, lowercasing, English stop
 * words, Porter stemming), its HNSW vector ({@code KnnFloatVectorField}, dot product on unit vectors,
 * cosine otherwise) and its metadata (strings as keyword fields, numbers as points), so that
 * filters run inside the queries.
 *
 * <pre>{@code
 * try (Embedder embedder = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build();
 *      RagIndex index = RagIndex.builder().home(Path.of("rag-index")).embedder(embedder).build()) {
 *     index.upsert(List.of(new Document("wal", "WAL mode appends ...", Map.of("source", "wal.txt"))));
 *     List<SearchHit> hits = index.hybrid(Fusion.reciprocalRank()).retrieve("how does WAL work", 5);
 * }
 * }</pre>
 *
 * <p><b>Model binding.</b> The first open records the embedder's {@code modelId} and {@code modelHash}
 * in the index's commit data; opening it with any other embedder throws
 * {@link EmbeddingModelMismatchException}.
 *
 * <p><b>Incremental ingest.</b> Documents are identified by id and {@link Document#contentHash()}:
 * an unchanged document costs one term lookup, a changed one is re-split and re-embedded and its old
 * chunks replaced, {@link #sync} also deletes documents that are not in the given set.
 *
 * <p><b>Crash safety.</b> Each call embeds everything first, then applies all changes and makes one
 * Lucene commit; a failure before the commit rolls the changes back, and a process killed at any
 * instant leaves the last commit, which reopens cleanly. One {@code RagIndex} per directory at a
 * time (Lucene's write lock); a second opener gets a clear error.
 *
 * <p><b>Generations.</b> The home's {@code CURRENT} file names the directory ({@code gen-<n>}) whose
 * Lucene index serves. {@link #reembed} builds {@code gen-<n+1>} with another embedding model beside
 * it and switches {@code CURRENT} atomically; a crash before the switch leaves the old generation
 * serving, and leftovers are deleted on the next open. An index written before generations existed
 * (Lucene files in the home itself) still opens. Vectors may be stored int8-quantized for the HNSW
 * search ({@link Builder#quantization}).
 */
public interface RagIndex extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** Adds new documents and replaces changed ones; one commit at the end. */
    IngestReport upsert(Collection<Document> documents);

    /** {@link #upsert} plus deletion of every indexed document whose id is not among {@code documents}. */
    IngestReport sync(Collection<Document> documents);

    /** {@link #upsert(Collection)}, reporting what it plans, each embedding batch and the commit. */
    IngestReport upsert(Collection<Document> documents, IngestProgress progress);

    /** {@link #sync(Collection)}, reporting what it plans, each embedding batch and the commit. */
    IngestReport sync(Collection<Document> documents, IngestProgress progress);

    /**
     * Re-embedding migration to another embedding model, chunks cut by a {@link TokenSplitter} fitted
     * to it: see {@link #reembed(Embedder, Splitter, IngestProgress)}.
     */
    RagIndex reembed(Embedder embedder);

    /**
     * Re-embedding migration: builds a new generation of this index beside the serving one, with
     * {@code embedder} and {@code splitter}, from the source text and metadata stored with every
     * document, then switches the home to it atomically and returns it, open.
     *
     * <p>While it runs, queries on this index keep working and writes to it wait. The new
     * generation is written in batches (one commit per ~1,024 chunks) into {@code gen-<n>} and only
     * becomes the one that serves when the home's {@code CURRENT} file is replaced (write a temporary
     * file, fsync, atomic rename, fsync the directory). A failure or a process killed before that
     * instant leaves this generation serving; the partial one is deleted (now, or by the next open).
     * After the switch, this index still answers queries until it is closed, refuses writes
     * ({@link IllegalStateException} naming the new generation), and its files are deleted when it is
     * closed. Opening the home with the old embedder then fails with
     * {@link EmbeddingModelMismatchException}. Document ids and content hashes are kept, so a later
     * {@link #sync} of unchanged documents does no work.
     *
     * @throws IllegalArgumentException the embedder has this index's model id and hash
     * @throws dev.mlops.core.NonRetriableException a document has no stored source text (ingested by
     *         a release that did not keep it)
     */
    RagIndex reembed(Embedder embedder, Splitter splitter, IngestProgress progress);

    /**
     * The generation serving in the home: {@code gen-<n>}, increased by every re-embedding
     * migration ({@code .} for an index written before generations existed, in the home itself).
     */
    String generation();

    /** Deletes documents (all their chunks) by id; unknown ids are ignored. One commit. */
    IngestReport delete(Collection<String> documentIds);

    /** The content hash recorded for a document, if it is indexed. */
    Optional<String> documentHash(String documentId);

    /** Number of indexed documents (committed). */
    int documentCount();

    /** Number of indexed chunks (committed). */
    int chunkCount();

    /** The embedding model id recorded in the index. */
    String modelId();

    /** The embedding model hash recorded in the index. */
    String modelHash();

    /** How the vectors are stored for HNSW search (fixed when the index was created). */
    VectorQuantization quantization();

    /** The home directory. */
    Path home();

    /** BM25 over chunk text. */
    Retriever bm25();

    /** HNSW nearest neighbours, asking the graph for {@code max(k, 100)} candidates. */
    Retriever dense();

    /** HNSW nearest neighbours, asking the graph for {@code max(k, candidates)} candidates. */
    Retriever dense(int candidates);

    /** Exact (brute-force) nearest neighbours: the reference for HNSW recall and for benchmarks. */
    Retriever exactDense();

    /** Dense (first) and BM25 (second), {@code max(k, 100)} candidates each, fused. */
    Retriever hybrid(Fusion fusion);

    /** Hybrid of any retrievers over this index, fused. */
    Retriever hybrid(Fusion fusion, int candidates, Retriever... retrievers);

    @Override
    void close();

    /** Settings of a {@link RagIndex}. */
    final class Builder {
        private Path home;
        private Embedder embedder;
        private Splitter splitter;
        private float bm25K1 = 0.9f;
        private float bm25B = 0.4f;
        private MeterRegistry meterRegistry;
        private VectorQuantization quantization;

        private Builder() {}

        /** The directory holding the index (created if missing). Required. */
        public Builder home(Path home) {
            if (home == null) {
                throw new IllegalArgumentException("home must not be null");
            }
            this.home = home;
            return this;
        }

        /**
         * The embedder (not closed by the index). Without one the index is text-only: BM25 and filters
         * work, dense and hybrid retrieval are refused, and it records the model id {@code none}.
         */
        public Builder embedder(Embedder embedder) {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder must not be null");
            }
            this.embedder = embedder;
            return this;
        }

        /** How documents become chunks; default a {@link TokenSplitter} fitted to the embedder's window. */
        public Builder splitter(Splitter splitter) {
            if (splitter == null) {
                throw new IllegalArgumentException("splitter must not be null");
            }
            this.splitter = splitter;
            return this;
        }

        /** BM25 parameters; default k1 = 0.9, b = 0.4 (Anserini's BEIR setting). */
        public Builder bm25(float k1, float b) {
            if (!(k1 >= 0) || !(b >= 0 && b <= 1)) {
                throw new IllegalArgumentException("bm25 needs k1 >= 0 and b in [0, 1], was k1=" + k1 + ", b=" + b);
            }
            this.bm25K1 = k1;
            this.bm25B = b;
            return this;
        }

        /**
         * How a new index stores vectors for HNSW search; default {@link VectorQuantization#NONE}. An
         * existing index keeps what it was created with (recorded in its commit data); asking an
         * existing index for another setting is refused. A re-embedding migration keeps the setting.
         */
        public Builder quantization(VectorQuantization quantization) {
            if (quantization == null) {
                throw new IllegalArgumentException("quantization must not be null; use VectorQuantization.NONE");
            }
            this.quantization = quantization;
            return this;
        }

        /** Where meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            if (registry == null) {
                throw new IllegalArgumentException("meterRegistry must not be null");
            }
            this.meterRegistry = registry;
            return this;
        }

        /** Opens (or creates) the index. */
        public RagIndex build() {
            if (home == null) {
                throw new IllegalStateException("home(Path) is required");
            }
            Embedder e = embedder != null ? embedder : new dev.mlops.rag.internal.TextOnly();
            Splitter s = splitter != null ? splitter
                    : embedder != null ? TokenSplitter.builder().embedder(embedder).build()
                    : RecursiveCharacterSplitter.builder().build();
            return LuceneRagIndex.open(home, e, s, bm25K1, bm25B, quantization,
                    meterRegistry != null ? meterRegistry : new SimpleMeterRegistry());
        }
    }
}
