package dev.mlops.benchmarks;

import dev.mlops.rag.BeirDataset;
import dev.mlops.rag.Document;
import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.Fusion;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.RetrievalEvaluation;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.VectorQuantization;
import dev.mlops.rag.spi.Embedder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BEIR SciFact (test split) with the float and the int8 (scalar-quantized) HNSW vector formats of
 * {@link RagIndex}, from the same all-MiniLM-L6-v2 embeddings: nDCG@10, recall@10, recall@100 and the
 * median search latency of dense HNSW (100 candidates), exact search, and hybrid RRF over each index.
 * The corpus and the queries are embedded once (cached in {@code workdir/vectors.bin}, so a rerun
 * embeds nothing), and both indexes are built from those vectors; the latencies are search only
 * (query vectors precomputed). The peer is the float index measured in the same run.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.RagQuantizationBenchmark \
 *     ../shared/data/beir/scifact [workdir=target/scifact-quant]
 * </pre>
 */
public final class RagQuantizationBenchmark {

    private RagQuantizationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path beir = Path.of(args.length > 0 ? args[0] : "../shared/data/beir/scifact");
        Path work = Path.of(args.length > 1 ? args[1] : "target/scifact-quant");
        Files.createDirectories(work);
        BeirDataset data = BeirDataset.load(beir, "test");
        System.out.printf(Locale.ROOT, "SciFact test: %d documents, %d queries; %d cores, load average %.2f%n",
                data.corpus().size(), data.queries().size(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, float[]> table;
        String modelId;
        String modelHash;
        try (Embedder onnx = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build()) {
            modelId = onnx.modelId();
            modelHash = onnx.modelHash();
            Path cache = work.resolve("vectors.bin");
            table = Files.exists(cache) ? read(cache) : null;
            if (table == null) {
                List<String> texts = new ArrayList<>();
                data.corpus().forEach(d -> texts.add(d.text()));
                texts.addAll(data.queries().values());
                long t0 = System.nanoTime();
                table = new HashMap<>();
                for (int from = 0; from < texts.size(); from += 256) {
                    List<String> part = texts.subList(from, Math.min(texts.size(), from + 256));
                    List<float[]> vs = onnx.embed(part);
                    for (int i = 0; i < part.size(); i++) {
                        table.put(part.get(i), vs.get(i));
                    }
                    System.out.printf(Locale.ROOT, "embedded %d/%d texts (%.0f s)%n", from + part.size(), texts.size(),
                            (System.nanoTime() - t0) / 1e9);
                }
                write(cache, table);
            }
        }
        Map<String, float[]> vectors = table;
        Embedder cached = new Embedder() {
            @Override
            public String modelId() {
                return modelId;
            }

            @Override
            public String modelHash() {
                return modelHash;
            }

            @Override
            public int dimension() {
                return 384;
            }

            @Override
            public boolean normalized() {
                return true;
            }

            @Override
            public int maxTokens() {
                return 256;
            }

            @Override
            public int countTokens(String text) {
                return 1;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                List<float[]> out = new ArrayList<>();
                for (String t : texts) {
                    float[] v = vectors.get(t);
                    if (v == null) {
                        throw new IllegalStateException("no cached vector for " + t);
                    }
                    out.add(v);
                }
                return out;
            }
        };
        System.out.println("index | retriever | nDCG@10 | R@10 | R@100 | MRR@10 | median ms | p99 ms | build s");
        for (VectorQuantization quant : VectorQuantization.values()) {
            Path home = work.resolve("index-" + quant.label());
            HnswRecallBenchmark.deleteTree(home);
            try (RagIndex index = RagIndex.builder().home(home).embedder(cached).splitter(Splitter.none())
                    .quantization(quant).build()) {
                long b0 = System.nanoTime();
                index.upsert(data.corpus());
                double build = (System.nanoTime() - b0) / 1e9;
                Map<String, Retriever> retrievers = new LinkedHashMap<>();
                retrievers.put("dense HNSW (100 candidates)", index.dense(100));
                retrievers.put("exact", index.exactDense());
                retrievers.put("hybrid RRF k=60", index.hybrid(Fusion.reciprocalRank()));
                for (Map.Entry<String, Retriever> r : retrievers.entrySet()) {
                    RetrievalEvaluation.run(r.getValue(), data.queries(), data.qrels(), 100, 10); // warm-up
                    RetrievalEvaluation.Outcome o = RetrievalEvaluation.run(r.getValue(), data.queries(), data.qrels(),
                            100, 10, 100);
                    System.out.printf(Locale.ROOT, "%s | %s | %.4f | %.4f | %.4f | %.4f | %.2f | %.2f | %.1f%n",
                            quant.label(), r.getKey(), o.result().get("ndcg@10"), o.result().get("recall@10"),
                            o.result().get("recall@100"), o.result().get("mrr@10"), o.latencyPercentileMs(50),
                            o.latencyPercentileMs(99), build);
                }
            }
        }
    }

    private static void write(Path file, Map<String, float[]> table) throws java.io.IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(table.size());
            for (Map.Entry<String, float[]> e : table.entrySet()) {
                byte[] key = e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(e.getValue().length);
                for (float f : e.getValue()) {
                    out.writeFloat(f);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Map<String, float[]> read(Path file) throws java.io.IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            Map<String, float[]> table = new HashMap<>();
            for (int i = 0; i < n; i++) {
                byte[] key = in.readNBytes(in.readInt());
                float[] v = new float[in.readInt()];
                for (int d = 0; d < v.length; d++) {
                    v[d] = in.readFloat();
                }
                table.put(new String(key, java.nio.charset.StandardCharsets.UTF_8), v);
            }
            return table;
        }
    }
}
