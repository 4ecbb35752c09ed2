package dev.mlops.rag.internal;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.rag.Document;
import dev.mlops.rag.EmbeddingModelMismatchException;
import dev.mlops.rag.Filter;
import dev.mlops.rag.Fusion;
import dev.mlops.rag.IngestProgress;
import dev.mlops.rag.IngestReport;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.SearchHit;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.TextSpan;
import dev.mlops.rag.VectorQuantization;
import dev.mlops.rag.spi.Embedder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RagIndex} on one Lucene index directory. */
public final class LuceneRagIndex implements RagIndex {

    private static final Logger LOG = LoggerFactory.getLogger(LuceneRagIndex.class);

    static final String CHUNK_ID = "chunk_id";
    static final String DOC_ID = "doc_id";
    static final String DOC_HASH = "doc_hash";
    static final String FIRST = "first";
    static final String START = "start";
    static final String DOC_TEXT = "doc_text";
    static final String TEXT = "text";
    static final String VEC = "vec";
    static final String META = "m.";
    static final String KEY_MODEL = "mlops.model.id";
    static final String KEY_HASH = "mlops.model.hash";
    static final String KEY_DIM = "mlops.model.dimension";
    static final String KEY_SCHEMA = "mlops.schema";
    static final String KEY_QUANTIZATION = "mlops.vectors.quantization";

    private final Path home;
    private final Embedder embedder;
    private final Splitter splitter;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final BM25Similarity similarity;
    private final VectorSimilarityFunction vectorFunction;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Map<String, Character> schema = new TreeMap<>(); // key -> 's' | 'l' | 'd'
    private final MeterRegistry meters;
    private final Counter chunksEmbedded;
    private final Object writeLock = new Object();
    private final Path dataDir;
    private final String generation;
    private final float k1;
    private final float b;
    private volatile boolean failed;
    private volatile boolean closed;
    private volatile String retiredTo;
    private VectorQuantization quantization;

    /**
     * Opens the index serving in {@code home} (the generation named by {@code CURRENT}, or a legacy
     * index in the home itself), or creates generation {@code gen-1}; then deletes what crashed
     * migrations or retired generations left behind.
     */
    public static LuceneRagIndex open(Path home, Embedder embedder, Splitter splitter, float k1, float b,
            VectorQuantization quantization, MeterRegistry meters) {
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "creating the index directory failed: " + e, e);
        }
        return IndexHome.locked(home, () -> {
            Optional<String> current = IndexHome.readCurrent(home);
            String gen;
            boolean create = false;
            if (current.isPresent()) {
                gen = current.get();
            } else if (legacyIndexIn(home)) {
                gen = IndexHome.LEGACY;
            } else {
                gen = IndexHome.nextGeneration(home);
                create = true;
            }
            LuceneRagIndex index = new LuceneRagIndex(home, gen, embedder, splitter, k1, b, quantization, meters);
            if (create) {
                try {
                    IndexHome.writeCurrent(home, gen);
                } catch (RuntimeException e) {
                    index.close();
                    throw e;
                }
            }
            IndexHome.deleteStale(home, gen);
            return index;
        });
    }

    private static boolean legacyIndexIn(Path home) {
        try (Directory d = FSDirectory.open(home)) {
            return DirectoryReader.indexExists(d);
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "reading the index failed: " + e, e);
        }
    }

    private LuceneRagIndex(Path home, String generation, Embedder embedder, Splitter splitter, float k1, float b,
            VectorQuantization requested, MeterRegistry meters) {
        this.home = home;
        this.generation = generation;
        this.dataDir = generation.equals(IndexHome.LEGACY) ? home : home.resolve(generation);
        this.k1 = k1;
        this.b = b;
        this.embedder = embedder;
        this.splitter = splitter;
        this.similarity = new BM25Similarity(k1, b);
        this.vectorFunction = embedder.normalized() ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.COSINE;
        this.meters = meters;
        this.chunksEmbedded = Counter.builder("mlops.rag.ingest.chunks").description("chunks embedded and indexed")
                .register(meters);
        Directory dir = null;
        IndexWriter w = null;
        try {
            Files.createDirectories(dataDir);
            dir = FSDirectory.open(dataDir);
            boolean exists = DirectoryReader.indexExists(dir);
            if (exists) {
                Map<String, String> data = SegmentInfos.readLatestCommit(dir).getUserData();
                String model = data.get(KEY_MODEL);
                String hash = data.get(KEY_HASH);
                if (model == null || hash == null) {
                    throw new StoreCorruptedException(home, "the Lucene index has no embedding model in its commit data",
                            "this directory holds an index not written by RagIndex; use an empty directory");
                }
                if (!model.equals(embedder.modelId()) || !hash.equals(embedder.modelHash())) {
                    throw new EmbeddingModelMismatchException(home.toString(), model, hash, embedder.modelId(), embedder.modelHash());
                }
                readSchema(data.getOrDefault(KEY_SCHEMA, ""));
                VectorQuantization recorded = VectorQuantization.valueOf(data.getOrDefault(KEY_QUANTIZATION, "NONE"));
                if (requested != null && requested != recorded) {
                    throw new IllegalArgumentException("index " + home + " stores its vectors with quantization " + recorded
                            + ", not " + requested + "; the setting is fixed when an index is created. Fix: leave"
                            + " quantization unset to open it, or build a new index");
                }
                this.quantization = recorded;
            } else {
                this.quantization = requested == null ? VectorQuantization.NONE : requested;
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setSimilarity(similarity)
                    .setCodec(codec(quantization))
                    .setCommitOnClose(false)
                    .setRAMBufferSizeMB(64);
            w = new IndexWriter(dir, config);
            if (!exists) {
                w.setLiveCommitData(commitData().entrySet());
                w.commit();
            }
            this.directory = dir;
            this.writer = w;
            this.searchers = new SearcherManager(w, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                        org.apache.lucene.index.IndexReader previous) {
                    IndexSearcher s = new IndexSearcher(reader);
                    s.setSimilarity(similarity);
                    return s;
                }
            });
        } catch (LockObtainFailedException e) {
            closeQuietly(w, dir);
            throw new NonRetriableException("index " + home + " is already open for writing (by another RagIndex in"
                    + " this or another process). Fix: close that one first; one writer per index directory", e);
        } catch (IOException e) {
            closeQuietly(w, dir);
            throw new ResourceUnavailableException(home.toString(), "opening the index failed: " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(w, dir);
            throw e;
        }
    }

    private static void closeQuietly(IndexWriter w, Directory dir) {
        try {
            if (w != null) {
                w.rollback();
            }
            if (dir != null) {
                dir.close();
            }
        } catch (IOException suppressed) {
            LOG.debug("closing after a failed open", suppressed);
        }
    }

    /** Lucene's default codec, with the HNSW format of the vector field chosen by the quantization. */
    private static org.apache.lucene.codecs.Codec codec(VectorQuantization quantization) {
        if (quantization == VectorQuantization.NONE) {
            return new org.apache.lucene.codecs.lucene104.Lucene104Codec();
        }
        org.apache.lucene.codecs.KnnVectorsFormat int8 = new org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat(
                org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, 16, 100);
        return new org.apache.lucene.codecs.lucene104.Lucene104Codec() {
            @Override
            public org.apache.lucene.codecs.KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return int8;
            }
        };
    }

    @Override
    public VectorQuantization quantization() {
        return quantization;
    }

    private Map<String, String> commitData() {
        Map<String, String> data = new HashMap<>();
        data.put(KEY_QUANTIZATION, quantization.name());
        data.put(KEY_MODEL, embedder.modelId());
        data.put(KEY_HASH, embedder.modelHash());
        data.put(KEY_DIM, Integer.toString(embedder.dimension()));
        StringBuilder sb = new StringBuilder();
        schema.forEach((k, t) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append(':').append(t));
        data.put(KEY_SCHEMA, sb.toString());
        return data;
    }

    private void readSchema(String text) {
        if (text.isEmpty()) {
            return;
        }
        for (String part : text.split(",")) {
            int c = part.lastIndexOf(':');
            schema.put(part.substring(0, c), part.charAt(c + 1));
        }
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public String modelId() {
        return embedder.modelId();
    }

    @Override
    public String modelHash() {
        return embedder.modelHash();
    }

    // ------------------------------------------------------------------ ingest

    @Override
    public IngestReport upsert(Collection<Document> documents) {
        return ingest(documents, false, IngestProgress.NONE);
    }

    @Override
    public IngestReport sync(Collection<Document> documents) {
        return ingest(documents, true, IngestProgress.NONE);
    }

    @Override
    public IngestReport upsert(Collection<Document> documents, IngestProgress progress) {
        return ingest(documents, false, requireProgress(progress));
    }

    @Override
    public IngestReport sync(Collection<Document> documents, IngestProgress progress) {
        return ingest(documents, true, requireProgress(progress));
    }

    private static IngestProgress requireProgress(IngestProgress progress) {
        if (progress == null) {
            throw new IllegalArgumentException("progress must not be null; use IngestProgress.NONE");
        }
        return progress;
    }

    @Override
    public IngestReport delete(Collection<String> documentIds) {
        synchronized (writeLock) {
            ensureWritable();
            Set<String> indexed = indexedDocumentIds();
            List<String> gone = documentIds.stream().filter(indexed::contains).distinct().toList();
            applyAndCommit(List.of(), gone, Map.of());
            return new IngestReport(0, 0, 0, gone.size(), 0);
        }
    }

    /** A document, the content hash to record for it and its chunks. */
    private record Chunked(Document document, String hash, List<TextSpan> spans) {}

    private IngestReport ingest(Collection<Document> documents, boolean deleteOthers, IngestProgress progress) {
        synchronized (writeLock) {
            ensureWritable();
            Map<String, Document> byId = new LinkedHashMap<>();
            for (Document d : documents) {
                if (byId.put(d.id(), d) != null) {
                    throw new IllegalArgumentException("document id '" + d.id() + "' appears twice in one ingest call");
                }
            }
            Map<String, Character> newSchema = new TreeMap<>(schema);
            for (Document d : byId.values()) {
                for (Map.Entry<String, Object> e : d.metadata().entrySet()) {
                    char t = typeOf(e.getValue());
                    Character known = newSchema.putIfAbsent(e.getKey(), t);
                    if (known != null && known != t) {
                        throw new IllegalArgumentException("document '" + d.id() + "': metadata '" + e.getKey() + "' is a "
                                + typeName(t) + " but the index holds it as a " + typeName(known)
                                + "; use the same type for a key in every document");
                    }
                }
            }
            int added = 0;
            int updated = 0;
            int unchanged = 0;
            List<Document> work = new ArrayList<>();
            List<String> deletes = new ArrayList<>();
            for (Document d : byId.values()) {
                Optional<String> old = documentHash(d.id());
                if (old.isEmpty()) {
                    added++;
                    work.add(d);
                } else if (old.get().equals(d.contentHash())) {
                    unchanged++;
                } else {
                    updated++;
                    work.add(d);
                    deletes.add(d.id());
                }
            }
            int deleted = 0;
            if (deleteOthers) {
                for (String id : indexedDocumentIds()) {
                    if (!byId.containsKey(id)) {
                        deletes.add(id);
                        deleted++;
                    }
                }
            }
            // 1. split and embed everything (no index change yet: a failure here leaves nothing behind)
            List<Chunked> chunked = new ArrayList<>();
            for (Document d : work) {
                chunked.add(chunk(d, d.contentHash()));
            }
            int total = chunked.stream().mapToInt(c -> c.spans().size()).sum();
            progress.planned(added, updated, unchanged, deleted, total);
            List<org.apache.lucene.document.Document> docs = embed(chunked, 0, total, progress);
            // 2. apply and commit once
            applyAndCommit(docs, deletes, newSchema);
            chunksEmbedded.increment(total);
            IngestReport report = new IngestReport(added, updated, unchanged, deleted, total);
            progress.committed(report);
            return report;
        }
    }

    private Chunked chunk(Document d, String hash) {
        List<TextSpan> spans = splitter.split(d.text());
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("document '" + d.id() + "' has no text to index (empty or"
                    + " whitespace only); leave it out or give it content");
        }
        return new Chunked(d, hash, spans);
    }

    /**
     * Lucene documents with vectors for the chunks; reports progress as {@code done + embedded so far}
     * of {@code total}.
     */
    private List<org.apache.lucene.document.Document> embed(List<Chunked> chunked, int done, int total,
            IngestProgress progress) {
        List<org.apache.lucene.document.Document> docs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Chunked c : chunked) {
            Document d = c.document();
            for (int i = 0; i < c.spans().size(); i++) {
                TextSpan span = c.spans().get(i);
                org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
                doc.add(new StringField(CHUNK_ID, d.id() + "#" + i, Field.Store.YES));
                doc.add(new StringField(DOC_ID, d.id(), Field.Store.YES));
                doc.add(new StoredField(DOC_HASH, c.hash()));
                if (i == 0) {
                    doc.add(new StringField(FIRST, "1", Field.Store.NO));
                    doc.add(new StoredField(DOC_TEXT, d.text())); // the source text, for re-embedding migrations
                }
                doc.add(new StoredField(START, span.start()));
                doc.add(new TextField(TEXT, span.text(), Field.Store.YES));
                for (Map.Entry<String, Object> e : d.metadata().entrySet()) {
                    addMeta(doc, META + e.getKey(), e.getValue());
                }
                docs.add(doc);
                texts.add(span.text());
            }
        }
        int batch = 256;
        for (int from = 0; from < texts.size() && embedder.dimension() > 0; from += batch) {
            int to = Math.min(texts.size(), from + batch);
            List<float[]> vectors = embedder.embed(texts.subList(from, to));
            if (vectors.size() != to - from) {
                throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + vectors.size()
                        + " vectors for " + (to - from) + " texts");
            }
            for (int i = 0; i < vectors.size(); i++) {
                docs.get(from + i).add(new KnnFloatVectorField(VEC, vectors.get(i), vectorFunction));
            }
            LOG.debug("embedded {}/{} chunks into {}", done + to, total, dataDir);
            progress.embedded(done + to, total);
        }
        return docs;
    }

    // ------------------------------------------------------------------ re-embedding migration

    @Override
    public String generation() {
        return generation;
    }

    @Override
    public RagIndex reembed(Embedder newEmbedder) {
        if (newEmbedder == null) {
            throw new IllegalArgumentException("embedder must not be null");
        }
        return reembed(newEmbedder, dev.mlops.rag.TokenSplitter.builder().embedder(newEmbedder).build(), IngestProgress.NONE);
    }

    @Override
    public RagIndex reembed(Embedder newEmbedder, Splitter newSplitter, IngestProgress progress) {
        if (newEmbedder == null || newSplitter == null) {
            throw new IllegalArgumentException("reembed needs an embedder and a splitter, got " + newEmbedder + ", " + newSplitter);
        }
        requireProgress(progress);
        synchronized (writeLock) {
            ensureWritable();
            if (newEmbedder.modelId().equals(embedder.modelId()) && newEmbedder.modelHash().equals(embedder.modelHash())) {
                throw new IllegalArgumentException("index " + home + " is already built with " + embedder.modelId() + " ("
                        + embedder.modelHash() + "); a re-embedding migration needs another model");
            }
            List<Document> documents = storedDocuments();
            Map<String, String> hashes = new HashMap<>();
            for (Document d : documents) {
                hashes.put(d.id(), documentHash(d.id()).orElseThrow());
            }
            String next = IndexHome.nextGeneration(home);
            LOG.info("re-embedding {} documents of {} from {} into generation {} with {}", documents.size(), home,
                    embedder.modelId(), next, newEmbedder.modelId());
            LuceneRagIndex fresh = new LuceneRagIndex(home, next, newEmbedder, newSplitter, k1, b, quantization, meters);
            try {
                fresh.copy(documents, hashes, new TreeMap<>(schema), progress);
                if (fresh.documentCount() != documentCount() || fresh.documentCount() != documents.size()) {
                    throw new IllegalStateException("re-embedding produced " + fresh.documentCount() + " documents, the index"
                            + " has " + documentCount() + "; nothing was switched");
                }
                IndexHome.writeCurrent(home, next); // the switch: atomic
            } catch (RuntimeException e) {
                try {
                    fresh.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                IndexHome.deleteGeneration(home, next);
                throw e;
            }
            retiredTo = next;
            LOG.info("index {} now serves generation {} ({}); generation {} is retired and deleted when closed", home,
                    next, newEmbedder.modelId(), generation);
            return fresh;
        }
    }

    /** Writes documents (with their recorded hashes) in batches of about 1,024 chunks, one commit per batch. */
    private void copy(List<Document> documents, Map<String, String> hashes, Map<String, Character> oldSchema,
            IngestProgress progress) {
        synchronized (writeLock) {
            List<Chunked> chunked = new ArrayList<>();
            for (Document d : documents) {
                chunked.add(chunk(d, hashes.get(d.id())));
            }
            int total = chunked.stream().mapToInt(c -> c.spans().size()).sum();
            progress.planned(documents.size(), 0, 0, 0, total);
            int done = 0;
            int from = 0;
            while (from < chunked.size()) {
                int to = from;
                int chunks = 0;
                while (to < chunked.size() && (to == from || chunks + chunked.get(to).spans().size() <= 1024)) {
                    chunks += chunked.get(to).spans().size();
                    to++;
                }
                List<org.apache.lucene.document.Document> docs = embed(chunked.subList(from, to), done, total, progress);
                applyAndCommit(docs, List.of(), oldSchema);
                done += chunks;
                from = to;
            }
            chunksEmbedded.increment(total);
            progress.committed(new IngestReport(documents.size(), 0, 0, 0, total));
        }
    }

    /** Every committed document, rebuilt from the stored source text and metadata of its first chunk. */
    private List<Document> storedDocuments() {
        return withSearcher(s -> {
            List<Document> out = new ArrayList<>();
            int n = Math.max(1, s.getIndexReader().maxDoc());
            TopDocs top = s.search(new TermQuery(new Term(FIRST, "1")), n);
            StoredFields stored = s.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                org.apache.lucene.document.Document d = stored.document(sd.doc);
                String text = d.get(DOC_TEXT);
                String id = d.get(DOC_ID);
                if (text == null) {
                    throw new NonRetriableException("index " + home + " has no stored source text for document '" + id
                            + "' (it was ingested by a release that did not keep it), so it cannot be re-embedded from"
                            + " the index. Fix: sync the documents again (their text is stored from now on), or build a"
                            + " new index with the new model from the source files");
                }
                out.add(new Document(id, text, hit(d, 0).metadata()));
            }
            out.sort(java.util.Comparator.comparing(Document::id));
            return out;
        });
    }

    private void ensureWritable() {
        ensureOpen();
        if (retiredTo != null) {
            throw new IllegalStateException("index " + home + " generation " + generation + " was re-embedded into "
                    + retiredTo + "; it still answers queries until closed, but writes go to the RagIndex that reembed"
                    + " returned (or open the home again with the new embedder)");
        }
    }

    private void applyAndCommit(List<org.apache.lucene.document.Document> docs, List<String> deletes,
            Map<String, Character> newSchema) {
        if (docs.isEmpty() && deletes.isEmpty()) {
            return;
        }
        ensureOpen();
        Map<String, Character> before = new TreeMap<>(schema);
        try {
            if (!deletes.isEmpty()) {
                writer.deleteDocuments(new TermInSetQuery(DOC_ID, deletes.stream().map(BytesRef::new).toList()));
            }
            writer.addDocuments(docs);
            schema.putAll(newSchema);
            writer.setLiveCommitData(commitData().entrySet());
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException | RuntimeException e) {
            // drop the uncommitted changes: IndexWriter.rollback closes the writer, so this RagIndex is
            // unusable afterwards, while the last commit on disk stays intact
            schema.clear();
            schema.putAll(before);
            failed = true;
            try {
                writer.rollback();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ResourceUnavailableException(home.toString(), "writing the index failed (" + e
                    + "); nothing of this call was committed, the last commit is intact. Fix: reopen the index", e);
        }
    }

    private void ensureOpen() {
        if (failed || closed) {
            throw new IllegalStateException("index " + home + " is " + (closed ? "closed" : "unusable after a failed write")
                    + "; open it again with RagIndex.builder()");
        }
    }

    private static char typeOf(Object v) {
        return v instanceof String ? 's' : v instanceof Double ? 'd' : 'l';
    }

    private static String typeName(char t) {
        return switch (t) {
            case 's' -> "string";
            case 'd' -> "double";
            default -> "long";
        };
    }

    private static void addMeta(org.apache.lucene.document.Document doc, String name, Object v) {
        switch (v) {
            case String s -> doc.add(new StringField(name, s, Field.Store.YES));
            case Double d -> {
                doc.add(new DoublePoint(name, d));
                doc.add(new StoredField(name, d));
            }
            case Number n -> {
                doc.add(new LongPoint(name, n.longValue()));
                doc.add(new StoredField(name, n.longValue()));
            }
            default -> throw new IllegalArgumentException("unsupported metadata value " + v);
        }
    }

    @Override
    public Optional<String> documentHash(String documentId) {
        return withSearcher(s -> {
            TopDocs top = s.search(new TermQuery(new Term(DOC_ID, documentId)), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.empty();
            }
            return Optional.of(s.storedFields().document(top.scoreDocs[0].doc).get(DOC_HASH));
        });
    }

    private Set<String> indexedDocumentIds() {
        return withSearcher(s -> {
            Set<String> ids = new HashSet<>();
            int n = Math.max(1, s.getIndexReader().maxDoc());
            TopDocs top = s.search(new TermQuery(new Term(FIRST, "1")), n);
            StoredFields stored = s.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                ids.add(stored.document(sd.doc, Set.of(DOC_ID)).get(DOC_ID));
            }
            return ids;
        });
    }

    @Override
    public int documentCount() {
        return withSearcher(s -> s.count(new TermQuery(new Term(FIRST, "1"))));
    }

    @Override
    public int chunkCount() {
        return withSearcher(s -> s.getIndexReader().numDocs());
    }

    @FunctionalInterface
    private interface SearchFn<T> {
        T apply(IndexSearcher s) throws IOException;
    }

    private <T> T withSearcher(SearchFn<T> fn) {
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return fn.apply(s);
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "reading the index failed: " + e, e);
        }
    }

    // ------------------------------------------------------------------ retrieval

    @Override
    public Retriever bm25() {
        return retriever("bm25", (query, k, filter) -> withSearcher(s -> {
            Query text = textQuery(query);
            Query q = new BooleanQuery.Builder().add(text, BooleanClause.Occur.MUST)
                    .add(filterQuery(filter), BooleanClause.Occur.FILTER).build();
            return hits(s, s.search(q, k), false);
        }));
    }

    @Override
    public Retriever dense() {
        return dense(100);
    }

    @Override
    public Retriever dense(int candidates) {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, was " + candidates);
        }
        requireVectors();
        return retriever("dense", (query, k, filter) -> {
            float[] v = embedder.embed(query);
            return withSearcher(s -> {
                Query f = filterQuery(filter);
                KnnFloatVectorQuery q = new KnnFloatVectorQuery(VEC, v, Math.max(k, candidates),
                        f instanceof MatchAllDocsQuery ? null : f);
                TopDocs top = s.search(q, Math.max(k, candidates));
                List<SearchHit> all = hits(s, top, true);
                return all.size() > k ? List.copyOf(all.subList(0, k)) : all;
            });
        });
    }

    @Override
    public Retriever exactDense() {
        requireVectors();
        return retriever("exact", (query, k, filter) -> {
            float[] v = embedder.embed(query);
            return withSearcher(s -> exact(s, v, k, filter));
        });
    }

    private void requireVectors() {
        if (embedder.dimension() == 0) {
            throw new IllegalStateException("index " + home + " is text-only (built without an embedder): only"
                    + " bm25() works. Fix: build the index with an embedder");
        }
    }

    @Override
    public Retriever hybrid(Fusion fusion) {
        return hybrid(fusion, 100, dense(100), bm25());
    }

    @Override
    public Retriever hybrid(Fusion fusion, int candidates, Retriever... retrievers) {
        if (retrievers.length < 2) {
            throw new IllegalArgumentException("hybrid needs at least two retrievers, got " + retrievers.length);
        }
        List<Retriever> parts = List.of(retrievers);
        return retriever("hybrid-" + fusion.label(), (query, k, filter) -> {
            List<List<SearchHit>> lists = new ArrayList<>();
            for (Retriever r : parts) {
                lists.add(r.retrieve(query, Math.max(k, candidates), filter));
            }
            return fusion.fuse(lists, k);
        });
    }

    @FunctionalInterface
    private interface RetrieveFn {
        List<SearchHit> apply(String query, int k, Filter filter);
    }

    private Retriever retriever(String name, RetrieveFn fn) {
        Timer timer = Timer.builder("mlops.rag.retrieve.latency").tag("retriever", name)
                .publishPercentiles(0.5, 0.99).register(meters);
        return new Retriever() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<SearchHit> retrieve(String query, int k, Filter filter) {
                if (query == null) {
                    throw new IllegalArgumentException("query must not be null");
                }
                if (k < 1) {
                    throw new IllegalArgumentException("k must be >= 1, was " + k);
                }
                if (filter == null) {
                    throw new IllegalArgumentException("filter must not be null; use Filter.all()");
                }
                Supplier<List<SearchHit>> run = () -> fn.apply(query, k, filter);
                return timer.record(run);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * The query's analyzed terms as SHOULD clauses (no query syntax, so any user text is valid);
     * repeated terms add up as boosts; at most {@link IndexSearcher#getMaxClauseCount()} distinct terms.
     */
    Query textQuery(String query) {
        Map<String, Integer> terms = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, query)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                String t = term.toString();
                if (terms.containsKey(t) || terms.size() < IndexSearcher.getMaxClauseCount()) {
                    terms.merge(t, 1, Integer::sum);
                }
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (terms.isEmpty()) {
            return new MatchNoDocsQuery("query has no searchable terms");
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        terms.forEach((t, n) -> {
            Query tq = new TermQuery(new Term(TEXT, t));
            b.add(n == 1 ? tq : new BoostQuery(tq, n), BooleanClause.Occur.SHOULD);
        });
        return b.build();
    }

    Query filterQuery(Filter filter) {
        return switch (filter) {
            case Filter.All a -> new MatchAllDocsQuery();
            case Filter.Eq eq -> eqQuery(eq.field(), List.of(eq.value()));
            case Filter.In in -> in.values().isEmpty() ? new MatchNoDocsQuery("empty set") : eqQuery(in.field(), List.copyOf(in.values()));
            case Filter.Range r -> rangeQuery(r);
            case Filter.And and -> {
                BooleanQuery.Builder b = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);
                and.filters().forEach(f -> b.add(filterQuery(f), BooleanClause.Occur.FILTER));
                yield b.build();
            }
            case Filter.Or or -> {
                if (or.filters().isEmpty()) {
                    yield new MatchNoDocsQuery("empty or");
                }
                BooleanQuery.Builder b = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
                or.filters().forEach(f -> b.add(filterQuery(f), BooleanClause.Occur.SHOULD));
                yield b.build();
            }
            case Filter.Not not -> new BooleanQuery.Builder().add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER)
                    .add(filterQuery(not.filter()), BooleanClause.Occur.MUST_NOT).build();
        };
    }

    private char fieldType(String field) {
        if (field.equals(DOC_ID)) {
            return 's';
        }
        Character t = schema.get(field);
        if (t == null) {
            List<String> known = new ArrayList<>(schema.keySet());
            known.add(0, DOC_ID);
            throw new NonRetriableException("filter on unknown field '" + field + "' in index " + home
                    + "; known fields: " + known + ". Fix: use one of them (metadata keys of ingested documents)");
        }
        return t;
    }

    private Query eqQuery(String field, List<Object> values) {
        char t = fieldType(field);
        String name = field.equals(DOC_ID) ? DOC_ID : META + field;
        switch (t) {
            case 's' -> {
                List<BytesRef> refs = new ArrayList<>();
                for (Object v : values) {
                    if (!(v instanceof String s)) {
                        throw typeError(field, t, v);
                    }
                    refs.add(new BytesRef(s));
                }
                return refs.size() == 1 ? new TermQuery(new Term(name, refs.get(0))) : new TermInSetQuery(name, refs);
            }
            case 'l' -> {
                long[] ls = new long[values.size()];
                for (int i = 0; i < ls.length; i++) {
                    Object v = values.get(i);
                    if (!(v instanceof Long || v instanceof Integer)) {
                        throw typeError(field, t, v);
                    }
                    ls[i] = ((Number) v).longValue();
                }
                return LongPoint.newSetQuery(name, ls);
            }
            default -> {
                double[] ds = new double[values.size()];
                for (int i = 0; i < ds.length; i++) {
                    if (!(values.get(i) instanceof Number n)) {
                        throw typeError(field, t, values.get(i));
                    }
                    ds[i] = n.doubleValue();
                }
                return DoublePoint.newSetQuery(name, ds);
            }
        }
    }

    private Query rangeQuery(Filter.Range r) {
        char t = fieldType(r.field());
        String name = META + r.field();
        if (t == 's') {
            throw new NonRetriableException("range filter on string field '" + r.field() + "'; ranges work on numeric"
                    + " metadata only. Fix: use eq/in, or store the value as a number");
        }
        if (t == 'l') {
            long lo = r.min() == null ? Long.MIN_VALUE : r.min().longValue();
            long hi = r.max() == null ? Long.MAX_VALUE : r.max().longValue();
            return LongPoint.newRangeQuery(name, lo, hi);
        }
        double lo = r.min() == null ? Double.NEGATIVE_INFINITY : r.min().doubleValue();
        double hi = r.max() == null ? Double.POSITIVE_INFINITY : r.max().doubleValue();
        return DoublePoint.newRangeQuery(name, lo, hi);
    }

    private NonRetriableException typeError(String field, char t, Object v) {
        return new NonRetriableException("filter on field '" + field + "' (a " + typeName(t) + ") got value " + v
                + " of type " + (v == null ? "null" : v.getClass().getSimpleName()) + ". Fix: pass a " + typeName(t));
    }

    private List<SearchHit> hits(IndexSearcher s, TopDocs top, boolean knnScore) throws IOException {
        StoredFields stored = s.storedFields();
        List<SearchHit> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            // Lucene scores DOT_PRODUCT/COSINE as (1 + sim) / 2: report the similarity itself
            double score = knnScore ? 2.0 * sd.score - 1.0 : sd.score;
            out.add(hit(stored.document(sd.doc), score));
        }
        return out;
    }

    private SearchHit hit(org.apache.lucene.document.Document d, double score) {
        Map<String, Object> meta = new LinkedHashMap<>();
        schema.forEach((k, t) -> {
            IndexableField f = d.getField(META + k);
            if (f != null) {
                meta.put(k, t == 's' ? f.stringValue() : t == 'd' ? (Object) f.numericValue().doubleValue()
                        : (Object) f.numericValue().longValue());
            }
        });
        return new SearchHit(d.get(CHUNK_ID), d.get(DOC_ID), d.get(TEXT), d.getField(START).numericValue().intValue(),
                score, Map.copyOf(meta));
    }

    private List<SearchHit> exact(IndexSearcher s, float[] q, int k, Filter filter) throws IOException {
        Query f = filterQuery(filter);
        Weight weight = f instanceof MatchAllDocsQuery ? null
                : s.createWeight(s.rewrite(f), ScoreMode.COMPLETE_NO_SCORES, 1f);
        record Cand(int doc, float score) {}
        PriorityQueue<Cand> heap = new PriorityQueue<>((a, b) -> a.score != b.score ? Float.compare(a.score, b.score)
                : Integer.compare(b.doc, a.doc));
        for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
            LeafReader leaf = ctx.reader();
            FloatVectorValues values = leaf.getFloatVectorValues(VEC);
            if (values == null) {
                continue;
            }
            FixedBitSet accept = null;
            if (weight != null) {
                accept = new FixedBitSet(leaf.maxDoc());
                Scorer scorer = weight.scorer(ctx);
                if (scorer == null) {
                    continue;
                }
                DocIdSetIterator it = scorer.iterator();
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    accept.set(doc);
                }
            }
            org.apache.lucene.util.Bits live = leaf.getLiveDocs();
            KnnVectorValues.DocIndexIterator it = values.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if ((live != null && !live.get(doc)) || (accept != null && !accept.get(doc))) {
                    continue;
                }
                float[] v = values.vectorValue(it.index());
                float score = vectorFunction == VectorSimilarityFunction.DOT_PRODUCT ? VectorUtil.dotProduct(q, v)
                        : VectorUtil.cosine(q, v);
                int global = ctx.docBase + doc;
                if (heap.size() < k) {
                    heap.add(new Cand(global, score));
                } else if (score > heap.peek().score) {
                    heap.poll();
                    heap.add(new Cand(global, score));
                }
            }
        }
        List<Cand> sorted = new ArrayList<>(heap);
        sorted.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
        StoredFields stored = s.storedFields();
        List<SearchHit> out = new ArrayList<>(sorted.size());
        for (Cand c : sorted) {
            out.add(hit(stored.document(c.doc), c.score));
        }
        return out;
    }

    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                searchers.close();
                if (!failed) {
                    writer.rollback(); // closes; there is never uncommitted work between calls
                }
                directory.close();
            } catch (IOException e) {
                throw new ResourceUnavailableException(home.toString(), "closing the index failed: " + e, e);
            }
            if (retiredTo != null) {
                IndexHome.deleteGeneration(home, generation);
            }
        }
    }

    @Override
    public String toString() {
        return "RagIndex[" + home + ", " + generation + ", " + embedder.modelId() + "]";
    }

}
