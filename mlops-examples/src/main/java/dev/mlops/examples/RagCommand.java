package dev.mlops.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.rag.BeirDataset;
import dev.mlops.rag.DocumentLoader;
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

/**
 * {@code mlops rag ...}: ingest files into an index, ask it a question, evaluate a retriever on a
 * BEIR dataset.
 *
 * <pre>
 * mlops rag eval --beir DIR [--split test] --retriever bm25|dense|exact|hybrid [--fusion rrf|minmax]
 *                [--rrf-k 60] [--weight 0.5] [--model NAME] [--index DIR] --json OUT
 * mlops rag ingest --index DIR [--model NAME] PATH...
 * mlops rag ask --index DIR [--model NAME] [--retriever hybrid] [--k 5] "question"
 * mlops rag compare --beir DIR --a RETRIEVER --b RETRIEVER [--metric ndcg@10] ...   (RagCompareCommand)
 * </pre>
 */
final class RagCommand {

    private RagCommand() {}

    static final String USAGE = """
            usage: mlops rag eval --beir DIR [--split test] --retriever bm25|dense|exact|hybrid [--fusion rrf|minmax]
                                  [--rrf-k 60] [--weight 0.5] [--model NAME] [--index DIR] [--json OUT]
                   mlops rag ask --index DIR [--model NAME] [--retriever hybrid|bm25|dense] [--k 5] "question"
                   mlops rag ask ... --generator ollama|openai --llm MODEL [--base-url URL] [--index-version V]
                                 (OpenAI key from the OPENAI_API_KEY environment variable)
                   mlops rag feedback --file FEEDBACK.jsonl --answer ID up|down [comment...]
            """ + RagIngestCommand.USAGE + """

            models: all-minilm-l6-v2 (default), all-minilm-l6-v2-q (int8), bge-small-en-v1.5
            """ + RagCompareCommand.USAGE;

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.println(USAGE);
            return args.isEmpty() ? Main.EXIT_USAGE : 0;
        }
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    err.println("mlops rag: option " + a + " needs a value");
                    return Main.EXIT_USAGE;
                }
                opts.put(a.substring(2), args.get(++i));
            } else {
                positional.add(a);
            }
        }
        try {
            return switch (args.get(0)) {
                case "eval" -> eval(opts, out, err);
                case "ingest" -> RagIngestCommand.ingest(opts, positional, out, err);
                case "reembed" -> RagIngestCommand.reembed(opts, out, err);
                case "ask" -> opts.containsKey("generator") ? RagGenerateCommand.ask(opts, positional, out, err)
                        : ask(opts, positional, out, err);
                case "feedback" -> RagGenerateCommand.feedback(opts, positional, out, err);
                case "compare" -> RagCompareCommand.compare(opts, out, err);
                default -> {
                    err.println("mlops rag: unknown subcommand '" + args.get(0) + "'");
                    err.println(USAGE);
                    yield Main.EXIT_USAGE;
                }
            };
        } catch (IllegalArgumentException | IllegalStateException | dev.mlops.core.MlopsException e) {
            err.println("mlops rag: " + e.getMessage());
            return 1;
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

    static Retriever retriever(RagIndex index, Map<String, String> opts, String kind) {
        Fusion fusion = opts.getOrDefault("fusion", "rrf").equals("minmax")
                ? Fusion.weighted(Double.parseDouble(opts.getOrDefault("weight", "0.5")))
                : Fusion.reciprocalRank(Integer.parseInt(opts.getOrDefault("rrf-k", "60")));
        int candidates = Integer.parseInt(opts.getOrDefault("candidates", "100"));
        return switch (kind) {
            case "bm25" -> index.bm25();
            case "dense" -> index.dense(candidates);
            case "exact" -> index.exactDense();
            case "hybrid" -> index.hybrid(fusion, candidates, index.dense(candidates), index.bm25());
            default -> throw new IllegalArgumentException("--retriever must be bm25, dense, exact or hybrid, was '" + kind + "'");
        };
    }

    private static int eval(Map<String, String> opts, PrintStream out, PrintStream err) throws IOException {
        String beir = opts.get("beir");
        String kind = opts.get("retriever");
        if (beir == null || kind == null) {
            err.println("mlops rag eval: --beir DIR and --retriever are required");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        String split = opts.getOrDefault("split", "test");
        String model = opts.getOrDefault("model", kind.equals("bm25") ? "none" : "all-minilm-l6-v2");
        BeirDataset data = BeirDataset.load(Path.of(beir), split);
        Path indexDir = opts.containsKey("index") ? Path.of(opts.get("index")) : Files.createTempDirectory("mlops-rag-eval");
        boolean temporary = !opts.containsKey("index");
        Embedder embedder = embedder(model);
        try (RagIndex index = open(indexDir, embedder).splitter(Splitter.none())
                .quantization(RagCompareCommand.quantization(opts)).build()) {
            long t0 = System.nanoTime();
            IngestReport report = index.sync(data.corpus());
            double indexSeconds = (System.nanoTime() - t0) / 1e9;
            err.printf(Locale.ROOT, "indexed %d documents in %.1f s (%s)%n", index.documentCount(), indexSeconds, report);
            Retriever retriever = retriever(index, opts, kind);
            RetrievalEvaluation.Outcome o = RetrievalEvaluation.run(retriever, data.queries(), data.qrels(), 100, 1, 10, 100);
            Map<String, Object> json = new LinkedHashMap<>();
            for (String m : List.of("ndcg@10", "recall@10", "recall@100", "mrr@10", "map@10", "ndcg@1", "ndcg@100")) {
                json.put(m, o.result().get(m));
            }
            json.put("queries", o.result().queries());
            json.put("retriever", retriever.name());
            json.put("model", embedder == null ? "none" : embedder.modelId());
            json.put("documents", index.documentCount());
            json.put("index_seconds", indexSeconds);
            json.put("chunks_indexed", report.chunksEmbedded());
            json.put("query_ms_p50", o.latencyPercentileMs(50));
            json.put("query_ms_p99", o.latencyPercentileMs(99));
            json.put("dataset", Path.of(beir).getFileName().toString());
            json.put("split", split);
            json.put("quantization", index.quantization().label());
            String runId = RagCompareCommand.track(opts, retriever, embedder == null ? "none" : embedder.modelId(), o, err);
            if (runId != null) {
                json.put("run_id", runId);
            }
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            String text = mapper.writeValueAsString(json);
            if (opts.containsKey("json")) {
                Path target = Path.of(opts.get("json"));
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

    private static int ask(Map<String, String> opts, List<String> words, PrintStream out, PrintStream err) {
        if (!opts.containsKey("index") || words.isEmpty()) {
            err.println("mlops rag ask: --index DIR and a question are required");
            return Main.EXIT_USAGE;
        }
        String question = String.join(" ", words);
        int k = Integer.parseInt(opts.getOrDefault("k", "5"));
        try (Embedder embedder = embedder(opts.getOrDefault("model", "all-minilm-l6-v2"));
                RagIndex index = open(Path.of(opts.get("index")), embedder).build()) {
            List<SearchHit> hits = retriever(index, opts, opts.getOrDefault("retriever", "hybrid")).retrieve(question, k);
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
