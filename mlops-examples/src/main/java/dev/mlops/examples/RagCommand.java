package dev.mlops.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.rag.BeirDataset;
import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.Fusion;
import dev.mlops.rag.IngestReport;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.RetrievalEvaluation;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.SearchHit;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.spi.Embedder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops rag ingest|reembed|ask|eval|feedback}: ingest files into an index (see {@link RagIngestCommand}),
 * re-embed it with another model, ask it a question, evaluate a retriever on a BEIR dataset, record feedback.
 *
 * <pre>
 * mlops rag eval --beir DIR [--split test] --retriever bm25|dense|exact|hybrid [--fusion rrf|minmax]
 *                [--rrf-k 60] [--weight 0.5] [--candidates 100] [--model NAME] [--index DIR] [--json OUT]
 * mlops rag ingest --index DIR [--model NAME] [--flows DIR] [--html-exclude CSS] [--keep-missing] PATH...
 * mlops rag reembed --index DIR --from NAME --to NAME
 * mlops rag compare --beir DIR --a RETRIEVER --b RETRIEVER [--metric ndcg@10] ...   (RagCompareCommand)
 * mlops rag ask --index DIR [--model NAME] [--retriever hybrid] [--k 5] "question"
 * mlops rag ask ... --generator ollama|openai --llm MODEL [--base-url URL] [--index-version V]
 * mlops rag feedback --file FEEDBACK.jsonl --answer ID up|down [comment...]
 * </pre>
 */
@Command(name = "rag", description = "RAG: ingest files, re-embed, ask, evaluate retrievers on BEIR, record feedback.",
        subcommands = {RagIngestCommand.Ingest.class, RagIngestCommand.Reembed.class, RagCommand.Ask.class,
                RagCommand.Eval.class, RagCompareCommand.Compare.class, RagGenerateCommand.FeedbackCommand.class})
final class RagCommand extends CliCommand.Group {

    RagCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    static final String MODELS = "all-minilm-l6-v2 (default), all-minilm-l6-v2-q (int8), bge-small-en-v1.5";

    /** Options shared by the commands that retrieve. */
    static final class RetrievalOptions {
        @Option(names = "--fusion", paramLabel = "rrf|minmax", defaultValue = "rrf", description = "Hybrid fusion (default: ${DEFAULT-VALUE}).")
        String fusion;
        @Option(names = "--rrf-k", paramLabel = "N", defaultValue = "60", description = "Reciprocal rank fusion constant (default: ${DEFAULT-VALUE}).")
        int rrfK;
        @Option(names = "--weight", paramLabel = "W", defaultValue = "0.5", description = "Weight of the dense list in min-max fusion (default: ${DEFAULT-VALUE}).")
        double weight;
        @Option(names = "--candidates", paramLabel = "N", defaultValue = "100", description = "Candidates per retriever and for HNSW (default: ${DEFAULT-VALUE}).")
        int candidates;

        /** Checks the values picocli cannot: a bad one is a usage error of {@code command}. */
        void check(CliCommand command) {
            if (!fusion.equals("rrf") && !fusion.equals("minmax")) {
                throw command.usage("--fusion must be rrf or minmax, was '" + fusion + "'");
            }
            if (candidates < 1 || rrfK < 1) {
                throw command.usage("--candidates and --rrf-k must be >= 1, were " + candidates + " and " + rrfK);
            }
        }
    }

    @Command(name = "eval", sortOptions = false, description = "Evaluate a retriever on a BEIR dataset and print (or write) the JSON report.")
    static final class Eval extends CliCommand {
        @Option(names = "--beir", required = true, paramLabel = "DIR", description = "BEIR dataset: corpus.jsonl, queries.jsonl, qrels/<split>.tsv.")
        Path beir;
        @Option(names = "--split", defaultValue = "test", description = "The qrels split (default: ${DEFAULT-VALUE}).")
        String split;
        @Option(names = "--retriever", required = true, paramLabel = "bm25|dense|exact|hybrid", description = "The retriever to evaluate.")
        String retriever;
        @Option(names = "--model", paramLabel = "NAME", description = "Embedding model: " + MODELS + "; bm25 builds a text-only index unless a model is given.")
        String model;
        @Option(names = "--index", paramLabel = "DIR", description = "Keep the index here (default: a temporary one, deleted).")
        Path index;
        @Option(names = "--json", paramLabel = "OUT", description = "Also write the report here.")
        Path json;
        @Option(names = "--quantization", paramLabel = "none|int8", defaultValue = "none", description = "HNSW vector quantization (default: ${DEFAULT-VALUE}).")
        String quantization;
        @Option(names = "--track", paramLabel = "REGISTRY_DIR", description = "Log the evaluation as a run in this registry.")
        String track;
        @Option(names = "--experiment", defaultValue = "rag-eval", description = "The experiment of --track (default: ${DEFAULT-VALUE}).")
        String experiment;
        @picocli.CommandLine.Mixin
        RetrievalOptions retrieval = new RetrievalOptions();

        Eval(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() throws IOException {
            retrieval.check(this);
            return eval(this, out, err);
        }
    }

    @Command(name = "ask", sortOptions = false, description = "Answer a question from an index, with sources: extractively, or with an LLM (--generator).")
    static final class Ask extends CliCommand {
        @Option(names = "--index", required = true, paramLabel = "DIR", description = "The index home.")
        Path index;
        @Option(names = "--model", paramLabel = "NAME", defaultValue = "all-minilm-l6-v2", description = "Embedding model the index was built with.")
        String model;
        @Option(names = "--retriever", paramLabel = "hybrid|bm25|dense|exact", defaultValue = "hybrid", description = "Default: ${DEFAULT-VALUE}.")
        String retriever;
        @Option(names = "--k", paramLabel = "N", defaultValue = "5", description = "Chunks to retrieve (default: ${DEFAULT-VALUE}).")
        int k;
        @Option(names = "--generator", paramLabel = "ollama|openai", description = "Answer with an LLM server instead of extractively (OpenAI key from $OPENAI_API_KEY).")
        String generator;
        @Option(names = "--llm", paramLabel = "MODEL", description = "The LLM (required with --generator).")
        String llm;
        @Option(names = "--base-url", paramLabel = "URL", description = "The LLM server (default: the generator's).")
        String baseUrl;
        @Option(names = "--index-version", paramLabel = "V", defaultValue = "unversioned", description = "Recorded on the answer.")
        String indexVersion;
        @picocli.CommandLine.Mixin
        RetrievalOptions retrieval = new RetrievalOptions();
        @Parameters(arity = "1..*", paramLabel = "QUESTION", description = "The question (the words are joined).")
        List<String> words;

        Ask(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            retrieval.check(this);
            if (!List.of("bm25", "dense", "exact", "hybrid").contains(retriever)) {
                throw usage("--retriever must be hybrid, bm25, dense or exact, was '" + retriever + "'");
            }
            if (k < 1) {
                throw usage("--k must be >= 1, was " + k);
            }
            if (generator != null) {
                if (!generator.equals("ollama") && !generator.equals("openai")) {
                    throw usage("--generator must be ollama or openai, was '" + generator + "'");
                }
                if (llm == null) {
                    throw usage("--generator needs --llm MODEL");
                }
                return RagGenerateCommand.ask(this, out);
            }
            return ask(this, out);
        }
    }

    static Embedder embedder(String model) {
        return model == null || model.equals("none") ? null
                : OnnxEmbedder.builder().model(EmbeddingModel.byName(model)).build();
    }

    static RagIndex.Builder open(Path home, Embedder embedder) {
        RagIndex.Builder b = RagIndex.builder().home(home);
        return embedder == null ? b : b.embedder(embedder);
    }

    /** {@link #retriever(RagIndex, RetrievalOptions, String)} with the options as a map (fusion, rrf-k, weight, candidates). */
    static Retriever retriever(RagIndex index, Map<String, String> opts, String kind) {
        RetrievalOptions o = new RetrievalOptions();
        o.fusion = opts.getOrDefault("fusion", "rrf");
        o.rrfK = Integer.parseInt(opts.getOrDefault("rrf-k", "60"));
        o.weight = Double.parseDouble(opts.getOrDefault("weight", "0.5"));
        o.candidates = Integer.parseInt(opts.getOrDefault("candidates", "100"));
        return retriever(index, o, kind);
    }

    static Retriever retriever(RagIndex index, RetrievalOptions opts, String kind) {
        Fusion fusion = switch (opts.fusion) {
            case "minmax" -> Fusion.weighted(opts.weight);
            case "rrf" -> Fusion.reciprocalRank(opts.rrfK);
            default -> throw new IllegalArgumentException("--fusion must be rrf or minmax, was '" + opts.fusion + "'");
        };
        int candidates = opts.candidates;
        return switch (kind) {
            case "bm25" -> index.bm25();
            case "dense" -> index.dense(candidates);
            case "exact" -> index.exactDense();
            case "hybrid" -> index.hybrid(fusion, candidates, index.dense(candidates), index.bm25());
            default -> throw new IllegalArgumentException("--retriever must be bm25, dense, exact or hybrid, was '" + kind + "'");
        };
    }

    private static int eval(Eval o, PrintStream out, PrintStream err) throws IOException {
        String kind = o.retriever;
        if (!List.of("bm25", "dense", "exact", "hybrid").contains(kind)) {
            throw o.usage("--retriever must be bm25, dense, exact or hybrid, was '" + kind + "'");
        }
        String split = o.split;
        String model = o.model != null ? o.model : kind.equals("bm25") ? "none" : "all-minilm-l6-v2";
        BeirDataset data = BeirDataset.load(o.beir, split);
        Path indexDir = o.index != null ? o.index : Files.createTempDirectory("mlops-rag-eval");
        boolean temporary = o.index == null;
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("beir", o.beir.toString());
        opts.put("split", split);
        opts.put("quantization", o.quantization);
        RagCompareCommand.put(opts, "track", o.track);
        opts.put("experiment", o.experiment);
        var quantization = RagCompareCommand.quantization(opts);
        Embedder embedder = embedder(model);
        try (RagIndex index = open(indexDir, embedder).splitter(Splitter.none()).quantization(quantization).build()) {
            long t0 = System.nanoTime();
            IngestReport report = index.sync(data.corpus());
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            err.printf(Locale.ROOT, "indexed %d documents in %.1f s (%s)%n", index.documentCount(), indexSeconds, report);
            Retriever retriever = retriever(index, o.retrieval, kind);
            RetrievalEvaluation.Outcome result = RetrievalEvaluation.run(retriever, data.queries(), data.qrels(), 100, 1, 10, 100);
            Map<String, Object> json = new LinkedHashMap<>();
            for (String m : List.of("ndcg@10", "recall@10", "recall@100", "mrr@10", "map@10", "ndcg@1", "ndcg@100")) {
                json.put(m, result.result().get(m));
            }
            json.put("queries", result.result().queries());
            json.put("retriever", retriever.name());
            json.put("model", embedder == null ? "none" : embedder.modelId());
            json.put("documents", index.documentCount());
            json.put("index_seconds", indexSeconds);
            json.put("chunks_indexed", report.chunksEmbedded());
            json.put("query_ms_p50", result.latencyPercentileMs(50));
            json.put("query_ms_p99", result.latencyPercentileMs(99));
            json.put("dataset", o.beir.getFileName().toString());
            json.put("split", split);
            json.put("quantization", index.quantization().label());
            String runId = RagCompareCommand.track(opts, retriever, embedder == null ? "none" : embedder.modelId(),
                    result, err);
            if (runId != null) {
                json.put("run_id", runId);
            }
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            String text = mapper.writeValueAsString(json);
            if (o.json != null) {
                Path target = o.json;
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(tmp, text + "\n");
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            out.println(text);
        } finally {
            if (embedder != null) {
                embedder.close();
            }
            if (temporary) {
                deleteTree(indexDir);
            }
        }
        return 0;
    }

    private static int ask(Ask o, PrintStream out) {
        String question = String.join(" ", o.words);
        try (Embedder embedder = embedder(o.model);
                RagIndex index = open(o.index, embedder).build()) {
            List<SearchHit> hits = retriever(index, o.retrieval, o.retriever).retrieve(question, o.k);
            var answer = dev.mlops.rag.ExtractiveAnswerer.builder().embedder(embedder).build().answer(question, hits);
            out.println(answer.text());
            out.println();
            out.println("sources:");
            answer.citations().forEach(c -> out.printf(Locale.ROOT, "  [%d] %s (chunk %s, offset %d)%n",
                    c.number(), c.source(), c.chunkId(), c.start()));
        }
        return 0;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
