package dev.mlops.rag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child JVM of {@link ReembedCrashIT}. {@code args[1] = "slow"}: ingests {@link #DOCS} documents with
 * {@link HashingEmbedder}, prints "ingested", then re-embeds them with {@link ReversedEmbedder}
 * printing "embedded N" after each batch, and stops inside the migration after 1,280 chunks (the new
 * generation has committed 1,024) to be killed there. {@code "finish"}: the same, then
 * prints "switched" and waits (the retired index still open) to be killed.
 */
public final class CrashMigrateMain {
    static final int DOCS = 2500;

    private CrashMigrateMain() {}

    static String text(int i) {
        return "document " + i + " about topic t" + (i % 17);
    }

    public static void main(String[] args) throws Exception {
        boolean slow = args[1].equals("slow");
        RagIndex index = RagIndex.builder().home(Path.of(args[0])).embedder(new HashingEmbedder())
                .splitter(Splitter.none()).build();
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(new Document("doc-" + i, text(i), Map.of("n", (long) i)));
        }
        index.upsert(docs);
        System.out.println("ingested " + index.documentCount());
        System.out.flush();
        RagIndex next = index.reembed(new ReversedEmbedder(), Splitter.none(), new IngestProgress() {
            @Override
            public void embedded(int done, int total) {
                System.out.println("embedded " + done);
                System.out.flush();
                if (slow && done >= 1280) {
                    try {
                        Thread.sleep(600_000); // mid-migration, one commit made in the new generation: wait for the kill
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        System.out.println("switched " + next.generation());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
