package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM re-embedding an index is killed with SIGKILL: mid-migration the old generation must
 * still serve; after the switch the new one must.
 */
class ReembedCrashIT {

    @TempDir
    Path home;

    /** Runs the child until a line matches {@code stop}, then kills it with SIGKILL; returns the lines read. */
    List<String> runAndKill(String mode, Predicate<String> stop) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashMigrateMain.class.getName(), home.toString(), mode).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (stop.test(line)) {
                    break;
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return lines;
    }

    /** Exact search's best score equals the best dot product over the child's documents, computed here with {@code model}. */
    static void assertServesVectorsOf(RagIndex index, java.util.function.Function<String, float[]> model) {
        String q = "document 1234 about topic t10";
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < CrashMigrateMain.DOCS; i++) {
            best = Math.max(best, ReembedTest.dot(model.apply(q), model.apply(CrashMigrateMain.text(i))));
        }
        assertThat(index.exactDense().retrieve(q, 1).get(0).score()).isCloseTo(best, org.assertj.core.api.Assertions.within(1e-5));
        assertThat(index.dense().retrieve(q, 10)).hasSize(10);
    }

    List<String> entries() throws Exception {
        try (Stream<Path> s = Files.list(home)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void killedMidMigration_theOldGenerationStillServes() throws Exception {
        // 2,500 chunks: the new generation commits after 1,024 and 2,048; kill after 1,280 are embedded
        List<String> lines = runAndKill("slow", l -> l.equals("embedded 1280"));
        assertThat(lines).as("child output").contains("ingested 2500", "embedded 1024", "embedded 1280");
        assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-1");
        assertThat(entries()).as("the partial generation is on disk").contains("gen-1", "gen-2");
        try (RagIndex index = RagIndex.builder().home(home).embedder(new HashingEmbedder()).splitter(Splitter.none()).build()) {
            assertThat(index.generation()).isEqualTo("gen-1");
            assertThat(index.documentCount()).isEqualTo(CrashMigrateMain.DOCS);
            assertServesVectorsOf(index, HashingEmbedder::vector);
            assertThat(index.bm25().retrieve("1234", 1).get(0).documentId()).isEqualTo("doc-1234");
            assertThat(entries()).as("the partial generation was deleted on open").doesNotContain("gen-2");
            // and the migration can be run again, to completion
            try (RagIndex next = index.reembed(new ReversedEmbedder(), Splitter.none(), IngestProgress.NONE)) {
                assertThat(next.documentCount()).isEqualTo(CrashMigrateMain.DOCS);
            }
        }
        assertThatThrownBy(() -> RagIndex.builder().home(home).embedder(new HashingEmbedder()).build())
                .isInstanceOf(EmbeddingModelMismatchException.class);
    }

    @Test
    void killedAfterTheSwitch_theNewGenerationServes() throws Exception {
        List<String> lines = runAndKill("finish", l -> l.startsWith("switched"));
        assertThat(lines).as("child output").contains("switched gen-2");
        assertThat(Files.readString(home.resolve("CURRENT")).strip()).isEqualTo("gen-2");
        assertThatThrownBy(() -> RagIndex.builder().home(home).embedder(new HashingEmbedder()).build())
                .isInstanceOf(EmbeddingModelMismatchException.class).hasMessageContaining("test/reversed-64");
        try (RagIndex index = RagIndex.builder().home(home).embedder(new ReversedEmbedder()).splitter(Splitter.none()).build()) {
            assertThat(index.generation()).isEqualTo("gen-2");
            assertThat(index.documentCount()).isEqualTo(CrashMigrateMain.DOCS);
            assertServesVectorsOf(index, ReversedEmbedder::vector);
            assertThat(entries()).as("the retired generation was deleted on open").doesNotContain("gen-1");
        }
    }
}
