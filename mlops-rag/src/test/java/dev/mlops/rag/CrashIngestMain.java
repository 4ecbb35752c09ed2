package dev.mlops.rag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child JVM of {@link RagIndexCrashIT}: ingests batches of 50 documents forever into the index at
 * args[0], printing "committed N" after each commit, until it is killed.
 */
public final class CrashIngestMain {
    private CrashIngestMain() {}

    public static void main(String[] args) {
        try (RagIndex index = RagIndex.builder().home(Path.of(args[0])).embedder(new HashingEmbedder())
                .splitter(Splitter.none()).build()) {
            for (int batch = 0; ; batch++) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int n = batch * 50 + i;
                    docs.add(new Document("doc-" + n, "batch " + batch + " document " + n + " text ".repeat(50), Map.of("batch", (long) batch)));
                }
                index.upsert(docs);
                System.out.println("committed " + index.documentCount());
                System.out.flush();
            }
        }
    }
}
