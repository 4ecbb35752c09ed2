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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Command(name = "ingest", sortOptions = false, description = {"Load files and directories (.txt .md .html .htm "
            + ".pdf) into an index, as a flow whose history goes to --flows; progress on stderr. Documents no longer "
            + "under PATH... are deleted unless --keep-missing."})
    static final class Ingest extends CliCommand {
        @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index home.")
        Path index;
        @Option(names = "--model", paramLabel = "NAME", defaultValue = "all-minilm-l6-v2",
                description = "Embedding model: " + RagCommand.MODELS + "; none for BM25 only.")
        String model;
        @Option(names = "--flows", paramLabel = "DIR", description = "The flow engine home (default: DIR.flows).")
        Path flows;
        @Option(names = "--html-exclude", paramLabel = "CSS", description = "CSS selector of HTML elements to drop (site chrome).")
        String htmlExclude;
        @Option(names = "--keep-missing", arity = "0..1", paramLabel = "true|false", defaultValue = "false",
                fallbackValue = "true", description = "Keep documents no longer under PATH... (default: delete them).")
        boolean keepMissing;
        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or directories to ingest.")
        List<Path> paths;

        Ingest(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            return ingest(index, model, flows, htmlExclude, keepMissing, paths, out, err);
        }
    }

    @Command(name = "reembed", description = "Build the index again with model --to beside the old one, then switch to it.")
    static final class Reembed extends CliCommand {
        @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index home.")
        Path index;
        @Option(names = "--from", required = true, paramLabel = "NAME", description = "The model the index has now.")
        String from;
        @Option(names = "--to", required = true, paramLabel = "NAME", description = "The new embedding model.")
        String to;

        Reembed(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            if (to.equals("none")) {
                throw usage("--to needs an embedding model, not 'none'");
            }
            return reembed(index, from, to, out, err);
        }
    }

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

    static int ingest(Path indexDir, String model, Path flowsOrNull, String htmlExclude, boolean keepMissing,
                      List<Path> paths, PrintStream out, PrintStream err) {
        Path flows = flowsOrNull != null ? flowsOrNull : Path.of(indexDir + ".flows");
        DocumentLoader.Builder loader = DocumentLoader.builder();
        if (htmlExclude != null) {
            loader.htmlExclude(htmlExclude);
        }
        int[] files = new int[1];
        try (Embedder embedder = RagCommand.embedder(model);
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
            IngestReport r = flow.run(engine, paths);
            out.printf(Locale.ROOT, "%d files: %d added, %d updated, %d unchanged, %d deleted; %d chunks embedded;"
                    + " index has %d documents, %d chunks (%s)%n", files[0], r.added(), r.updated(), r.unchanged(),
                    r.deleted(), r.chunksEmbedded(), index.documentCount(), index.chunkCount(), index.generation());
        }
        return 0;
    }

    static int reembed(Path indexDir, String fromModel, String toModel, PrintStream out, PrintStream err) {
        try (Embedder from = RagCommand.embedder(fromModel);
                Embedder to = RagCommand.embedder(toModel);
                RagIndex old = RagCommand.open(indexDir, from).build()) {
            Splitter splitter = TokenSplitter.builder().embedder(to).build();
            try (RagIndex next = old.reembed(to, splitter, printer(err))) {
                out.printf(Locale.ROOT, "re-embedded %d documents (%d chunks) with %s: %s now serves, %s is retired%n",
                        next.documentCount(), next.chunkCount(), next.modelId(), next.generation(), old.generation());
            }
        }
        return 0;
    }
}
