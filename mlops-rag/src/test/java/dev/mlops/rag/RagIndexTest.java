package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.NonRetriableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagIndexTest {

    @TempDir
    Path home;

    static final String[] TOPICS = {"database", "index", "vector", "search", "commit", "journal", "lock", "query",
        "table", "column", "page", "cache", "btree", "sqlite", "lucene", "embedding"};

    static List<Document> corpus(int n) {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text = TOPICS[i % TOPICS.length] + " " + TOPICS[(i * 7 + 3) % TOPICS.length] + " "
                    + TOPICS[(i * 5 + 1) % TOPICS.length] + " document number d" + i;
            docs.add(new Document("doc-" + i, text, Map.of("year", (long) (2000 + i % 25), "lang", i % 3 == 0 ? "de" : "en",
                    "score", i / 10.0)));
        }
        return docs;
    }

    RagIndex open() {
        return RagIndex.builder().home(home).embedder(new HashingEmbedder()).splitter(Splitter.none()).build();
    }

    @Test
    void bm25_dense_hybrid_findTheDocumentWithTheRareTerm() {
        try (RagIndex index = open()) {
            List<Document> docs = corpus(200);
            IngestReport r = index.upsert(docs);
            assertThat(r).isEqualTo(new IngestReport(200, 0, 0, 0, 200));
            assertThat(index.documentCount()).isEqualTo(200);
            for (Retriever retriever : List.of(index.bm25(), index.dense(), index.exactDense(),
                    index.hybrid(Fusion.reciprocalRank()), index.hybrid(Fusion.weighted(0.5)))) {
                List<SearchHit> hits = retriever.retrieve(docs.get(137).text(), 5);
                assertThat(hits).as(retriever.name()).isNotEmpty();
                assertThat(hits.get(0).documentId()).as(retriever.name()).isEqualTo("doc-137");
                assertThat(hits.get(0).chunkId()).isEqualTo("doc-137#0");
                assertThat(hits.get(0).metadata()).containsEntry("year", 2012L).containsEntry("lang", "en");
            }
        }
    }

    @Test
    void exactDense_matchesABruteForceReferenceComputedInTheTest() {
        List<Document> docs = corpus(150);
        try (RagIndex index = open()) {
            index.upsert(docs);
            String q = "sqlite btree page cache";
            float[] qv = HashingEmbedder.vector(q);
            List<String> expected = docs.stream()
                    .sorted(Comparator.comparingDouble((Document d) -> -dot(qv, HashingEmbedder.vector(d.text())))
                            .thenComparing(Document::id))
                    .map(Document::id).toList();
            List<SearchHit> hits = index.exactDense().retrieve(q, 10);
            for (int i = 0; i < 10; i++) {
                assertThat(hits.get(i).score()).isCloseTo(dot(qv, HashingEmbedder.vector(docs.stream()
                        .filter(d -> d.id().equals(expected.get(0))).findFirst().orElseThrow().text())) , within(1.0))
                        .isLessThanOrEqualTo(1.0001);
            }
            // same scores as the reference ranking (ties may order differently)
            List<Double> refScores = expected.stream().limit(10).map(id -> dot(qv, HashingEmbedder.vector(
                    docs.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow().text()))).toList();
            assertThat(hits.stream().map(SearchHit::score).toList())
                    .zipSatisfy(refScores, (a, b) -> assertThat(a).isCloseTo(b, within(1e-5)));
        }
    }

    @Test
    void filters_runInsideTheQuery_andMatchAReferencePredicate() {
        List<Document> docs = corpus(300);
        record Case(Filter filter, Predicate<Document> predicate) {}
        List<Case> cases = List.of(
                new Case(Filter.eq("lang", "de"), d -> d.metadata().get("lang").equals("de")),
                new Case(Filter.range("year", 2003, 2005), d -> between((Long) d.metadata().get("year"), 2003, 2005)),
                new Case(Filter.in("year", Set.of(2001L, 2010L)), d -> Set.of(2001L, 2010L).contains(d.metadata().get("year"))),
                new Case(Filter.range("score", 1.0, 2.05), d -> (Double) d.metadata().get("score") >= 1.0
                        && (Double) d.metadata().get("score") <= 2.05),
                new Case(Filter.and(Filter.eq("lang", "en"), Filter.not(Filter.range("year", 2000, 2019))),
                        d -> d.metadata().get("lang").equals("en") && (Long) d.metadata().get("year") > 2019),
                new Case(Filter.or(Filter.eq("doc_id", "doc-5"), Filter.eq("year", 2024)),
                        d -> d.id().equals("doc-5") || d.metadata().get("year").equals(2024L)));
        try (RagIndex index = open()) {
            index.upsert(docs);
            for (Case c : cases) {
                Set<String> allowed = new java.util.HashSet<>(docs.stream().filter(c.predicate()).map(Document::id).toList());
                assertThat(allowed).as(c.filter().toString()).isNotEmpty();
                for (Retriever r : List.of(index.bm25(), index.dense(), index.exactDense(), index.hybrid(Fusion.reciprocalRank()))) {
                    List<SearchHit> hits = r.retrieve("database index query lucene document", 400, c.filter());
                    assertThat(hits).as(r.name() + " " + c.filter()).allMatch(h -> allowed.contains(h.documentId()));
                    if (!r.name().equals("bm25")) {
                        // every allowed document is a candidate: filtering happened inside the search, not after a top-k cut
                        assertThat(hits).as(r.name() + " " + c.filter()).hasSize(allowed.size());
                    }
                }
            }
        }
    }

    @Test
    void badFilters_areRefusedWithTheKnownFields() {
        try (RagIndex index = open()) {
            index.upsert(corpus(10));
            assertThatThrownBy(() -> index.bm25().retrieve("x", 3, Filter.eq("author", "me")))
                    .isInstanceOf(NonRetriableException.class).hasMessageContaining("'author'")
                    .hasMessageContaining("lang").hasMessageContaining("year");
            assertThatThrownBy(() -> index.bm25().retrieve("x", 3, Filter.eq("year", "2001")))
                    .isInstanceOf(NonRetriableException.class).hasMessageContaining("long");
            assertThatThrownBy(() -> index.bm25().retrieve("x", 3, Filter.range("lang", 1, 2)))
                    .isInstanceOf(NonRetriableException.class).hasMessageContaining("string");
        }
    }

    @Test
    void reingest_unchangedIsNoWork_changedIsReembedded_removedIsDeleted() {
        List<Document> docs = corpus(20);
        try (RagIndex index = open()) {
            index.upsert(docs);
            assertThat(index.upsert(docs)).isEqualTo(new IngestReport(0, 0, 20, 0, 0));
            List<Document> changed = new ArrayList<>(docs.subList(0, 19));
            changed.set(3, new Document("doc-3", "completely new words zebra", docs.get(3).metadata()));
            IngestReport r = index.sync(changed);
            assertThat(r).isEqualTo(new IngestReport(0, 1, 18, 1, 1));
            assertThat(index.documentCount()).isEqualTo(19);
            assertThat(index.chunkCount()).isEqualTo(19);
            assertThat(index.documentHash("doc-19")).isEmpty();
            assertThat(index.documentHash("doc-3")).contains(changed.get(3).contentHash());
            assertThat(index.bm25().retrieve("zebra", 3).get(0).documentId()).isEqualTo("doc-3");
            assertThat(index.delete(List.of("doc-3", "nope"))).isEqualTo(new IngestReport(0, 0, 0, 1, 0));
            assertThat(index.bm25().retrieve("zebra", 3)).isEmpty();
        }
        try (RagIndex again = open()) {
            assertThat(again.documentCount()).isEqualTo(18);
        }
    }

    @Test
    void badDocuments_leaveNothingBehind() {
        try (RagIndex index = open()) {
            index.upsert(corpus(5));
            List<Document> bad = new ArrayList<>(corpus(8));
            bad.add(new Document("empty", "   "));
            assertThatThrownBy(() -> index.upsert(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'empty'");
            assertThatThrownBy(() -> index.upsert(List.of(new Document("x", "text", Map.of("year", "2001")))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("year");
            assertThat(index.documentCount()).isEqualTo(5);
        }
    }

    @Test
    void anotherModel_isRefused_andASecondWriterIsRefused() {
        try (RagIndex index = open()) {
            index.upsert(corpus(3));
            assertThatThrownBy(this::open).isInstanceOf(NonRetriableException.class).hasMessageContaining("already open");
        }
        assertThatThrownBy(() -> RagIndex.builder().home(home).embedder(new HashingEmbedder("other/model")).build())
                .isInstanceOf(EmbeddingModelMismatchException.class)
                .hasMessageContaining("test/hashing-64").hasMessageContaining("other/model");
        try (RagIndex index = open()) {
            assertThat(index.documentCount()).isEqualTo(3);
        }
    }

    @Test
    void chunks_keepTheirStartOffsets() {
        String text = "First paragraph about sqlite.\n\nSecond paragraph about lucene indexes.\n\nThird one about vectors.";
        try (RagIndex index = RagIndex.builder().home(home).embedder(new HashingEmbedder())
                .splitter(RecursiveCharacterSplitter.builder().chunkSize(40).chunkOverlap(0).build()).build()) {
            index.upsert(List.of(new Document("d", text)));
            assertThat(index.chunkCount()).isEqualTo(3);
            SearchHit hit = index.bm25().retrieve("lucene", 1).get(0);
            assertThat(hit.chunkId()).isEqualTo("d#1");
            assertThat(text.substring(hit.start(), hit.start() + hit.text().length())).isEqualTo(hit.text());
            assertThat(hit.text()).isEqualTo("Second paragraph about lucene indexes.");
        }
    }

    static boolean between(long v, long lo, long hi) {
        return v >= lo && v <= hi;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
