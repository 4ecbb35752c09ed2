package dev.mlops.benchmarks;

import dev.mlops.rag.Answer;
import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.ResponseCache;
import dev.mlops.rag.spi.Embedder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@link ResponseCache} lookups beside their floors, measured in the same run:
 * <ul>
 *   <li>exact hit: {@code get} of a stored question (normalisation + map lookup) beside a plain
 *       {@code HashMap.get} of the already-normalised string;
 *   <li>semantic hit: {@code get} of a paraphrase (not an exact match, cosine ≈ 0.99 to one stored
 *       question) with the question vector precomputed (a table embedder), beside a plain loop computing
 *       the cosine against every stored vector (the same linear scan with nothing else);
 *   <li>for scale: the cost of embedding one short question with all-MiniLM-L6-v2 (what a semantic lookup
 *       adds with the real embedder), and the hit rate on a replay with repeats and paraphrases.
 * </ul>
 * Entries: random 384-d unit vectors. Prints the median ns per lookup over the repetitions and the ratios.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.ResponseCacheBenchmark [entries=1000,10000] [reps=7]
 * </pre>
 */
public final class ResponseCacheBenchmark {

    private ResponseCacheBenchmark() {}

    static final int DIM = 384;

    public static void main(String[] args) {
        String[] sizes = (args.length > 0 ? args[0] : "1000,10000").split(",");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        System.out.printf(Locale.ROOT, "ResponseCache lookups, %d-d, %d repetitions, %d cores, load average %.2f%n", DIM, reps,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String s : sizes) {
            run(Integer.parseInt(s.trim()), reps);
        }
        try (Embedder minilm = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build()) {
            double[] ms = new double[reps];
            minilm.embed("warm up the session");
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    minilm.embed("How does WAL mode handle checkpoints number " + i + "?");
                }
                ms[r] = (System.nanoTime() - t0) / 1e6 / 20;
            }
            System.out.printf(Locale.ROOT, "embedding one short question with all-MiniLM-L6-v2: median %.2f ms%n",
                    HnswRecallBenchmark.median(ms));
        }
    }

    static void run(int n, int reps) {
        SplittableRandom rnd = new SplittableRandom(7);
        Map<String, float[]> table = new HashMap<>();
        List<String> questions = new ArrayList<>();
        List<String> paraphrases = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = unit(rnd, null, 0);
            String q = "Question number " + i + " about write-ahead logging?";
            table.put(q, v);
            questions.add(q);
            String p = "question #" + i + ", about WAL";
            table.put(p, unit(rnd, v, 0.005));
            paraphrases.add(p);
        }
        Embedder embedder = new TableEmbedder(table);
        ResponseCache.Key key = new ResponseCache.Key("v1", "table", "rag-answer@v1", "extractive");
        ResponseCache cache = ResponseCache.builder().semantic(embedder, 0.95).ttl(Duration.ofHours(1))
                .maxEntries(Math.max(n, 10_000)).build();
        Map<String, float[]> plainMap = new HashMap<>();
        float[][] plainVectors = new float[n][];
        for (int i = 0; i < n; i++) {
            String q = questions.get(i);
            cache.put(q, new Answer("a" + i, q, "answer " + i, "rag-answer@v1", "v1", "table", "extractive", List.of(),
                    0, 0, Instant.EPOCH));
            plainMap.put(ResponseCache.normalize(q), table.get(q));
            plainVectors[i] = table.get(q);
        }
        int ops = Math.min(n, 2000);
        int semOps = Math.max(20, Math.min(200, 2_000_000 / n));
        double[] exactNs = new double[reps];
        double[] mapNs = new double[reps];
        double[] semNs = new double[reps];
        double[] scanNs = new double[reps];
        long sink = 0;
        for (int r = -3; r < reps; r++) { // r < 0: warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                Optional<ResponseCache.Hit> h = cache.get(key, questions.get(i));
                sink += h.isPresent() && h.get().kind() == ResponseCache.HitKind.EXACT ? 1 : 1000;
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                sink += plainMap.get(ResponseCache.normalize(questions.get(i))) != null ? 1 : 1000;
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < semOps; i++) {
                Optional<ResponseCache.Hit> h = cache.get(key, paraphrases.get(i));
                sink += h.isPresent() && h.get().kind() == ResponseCache.HitKind.SEMANTIC ? 1 : 1000;
            }
            long t3 = System.nanoTime();
            for (int i = 0; i < semOps; i++) {
                float[] q = embedder.embed(paraphrases.get(i));
                int best = -1;
                double bestSim = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double sim = cosine(q, plainVectors[j]);
                    if (sim >= bestSim) {
                        bestSim = sim;
                        best = j;
                    }
                }
                sink += bestSim >= 0.95 ? best % 2 : 1000;
            }
            long t4 = System.nanoTime();
            if (r >= 0) {
                exactNs[r] = (t1 - t0) / (double) ops;
                mapNs[r] = (t2 - t1) / (double) ops;
                semNs[r] = (t3 - t2) / (double) semOps;
                scanNs[r] = (t4 - t3) / (double) semOps;
            }
        }
        ResponseCache.Stats st = cache.stats();
        System.out.printf(Locale.ROOT, "%n%,d entries (checksum %d; hits exact %d, semantic %d, misses %d)%n", n, sink,
                st.exactHits(), st.semanticHits(), st.misses());
        System.out.printf(Locale.ROOT, "  exact hit:    %10.0f ns   (HashMap.get of the normalised string: %8.0f ns; ratio %.1f)%n",
                HnswRecallBenchmark.median(exactNs), HnswRecallBenchmark.median(mapNs),
                HnswRecallBenchmark.median(exactNs) / HnswRecallBenchmark.median(mapNs));
        System.out.printf(Locale.ROOT, "  semantic hit: %10.0f ns   (plain cosine scan over %,d vectors: %8.0f ns; ratio %.2f)%n",
                HnswRecallBenchmark.median(semNs), n, HnswRecallBenchmark.median(scanNs),
                HnswRecallBenchmark.median(semNs) / HnswRecallBenchmark.median(scanNs));
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** A random unit vector, or {@code near} plus Gaussian noise of the given scale, normalised. */
    static float[] unit(SplittableRandom rnd, float[] near, double noise) {
        float[] v = new float[DIM];
        double norm = 0;
        for (int d = 0; d < DIM; d++) {
            double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
            v[d] = (float) (near == null ? g : near[d] + noise * g);
            norm += v[d] * v[d];
        }
        for (int d = 0; d < DIM; d++) {
            v[d] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    private record TableEmbedder(Map<String, float[]> table) implements Embedder {
        @Override
        public String modelId() {
            return "table";
        }

        @Override
        public String modelHash() {
            return "sha256:" + "0".repeat(64);
        }

        @Override
        public int dimension() {
            return DIM;
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
            return texts.stream().map(table::get).toList();
        }
    }
}
