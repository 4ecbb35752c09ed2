package dev.mlops.benchmarks;

import dev.mlops.rag.Document;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.SearchHit;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.VectorQuantization;
import dev.mlops.rag.spi.Embedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * HNSW recall@10 against exact search on random unit vectors, through {@link RagIndex}, for the float
 * and the int8 (scalar-quantized) vector formats. The truth is a plain brute-force loop over the same
 * vectors (the peer); recall@10 = |HNSW top 10 ∩ true top 10| / 10, averaged over the queries. Also
 * prints the index build time and the median query latency of HNSW at each candidate count beside the
 * median of exact search ({@code RagIndex.exactDense()}, a scan of all vectors) measured in the same run.
 * A finished index is marked with a {@code complete-<n>x<dim>} file and reused by the next run with the same
 * n and dim (the vectors are the same: seed 42), so more candidate counts can be tried without rebuilding.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.HnswRecallBenchmark \
 *     [n=100000] [dim=384] [queries=200] [candidates=10,50,100,200] [workdir=target/hnsw-recall]
 * </pre>
 */
public final class HnswRecallBenchmark {

    private HnswRecallBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 384;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int[] candidates = Arrays.stream((args.length > 3 ? args[3] : "10,50,100,200").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Path work = Path.of(args.length > 4 ? args[4] : "target/hnsw-recall");
        float[][] vectors = new float[n + queries][];
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = unit(rnd, dim);
        }
        System.out.printf(Locale.ROOT, "%d random unit vectors, %d-d, %d queries, %d cores, load average %.2f%n", n, dim,
                queries, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        // truth: brute force in a plain loop
        long t0 = System.nanoTime();
        List<Set<Integer>> truth = new ArrayList<>();
        double[] bruteMs = new double[queries];
        for (int q = 0; q < queries; q++) {
            long s = System.nanoTime();
            truth.add(topK(vectors, n, vectors[n + q], 10));
            bruteMs[q] = (System.nanoTime() - s) / 1e6;
        }
        System.out.printf(Locale.ROOT, "brute force (plain loop): median %.2f ms/query (%.1f s for all)%n", median(bruteMs),
                (System.nanoTime() - t0) / 1e9);

        List<Document> docs = IntStream.range(0, n).mapToObj(i -> new Document("v" + i, "v" + i, Map.of())).toList();
        Embedder embedder = new IndexedEmbedder(vectors, dim);
        for (VectorQuantization quant : VectorQuantization.values()) {
            Path home = work.resolve(quant.label());
            boolean reuse = Files.exists(home.resolve("complete-" + n + "x" + dim));
            if (!reuse) {
                deleteTree(home);
            }
            try (RagIndex index = RagIndex.builder().home(home).embedder(embedder).splitter(Splitter.none())
                    .quantization(quant).build()) {
                if (reuse) {
                    System.out.printf(Locale.ROOT, "%n%s: reusing the index in %s (%d chunks)%n", quant.label(), home,
                            index.chunkCount());
                } else {
                    long b0 = System.nanoTime();
                    for (int from = 0; from < n; from += 20_000) {
                        index.upsert(docs.subList(from, Math.min(n, from + 20_000)));
                    }
                    double buildS = (System.nanoTime() - b0) / 1e9;
                    Files.writeString(home.resolve("complete-" + n + "x" + dim), "seed 42\n");
                    System.out.printf(Locale.ROOT, "%n%s: indexed %d vectors in %.1f s (%d chunks)%n", quant.label(), n,
                            buildS, index.chunkCount());
                }
                double[] exactMs = new double[queries];
                Retriever exact = index.exactDense();
                for (int q = 0; q < queries; q++) {
                    long s = System.nanoTime();
                    exact.retrieve("q" + (n + q), 10);
                    exactMs[q] = (System.nanoTime() - s) / 1e6;
                }
                double exactMedian = median(exactMs);
                System.out.printf(Locale.ROOT, "  exactDense: median %.2f ms/query%n", exactMedian);
                System.out.println("  candidates | recall@10 | median ms/query | exact/HNSW latency ratio");
                for (int c : candidates) {
                    Retriever hnsw = index.dense(c);
                    double found = 0;
                    double[] ms = new double[queries];
                    for (int q = 0; q < queries; q++) {
                        long s = System.nanoTime();
                        List<SearchHit> hits = hnsw.retrieve("q" + (n + q), 10);
                        ms[q] = (System.nanoTime() - s) / 1e6;
                        for (SearchHit h : hits) {
                            if (truth.get(q).contains(Integer.parseInt(h.documentId().substring(1)))) {
                                found++;
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "  %10d | %9.4f | %15.3f | %.1fx%n", c, found / (10.0 * queries),
                            median(ms), exactMedian / median(ms));
                }
            }
        }
    }

    /** Texts {@code v<i>} / {@code q<i>} map to row i of the table. */
    private record IndexedEmbedder(float[][] vectors, int dim) implements Embedder {
        @Override
        public String modelId() {
            return "random/" + dim;
        }

        @Override
        public String modelHash() {
            return "sha256:" + "0".repeat(64);
        }

        @Override
        public int dimension() {
            return dim;
        }

        @Override
        public boolean normalized() {
            return true;
        }

        @Override
        public int maxTokens() {
            return 512;
        }

        @Override
        public int countTokens(String text) {
            return 1;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return texts.stream().map(t -> vectors[Integer.parseInt(t.substring(1))]).toList();
        }
    }

    private static float[] unit(SplittableRandom rnd, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            // Box-Muller: Gaussian coordinates give directions uniform on the sphere
            double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
            v[d] = (float) g;
            norm += g * g;
        }
        for (int d = 0; d < dim; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private static Set<Integer> topK(float[][] vectors, int n, float[] q, int k) {
        int[] best = new int[k];
        double[] bestScore = new double[k];
        Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            float[] v = vectors[i];
            double s = 0;
            for (int d = 0; d < q.length; d++) {
                s += q[d] * v[d];
            }
            if (s > bestScore[k - 1]) {
                int j = k - 1;
                while (j > 0 && bestScore[j - 1] < s) {
                    bestScore[j] = bestScore[j - 1];
                    best[j] = best[j - 1];
                    j--;
                }
                bestScore[j] = s;
                best[j] = i;
            }
        }
        Set<Integer> out = new HashSet<>();
        for (int i : best) {
            out.add(i);
        }
        return out;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static void deleteTree(Path p) throws java.io.IOException {
        if (Files.exists(p)) {
            try (var walk = Files.walk(p)) {
                for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }
}
