package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowListener;
import dev.mlops.core.flow.FlowResult;
import dev.mlops.core.flow.FlowState;
import dev.mlops.core.flow.Progress;
import dev.mlops.rag.spi.Embedder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion as a flow on core's engine: progress, incremental re-runs, failures that leave the index intact. */
class IngestFlowTest {

    @TempDir
    Path tmp;
    Path docs;
    Path home;
    Path flows;

    /** Counts the texts it embeds, so a test sees when no embedding work was done. */
    static final class CountingEmbedder implements Embedder {
        final HashingEmbedder inner = new HashingEmbedder();
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public String modelId() {
            return inner.modelId();
        }

        @Override
        public String modelHash() {
            return inner.modelHash();
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public boolean normalized() {
            return true;
        }

        @Override
        public int maxTokens() {
            return inner.maxTokens();
        }

        @Override
        public int countTokens(String text) {
            return inner.countTokens(text);
        }

        @Override
        public List<float[]> embed(List<String> t) {
            texts.addAndGet(t.size());
            return inner.embed(t);
        }
    }

    CountingEmbedder embedder = new CountingEmbedder();

    @BeforeEach
    void files() throws Exception {
        docs = Files.createDirectories(tmp.resolve("docs"));
        home = tmp.resolve("index");
        flows = tmp.resolve("flows");
        Files.writeString(docs.resolve("a.txt"), "Title: A\n\nAlpha text about WAL checkpoints.");
        Files.writeString(docs.resolve("b.md"), "# B\n\nBeta text about the query planner.");
        Files.writeString(docs.resolve("c.html"), "<html><head><title>C</title></head><body><p>Gamma text.</p></body></html>");
        Files.write(docs.resolve("d.pdf"), HtmlPdfLoaderTest.pdf("D", "Delta page one.", "Delta page two."));
    }

    RagIndex open() {
        return RagIndex.builder().home(home).embedder(embedder).splitter(Splitter.none()).build();
    }

    @Test
    void runsAsAFlow_withProgress_andIsIncremental() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        List<Progress> taskProgress = Collections.synchronizedList(new ArrayList<>());
        IngestProgress progress = new IngestProgress() {
            @Override
            public void fileLoaded(Path file, int documents, int filesDone, int filesTotal) {
                events.add("loaded " + file.getFileName() + " " + documents + " " + filesDone + "/" + filesTotal);
            }

            @Override
            public void planned(int added, int updated, int unchanged, int deleted, int chunks) {
                events.add("planned +" + added + " ~" + updated + " =" + unchanged + " -" + deleted + " chunks " + chunks);
            }

            @Override
            public void embedded(int done, int total) {
                events.add("embedded " + done + "/" + total);
            }

            @Override
            public void committed(IngestReport report) {
                events.add("committed");
            }
        };
        FlowListener listener = new FlowListener() {
            @Override
            public void progress(String flow, String runId, Progress p) {
                taskProgress.add(p);
            }
        };
        try (RagIndex index = open();
                FlowEngine engine = FlowEngine.builder().home(flows).listener(listener).build()) {
            IngestFlow ingest = IngestFlow.builder().index(index).progress(progress).build();
            assertThat(ingest.flow().name()).isEqualTo("rag-ingest");
            assertThat(ingest.flow().taskNames()).containsExactly("load", "ingest");

            IngestReport first = ingest.run(engine, List.of(docs));
            assertThat(first).isEqualTo(new IngestReport(5, 0, 0, 0, 5)); // a, b, c and two PDF pages
            assertThat(events).containsExactly("loaded a.txt 1 1/4", "loaded b.md 1 2/4", "loaded c.html 1 3/4",
                    "loaded d.pdf 2 4/4", "planned +5 ~0 =0 -0 chunks 5", "embedded 5/5", "committed");
            assertThat(taskProgress).extracting(Progress::finished).containsExactly(1, 2);
            assertThat(taskProgress.get(1)).isEqualTo(new Progress(2, 2, 0, 0));
            assertThat(index.documentCount()).isEqualTo(5);
            assertThat(embedder.texts.get()).isEqualTo(5);

            // unchanged: no embedding work at all
            events.clear();
            IngestReport again = ingest.run(engine, List.of(docs));
            assertThat(again).isEqualTo(new IngestReport(0, 0, 5, 0, 0));
            assertThat(embedder.texts.get()).isEqualTo(5);
            assertThat(events).contains("planned +0 ~0 =5 -0 chunks 0", "committed").noneMatch(e -> e.startsWith("embedded"));

            // one changed, one removed, one new: only the changed and the new are embedded
            Files.writeString(docs.resolve("a.txt"), "Title: A\n\nAlpha text, rewritten.");
            Files.delete(docs.resolve("b.md"));
            Files.writeString(docs.resolve("e.txt"), "Epsilon.");
            IngestReport third = ingest.run(engine, List.of(docs));
            assertThat(third).isEqualTo(new IngestReport(1, 1, 3, 1, 2));
            assertThat(embedder.texts.get()).isEqualTo(7);
            assertThat(index.documentHash("b.md")).isEmpty();
            assertThat(index.bm25().retrieve("rewritten", 1).get(0).documentId()).isEqualTo("a.txt");

            assertThat(engine.history().lastRuns("rag-ingest", 10)).hasSize(3)
                    .allSatisfy(r -> assertThat(r.state()).isEqualTo(FlowState.COMPLETED));
        }
    }

    @Test
    void aBadFile_failsTheLoadTask_andLeavesTheIndexAsItWas() throws Exception {
        try (RagIndex index = open(); FlowEngine engine = FlowEngine.builder().home(flows).build()) {
            IngestFlow ingest = IngestFlow.builder().index(index).build();
            ingest.run(engine, List.of(docs));
            Files.write(docs.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
            Files.writeString(docs.resolve("a.txt"), "changed, but the run fails before any commit");
            FlowResult<IngestReport> result = engine.run(ingest.flow(), ingest.params(List.of(docs)));
            assertThat(result.state()).isEqualTo(FlowState.FAILED);
            assertThat(result.failedTask()).contains("load");
            assertThat(result.rootCause()).get().isInstanceOf(DataFormatException.class);
            assertThat(result.rootCause().get().getMessage()).contains("latin1.txt").contains("UTF-8");
            assertThat(result.task("ingest").state().name()).isEqualTo("NOT_RUN");
            assertThat(index.documentCount()).isEqualTo(5);
            assertThat(index.bm25().retrieve("changed", 1)).isEmpty();
        }
    }

    @Test
    void syncOfAnEmptySource_refusesToDeleteEverything() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        try (RagIndex index = open(); FlowEngine engine = FlowEngine.builder().home(flows).build()) {
            IngestFlow ingest = IngestFlow.builder().index(index).build();
            ingest.run(engine, List.of(docs));
            assertThatThrownBy(() -> ingest.run(engine, List.of(empty)))
                    .hasRootCauseMessage("no document was loaded from [" + empty + "], and syncing would delete all 5"
                            + " documents of index " + home + ". Fix: check the paths, or delete documents explicitly"
                            + " with RagIndex.delete");
            assertThat(index.documentCount()).isEqualTo(5);
            // upsert mode ingests what it finds and deletes nothing
            IngestFlow upsert = IngestFlow.builder().index(index).deleteMissing(false).name("rag-upsert").build();
            Files.writeString(empty.resolve("z.txt"), "Zeta.");
            assertThat(upsert.run(engine, List.of(empty))).isEqualTo(new IngestReport(1, 0, 0, 0, 1));
            assertThat(index.documentCount()).isEqualTo(6);
        }
        assertThatThrownBy(() -> IngestFlow.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("index");
        assertThatThrownBy(() -> new IngestFlow.Sources(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
