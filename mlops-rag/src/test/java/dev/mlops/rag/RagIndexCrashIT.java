package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM ingesting batches is killed with SIGKILL mid-ingest; the index must reopen cleanly. */
class RagIndexCrashIT {

    @TempDir
    Path home;

    @Test
    void killedIngest_reopensWithWholeBatchesOnly() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                CrashIngestMain.class.getName(), home.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int lastCommitted = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastCommitted = Integer.parseInt(line.substring(10).trim());
                    if (lastCommitted >= 200) {
                        break; // the child is inside its next batch now
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(lastCommitted).as("child output").isGreaterThanOrEqualTo(200);
        try (RagIndex index = RagIndex.builder().home(home).embedder(new HashingEmbedder()).splitter(Splitter.none()).build()) {
            int docs = index.documentCount();
            // every acknowledged batch is there, and only whole batches (one commit per batch)
            assertThat(docs).isGreaterThanOrEqualTo(lastCommitted);
            assertThat(docs % 50).isZero();
            assertThat(index.chunkCount()).isEqualTo(docs);
            int lastBatch = docs / 50 - 1;
            assertThat(index.bm25().retrieve("document", 1000, Filter.eq("batch", (long) lastBatch))).hasSize(50);
            // and it is writable again
            index.upsert(List.of(new Document("after-crash", "recovered text")));
            assertThat(index.documentCount()).isEqualTo(docs + 1);
        }
    }
}
