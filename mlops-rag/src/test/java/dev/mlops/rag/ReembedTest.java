package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Re-embedding migrations: a new generation built beside the serving one, then an atomic switch. */
class ReembedTest {

    @TempDir
    Path home;

    RagIndex openA() {
        return RagIndex.builder().home(home).embedder(new HashingEmbedder()).splitter(Splitter.none()).build();
    }

    List<String> entries() throws Exception {
        try (Stream<Path> s = Files.list(home)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void migration_switchesAtomically_whileTheOldIndexKeepsAnswering() throws Exception {
        List<Document> docs = RagIndexTest.corpus(300);
        RagIndex old = openA();
        old.upsert(docs);
        assertThat(old.generation()).isEqualTo("gen-1");
        assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-1");
        String hash7 = old.documentHash("doc-7").orElseThrow();
        List<String> queriedDuring = new ArrayList<>();
        List<String> progress = new ArrayList<>();
        RagIndex fresh = old.reembed(new ReversedEmbedder(), Splitter.none(), new IngestProgress() {
            @Override
            public void planned(int added, int updated, int unchanged, int deleted, int chunks) {
                progress.add("planned " + added + " " + chunks);
            }

            @Override
            public void embedded(int done, int total) {
                progress.add("embedded " + done + "/" + total);
                // mid-migration: the old index still answers, from the old generation
                queriedDuring.add(old.bm25().retrieve(docs.get(42).text(), 1).get(0).documentId());
                queriedDuring.add(old.dense().retrieve(docs.get(42).text(), 1).get(0).documentId());
                try {
                    assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-1");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertThat(progress).containsExactly("planned 300 300", "embedded 256/300", "embedded 300/300");
        assertThat(queriedDuring).containsOnly("doc-42").hasSize(4);
        assertThat(fresh.generation()).isEqualTo("gen-2");
        assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-2");
        assertThat(fresh.modelId()).isEqualTo("test/reversed-64");
        assertThat(fresh.documentCount()).isEqualTo(300);
        assertThat(fresh.documentHash("doc-7")).contains(hash7);
        // the new vectors are the new model's: the exact-search score equals the dot product computed here
        String q = "lucene embedding vector";
        SearchHit top = fresh.exactDense().retrieve(q, 1).get(0);
        Document topDoc = docs.stream().filter(d -> d.id().equals(top.documentId())).findFirst().orElseThrow();
        assertThat(top.score()).isCloseTo(dot(ReversedEmbedder.vector(q), ReversedEmbedder.vector(topDoc.text())), within(1e-5));
        double best = docs.stream().mapToDouble(d -> dot(ReversedEmbedder.vector(q), ReversedEmbedder.vector(d.text()))).max().orElseThrow();
        assertThat(top.score()).isCloseTo(best, within(1e-5));
        // metadata came along, with its types
        assertThat(fresh.bm25().retrieve("d7", 1, Filter.eq("year", 2007L)).get(0).metadata())
                .containsEntry("year", 2007L).containsEntry("lang", "en").containsEntry("score", 0.7);
        // the retired generation answers queries until closed, and refuses writes
        assertThat(old.bm25().retrieve(docs.get(5).text(), 1).get(0).documentId()).isEqualTo("doc-5");
        assertThatThrownBy(() -> old.upsert(List.of(new Document("x", "late write"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("gen-2").hasMessageContaining("reembed");
        assertThat(entries()).contains("gen-1", "gen-2");
        old.close();
        assertThat(entries()).contains("gen-2").doesNotContain("gen-1");
        // unchanged documents stay unchanged after the migration: no work
        assertThat(fresh.sync(docs)).isEqualTo(new IngestReport(0, 0, 300, 0, 0));
        fresh.close();
        assertThatThrownBy(this::openA).isInstanceOf(EmbeddingModelMismatchException.class)
                .hasMessageContaining("test/reversed-64").hasMessageContaining("test/hashing-64");
        try (RagIndex again = RagIndex.builder().home(home).embedder(new ReversedEmbedder()).splitter(Splitter.none()).build()) {
            assertThat(again.generation()).isEqualTo("gen-2");
            assertThat(again.documentCount()).isEqualTo(300);
        }
    }

    @Test
    void duringAMigration_readersOnManyThreadsKeepGettingAnswers_andAWriterWaitsThenIsRefused() throws Exception {
        List<Document> docs = RagIndexTest.corpus(1500);
        RagIndex old = openA();
        old.upsert(docs);
        java.util.concurrent.atomic.AtomicBoolean migrating = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int seed = t;
            Thread reader = new Thread(() -> {
                int i = seed;
                while (migrating.get()) {
                    Document d = docs.get(i++ % docs.size());
                    try {
                        List<SearchHit> hits = (i % 2 == 0 ? old.bm25() : old.dense()).retrieve(d.text(), 3);
                        if (hits.isEmpty()) {
                            errors.add(new AssertionError("no hit for " + d.id()));
                        }
                        answered.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        java.util.concurrent.CompletableFuture<Object> write = new java.util.concurrent.CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                write.complete(old.upsert(List.of(new Document("late", "a write during the migration"))));
            } catch (Throwable e) {
                write.complete(e);
            }
        });
        RagIndex fresh = old.reembed(new ReversedEmbedder(), Splitter.none(), new IngestProgress() {
            @Override
            public void embedded(int done, int total) {
                if (done == 256) {
                    writer.start();
                }
            }
        });
        migrating.set(false);
        for (Thread r : readers) {
            r.join();
        }
        writer.join();
        assertThat(errors).isEmpty();
        assertThat(answered.get()).isPositive();
        // the write waited for the migration, then found the generation retired: it is in neither generation
        assertThat(write.get()).isInstanceOf(IllegalStateException.class);
        assertThat(((Throwable) write.get()).getMessage()).contains("gen-2");
        assertThat(old.documentHash("late")).isEmpty();
        assertThat(fresh.documentHash("late")).isEmpty();
        assertThat(fresh.documentCount()).isEqualTo(1500);
        old.close();
        fresh.close();
    }

    @Test
    void failedMigration_leavesTheOldGenerationServingAndWritable() throws Exception {
        List<Document> docs = RagIndexTest.corpus(1100); // 1,100 chunks: embedding calls 1-4 (1,024 chunks) are committed in the new generation, call 5 fails
        try (RagIndex old = openA()) {
            old.upsert(docs);
            assertThatThrownBy(() -> old.reembed(new ReversedEmbedder(5, 0), Splitter.none(), IngestProgress.NONE))
                    .hasMessageContaining("embedding call 5 fails");
            assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-1");
            assertThat(entries()).doesNotContain("gen-2");
            assertThat(old.documentCount()).isEqualTo(1100);
            assertThat(old.dense().retrieve(docs.get(3).text(), 1).get(0).documentId()).isEqualTo("doc-3");
            assertThat(old.upsert(List.of(new Document("new", "still writable")))).isEqualTo(new IngestReport(1, 0, 0, 0, 1));
            assertThatThrownBy(() -> old.reembed(new HashingEmbedder())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already built with test/hashing-64");
        }
    }

    @Test
    void legacyLayout_opensAndMigratesIntoGenerations() throws Exception {
        // an index as written before generations existed: Lucene files directly in the home
        try (RagIndex index = openA()) {
            index.upsert(RagIndexTest.corpus(20));
        }
        try (Stream<Path> s = Files.list(home.resolve("gen-1"))) {
            for (Path f : s.toList()) {
                Files.move(f, home.resolve(f.getFileName()));
            }
        }
        Files.delete(home.resolve("gen-1"));
        Files.delete(home.resolve("CURRENT"));
        RagIndex legacy = openA();
        assertThat(legacy.generation()).isEqualTo(".");
        assertThat(legacy.documentCount()).isEqualTo(20);
        RagIndex fresh = legacy.reembed(new ReversedEmbedder(), Splitter.none(), IngestProgress.NONE);
        assertThat(fresh.generation()).isEqualTo("gen-1");
        legacy.close();
        assertThat(entries()).containsExactlyInAnyOrder("CURRENT", "gen-1", "rag.lock");
        assertThat(fresh.documentCount()).isEqualTo(20);
        fresh.close();
    }
}
