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

    static final String USAGE = """
                   mlops rag compare --beir DIR [--split test] --a RETRIEVER --b RETRIEVER [--metric ndcg@10]
                                 [--model NAME] [--index DIR] [--quantization none|int8] [--seed 0] [--json OUT]
            eval and compare: [--track REGISTRY_DIR [--experiment rag-eval]] logs each evaluation as a tracked run""";

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
        if (beir == null || a == null || b == null) {
            err.println("mlops rag compare: --beir DIR, --a RETRIEVER and --b RETRIEVER are required");
            err.println(RagCommand.USAGE);
            return Main.EXIT_USAGE;
        }
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
