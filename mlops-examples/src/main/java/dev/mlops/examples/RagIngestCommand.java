package dev.mlops.examples;

import dev.mlops.core.flow.FlowEngine;
import dev.mlops.rag.DocumentLoader;
import dev.mlops.rag.IngestFlow;
import dev.mlops.rag.IngestProgress;
import dev.mlops.rag.IngestReport;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.TokenSplitter;
import dev.mlops.rag.spi.Embedder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mlops rag ingest} (as a flow on core's flow engine, progress on stderr) and
 * {@code mlops rag reembed} (re-embedding migration with an atomic switch).
 *
 * <pre>
 * mlops rag ingest --index DIR [--model NAME] [--flows DIR] [--html-exclude CSS] [--keep-missing true] PATH...
 * mlops rag reembed --index DIR --from NAME --to NAME
 * </pre>
 */
final class RagIngestCommand {

    private RagIngestCommand() {}

    static final String USAGE = String.join("\n",
            "       mlops rag ingest --index DIR [--model NAME] [--flows DIR] [--html-exclude CSS] [--keep-missing true] PATH...",
            "                     (.txt .md .html .htm .pdf; runs as a flow whose history goes to --flows, default DIR.flows;",
            "                      documents no longer under PATH... are deleted unless --keep-missing true)",
            "       mlops rag reembed --index DIR --from NAME --to NAME",
            "                     (builds the index again with model --to beside the old one, then switches to it)") + "\n";

    /** Progress lines on stderr. */
    static IngestProgress printer(PrintStream err) {
        return new IngestProgress() {
            @Override
            public void fileSkipped(Path file, String reason, int filesDone, int filesTotal) {
                err.printf(Locale.ROOT, "skipped %s: %s%n", file, reason);
            }

            @Override
            public void planned(int added, int updated, int unchanged, int deleted, int chunks) {
                err.printf(Locale.ROOT, "plan: %d added, %d updated, %d unchanged, %d deleted; %d chunks to embed%n",
                        added, updated, unchanged, deleted, chunks);
            }

            @Override
            public void embedded(int done, int total) {
                err.printf(Locale.ROOT, "embedded %d/%d chunks%n", done, total);
            }
        };
    }

    static int ingest(Map<String, String> opts, List<String> paths, PrintStream out, PrintStream err) {
        if (!opts.containsKey("index") || paths.isEmpty()) {
            err.println("mlops rag ingest: --index DIR and at least one PATH are required");
            return Main.EXIT_USAGE;
        }
        Path indexDir = Path.of(opts.get("index"));
        Path flows = Path.of(opts.getOrDefault("flows", indexDir + ".flows"));
        DocumentLoader.Builder loader = DocumentLoader.builder();
        if (opts.containsKey("html-exclude")) {
            loader.htmlExclude(opts.get("html-exclude"));
        }
        boolean keepMissing = Boolean.parseBoolean(opts.getOrDefault("keep-missing", "false"));
        int[] files = new int[1];
        try (Embedder embedder = RagCommand.embedder(opts.getOrDefault("model", "all-minilm-l6-v2"));
                RagIndex index = RagCommand.open(indexDir, embedder).build();
                FlowEngine engine = FlowEngine.builder().home(flows).build()) {
            IngestProgress print = printer(err);
            IngestProgress progress = new IngestProgress() {
                @Override
                public void fileLoaded(Path file, int documents, int filesDone, int filesTotal) {
                    files[0] = filesTotal;
                }

                @Override
                public void fileSkipped(Path file, String reason, int filesDone, int filesTotal) {
                    files[0] = filesTotal;
                    print.fileSkipped(file, reason, filesDone, filesTotal);
                }

                @Override
                public void planned(int added, int updated, int unchanged, int deleted, int chunks) {
                    print.planned(added, updated, unchanged, deleted, chunks);
                }

                @Override
                public void embedded(int done, int total) {
                    print.embedded(done, total);
                }
            };
            IngestFlow flow = IngestFlow.builder().index(index).loader(loader.build()).progress(progress)
                    .deleteMissing(!keepMissing).build();
            IngestReport r = flow.run(engine, paths.stream().map(Path::of).toList());
            out.printf(Locale.ROOT, "%d files: %d added, %d updated, %d unchanged, %d deleted; %d chunks embedded;"
                    + " index has %d documents, %d chunks (%s)%n", files[0], r.added(), r.updated(), r.unchanged(),
                    r.deleted(), r.chunksEmbedded(), index.documentCount(), index.chunkCount(), index.generation());
        }
        return 0;
    }

    static int reembed(Map<String, String> opts, PrintStream out, PrintStream err) {
        if (!opts.containsKey("index") || !opts.containsKey("from") || !opts.containsKey("to")) {
            err.println("mlops rag reembed: --index DIR, --from NAME and --to NAME are required");
            return Main.EXIT_USAGE;
        }
        try (Embedder from = RagCommand.embedder(opts.get("from"));
                Embedder to = RagCommand.embedder(opts.get("to"));
                RagIndex old = RagCommand.open(Path.of(opts.get("index")), from).build()) {
            if (to == null) {
                err.println("mlops rag reembed: --to needs an embedding model, not 'none'");
                return Main.EXIT_USAGE;
            }
            Splitter splitter = TokenSplitter.builder().embedder(to).build();
            try (RagIndex next = old.reembed(to, splitter, printer(err))) {
                out.printf(Locale.ROOT, "re-embedded %d documents (%d chunks) with %s: %s now serves, %s is retired%n",
                        next.documentCount(), next.chunkCount(), next.modelId(), next.generation(), old.generation());
            }
        }
        return 0;
    }
}
