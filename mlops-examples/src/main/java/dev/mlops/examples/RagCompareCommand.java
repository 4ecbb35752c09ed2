package dev.mlops.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.rag.BeirDataset;
import dev.mlops.rag.PairedComparison;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.RetrievalEvaluation;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.VectorQuantization;
import dev.mlops.rag.spi.Embedder;
import dev.mlops.registry.ModelRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops rag compare}: A/B comparison of two retrievers on the same BEIR queries with paired
 * significance tests ({@link PairedComparison}); and the evaluation options shared with {@code rag eval}
 * ({@code --quantization}, {@code --track}).
 *
 * <pre>
 * mlops rag compare --beir DIR [--split test] --a hybrid --b bm25 [--metric ndcg@10] [--model NAME]
 *                   [--index DIR] [--quantization none|int8] [--seed 0] [--json OUT]
 *                   [--track REGISTRY_DIR [--experiment rag-eval]]
 * </pre>
 */
final class RagCompareCommand {

    private RagCompareCommand() {}

    @Command(name = "compare", sortOptions = false, description = {"A/B comparison of two retrievers on the same "
            + "BEIR queries with paired significance tests (t-test, Wilcoxon, permutation, bootstrap CI); the JSON "
            + "report on stdout, the summary on stderr."})
    static final class Compare extends CliCommand {
        @Option(names = "--beir", required = true, paramLabel = "DIR", description = "BEIR dataset directory.")
        String beir;
        @Option(names = "--split", defaultValue = "test", description = "The qrels split (default: ${DEFAULT-VALUE}).")
        String split;
        @Option(names = "--a", required = true, paramLabel = "RETRIEVER", description = "bm25, dense, exact or hybrid.")
        String a;
        @Option(names = "--b", required = true, paramLabel = "RETRIEVER", description = "bm25, dense, exact or hybrid.")
        String b;
        @Option(names = "--metric", defaultValue = "ndcg@10", description = "Per-query metric compared (default: ${DEFAULT-VALUE}).")
        String metric;
        @Option(names = "--model", paramLabel = "NAME", description = "Embedding model (default: none for bm25 vs bm25, else all-minilm-l6-v2).")
        String model;
        @Option(names = "--index", paramLabel = "DIR", description = "Keep the index here (default: a temporary one).")
        String index;
        @Option(names = "--quantization", paramLabel = "none|int8", defaultValue = "none", description = "HNSW vector quantization.")
        String quantization;
        @Option(names = "--seed", defaultValue = "0", description = "Seed of the permutation and bootstrap resampling.")
        long seed;
        @Option(names = "--json", paramLabel = "OUT", description = "Also write the report here.")
        String json;
        @Option(names = "--track", paramLabel = "REGISTRY_DIR", description = "Log each evaluation as a run in this registry.")
        String track;
        @Option(names = "--experiment", defaultValue = "rag-eval", description = "The experiment of --track (default: ${DEFAULT-VALUE}).")
        String experiment;
        @picocli.CommandLine.Mixin
        RagCommand.RetrievalOptions retrieval = new RagCommand.RetrievalOptions();

        Compare(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() throws IOException {
            retrieval.check(this);
            Map<String, String> opts = new LinkedHashMap<>();
            opts.put("beir", beir);
            opts.put("split", split);
            opts.put("a", a);
            opts.put("b", b);
            opts.put("metric", metric);
            put(opts, "model", model);
            put(opts, "index", index);
            opts.put("quantization", quantization);
            opts.put("seed", Long.toString(seed));
            put(opts, "json", json);
            put(opts, "track", track);
            opts.put("experiment", experiment);
            opts.put("fusion", retrieval.fusion);
            opts.put("rrf-k", Integer.toString(retrieval.rrfK));
            opts.put("weight", Double.toString(retrieval.weight));
            opts.put("candidates", Integer.toString(retrieval.candidates));
            return compare(opts, out, err);
        }
    }

    static void put(Map<String, String> opts, String key, String value) {
        if (value != null) {
            opts.put(key, value);
        }
    }

    static VectorQuantization quantization(Map<String, String> opts) {
        String q = opts.getOrDefault("quantization", "none");
        return switch (q) {
            case "none" -> VectorQuantization.NONE;
            case "int8" -> VectorQuantization.INT8;
            default -> throw new IllegalArgumentException("--quantization must be none or int8, was '" + q + "'");
        };
    }

    /** Logs one evaluation to the registry in {@code --track DIR} (if given); returns the run id or null. */
    static String track(Map<String, String> opts, Retriever retriever, String model, RetrievalEvaluation.Outcome o,
            PrintStream err) {
        if (!opts.containsKey("track")) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("strategy", retriever.name());
        params.put("model", model);
        params.put("k", "100");
        params.put("chunking", "none (one chunk per document)");
        params.put("quantization", quantization(opts).label());
        params.put("dataset", Path.of(opts.get("beir")).getFileName().toString());
        params.put("split", opts.getOrDefault("split", "test"));
        try (ModelRegistry registry = ModelRegistry.open(Path.of(opts.get("track")))) {
            String id = RetrievalEvaluation.track(registry, opts.getOrDefault("experiment", "rag-eval"), retriever.name(),
                    params, o);
            err.println("tracked run " + id + " in " + opts.get("track"));
            return id;
        }
    }

    static int compare(Map<String, String> opts, PrintStream out, PrintStream err) throws IOException {
        String beir = opts.get("beir");
        String a = opts.get("a");
        String b = opts.get("b");
        String metric = opts.getOrDefault("metric", "ndcg@10");
        boolean textOnly = a.equals("bm25") && b.equals("bm25");
        String model = opts.getOrDefault("model", textOnly ? "none" : "all-minilm-l6-v2");
        BeirDataset data = BeirDataset.load(Path.of(beir), opts.getOrDefault("split", "test"));
        Path indexDir = opts.containsKey("index") ? Path.of(opts.get("index")) : Files.createTempDirectory("mlops-rag-compare");
        Embedder embedder = RagCommand.embedder(model);
        try (RagIndex index = RagCommand.open(indexDir, embedder).splitter(Splitter.none()).quantization(quantization(opts))
                .build()) {
            index.sync(data.corpus());
            Retriever ra = RagCommand.retriever(index, opts, a);
            Retriever rb = RagCommand.retriever(index, opts, b);
            RetrievalEvaluation.Outcome oa = RetrievalEvaluation.run(ra, data.queries(), data.qrels(), 100, 1, 10, 100);
            RetrievalEvaluation.Outcome ob = RetrievalEvaluation.run(rb, data.queries(), data.qrels(), 100, 1, 10, 100);
            PairedComparison.Result r = PairedComparison.builder().seed(Long.parseLong(opts.getOrDefault("seed", "0")))
                    .build().compare(oa, ob, metric);
            String modelId = embedder == null ? "none" : embedder.modelId();
            track(opts, ra, modelId, oa, err);
            track(opts, rb, modelId, ob, err);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("metric", metric);
            json.put("a", ra.name());
            json.put("b", rb.name());
            json.put("queries", r.n());
            json.put("mean_a", r.meanA());
            json.put("mean_b", r.meanB());
            json.put("mean_difference", r.meanDifference());
            json.put("t_test", r.tTest());
            json.put("wilcoxon", r.wilcoxon());
            json.put("permutation", r.permutation());
            json.put("bootstrap_ci", r.bootstrap());
            json.put("model", modelId);
            String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
            if (opts.containsKey("json")) {
                Path target = Path.of(opts.get("json"));
                Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(tmp, text + "\n");
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            err.printf(Locale.ROOT, "%s %s: %.4f vs %.4f, difference %+.4f, t-test p = %.3g, Wilcoxon p = %.3g,"
                    + " permutation p = %.3g, 95%% bootstrap CI [%+.4f, %+.4f]%n", ra.name() + " vs " + rb.name(), metric,
                    r.meanA(), r.meanB(), r.meanDifference(), r.tTest().pValue(), r.wilcoxon().pValue(),
                    r.permutation().pValue(), r.bootstrap().low(), r.bootstrap().high());
            out.println(text);
        } finally {
            if (embedder != null) {
                embedder.close();
            }
            if (!opts.containsKey("index")) {
                RagCommand.deleteTree(indexDir);
            }
        }
        return 0;
    }
}
