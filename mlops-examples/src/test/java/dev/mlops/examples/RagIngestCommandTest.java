package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops rag ingest} (a flow, incremental) and {@code mlops rag reembed} on the SQLite HTML pages. */
class RagIngestCommandTest {

    static final Path HTML = Path.of("../examples/data/sqlite_html").toAbsolutePath().normalize();
    static final String EXCLUDE = ".nosearch, .fancy_toc, .fancy_toc_mark";

    @TempDir
    Path dir;

    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void ingest_isIncremental_andDeletesRemovedFiles() throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        for (String f : List.of("wal.html", "isolation.html", "copyright.html")) {
            Files.copy(HTML.resolve(f), docs.resolve(f));
        }
        String index = dir.resolve("index").toString();
        assertThat(run("rag", "ingest", "--index", index, "--model", "none", "--html-exclude", EXCLUDE, docs.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("3 files: 3 added, 0 updated, 0 unchanged, 0 deleted;").contains("(gen-1)");
        assertThat(err.toString()).contains("plan: 3 added, 0 updated, 0 unchanged, 0 deleted");
        assertThat(Files.isDirectory(dir.resolve("index.flows"))).isTrue();

        assertThat(run("rag", "ingest", "--index", index, "--model", "none", "--html-exclude", EXCLUDE, docs.toString())).isZero();
        assertThat(out.toString()).startsWith("3 files: 0 added, 0 updated, 3 unchanged, 0 deleted; 0 chunks embedded;");

        Files.delete(docs.resolve("isolation.html"));
        assertThat(run("rag", "ingest", "--index", index, "--model", "none", "--html-exclude", EXCLUDE, docs.toString())).isZero();
        assertThat(out.toString()).startsWith("2 files: 0 added, 0 updated, 2 unchanged, 1 deleted; 0 chunks embedded;")
                .contains("index has 2 documents");

        assertThat(run("rag", "ingest", "--index", index, "--model", "none", dir.resolve("nothing-here").toString())).isOne();
        assertThat(err.toString()).contains("nothing-here");
    }

    @Test
    void reembed_switchesTheIndexToAnotherModel() throws Exception {
        String index = dir.resolve("index").toString();
        assertThat(run("rag", "ingest", "--index", index, "--model", "none", "--html-exclude", EXCLUDE,
                HTML.resolve("copyright.html").toString())).as(err.toString()).isZero();
        assertThat(run("rag", "reembed", "--index", index, "--from", "none", "--to", "all-minilm-l6-v2-q")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("re-embedded 1 documents").contains("gen-2 now serves, gen-1 is retired");
        assertThat(err.toString()).contains("plan: 1 added").contains("embedded ");
        assertThat(Files.readString(dir.resolve("index/CURRENT")).strip()).isEqualTo("gen-2");
        assertThat(Files.exists(dir.resolve("index/gen-1"))).isFalse();
        // the old model is refused now; the new one answers
        assertThat(run("rag", "ask", "--index", index, "--model", "none", "--retriever", "bm25", "public domain")).isOne();
        assertThat(err.toString()).contains("all-MiniLM-L6-v2@int8").contains("reembed");
        assertThat(run("rag", "ask", "--index", index, "--model", "all-minilm-l6-v2-q", "Is SQLite public domain?")).isZero();
        assertThat(out.toString()).contains("copyright.html");
    }
}
