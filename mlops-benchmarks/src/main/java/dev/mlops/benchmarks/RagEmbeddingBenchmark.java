package dev.mlops.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.WordPieceTokenizer;
import dev.mlops.rag.spi.Embedder;
import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embedding throughput of {@link OnnxEmbedder} (tokenize, batch, run, pool, normalise) beside
 * onnxruntime called directly on the same pre-tokenized, identically batched inputs (session.run and
 * reading the output only): the floor our overhead is measured against. Short sentences: the first
 * {@code n} SciFact queries (read from the shared data, not shipped). Batch 32, onnxruntime's default
 * threads. Prints the median sentences/s of each over the repetitions and the ratio.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options -cp mlops-benchmarks/target/benchmarks.jar \
 *     dev.mlops.benchmarks.RagEmbeddingBenchmark ../shared/data/beir/scifact/queries.jsonl [n=512] [reps=5]
 * </pre>
 */
public final class RagEmbeddingBenchmark {

    private RagEmbeddingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path queries = Path.of(args.length > 0 ? args[0] : "../shared/data/beir/scifact/queries.jsonl");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        List<String> sentences = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(queries)) {
            String line;
            while ((line = r.readLine()) != null && sentences.size() < n) {
                sentences.add(json.readTree(line).get("text").asText());
            }
        }
        int batch = 32;
        System.out.printf(Locale.ROOT, "%d sentences, batch %d, %d repetitions, %d cores%n", sentences.size(), batch, reps,
                Runtime.getRuntime().availableProcessors());
        for (EmbeddingModel model : new EmbeddingModel[] {EmbeddingModel.ALL_MINILM_L6_V2, EmbeddingModel.ALL_MINILM_L6_V2_Q}) {
            WordPieceTokenizer tok;
            try (InputStream in = RagEmbeddingBenchmark.class.getClassLoader().getResourceAsStream(model.resource() + "-tokenizer.json")) {
                tok = WordPieceTokenizer.fromJson(in, model.maxTokens());
            }
            byte[] onnx;
            try (InputStream in = RagEmbeddingBenchmark.class.getClassLoader().getResourceAsStream(model.resource() + ".onnx")) {
                onnx = in.readAllBytes();
            }
            int[][] ids = sentences.stream().map(tok::encode).sorted(Comparator.comparingInt((int[] a) -> -a.length))
                    .toArray(int[][]::new);
            double[] ours = new double[reps];
            double[] direct = new double[reps];
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (Embedder embedder = OnnxEmbedder.builder().model(model).batchSize(batch).build();
                    OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                try (OrtSession session = env.createSession(onnx, opts)) {
                    embedder.embed(sentences); // warm-up
                    runDirect(env, session, ids, batch);
                    for (int r = 0; r < reps; r++) {
                        long t0 = System.nanoTime();
                        embedder.embed(sentences);
                        ours[r] = sentences.size() / ((System.nanoTime() - t0) / 1e9);
                        t0 = System.nanoTime();
                        runDirect(env, session, ids, batch);
                        direct[r] = sentences.size() / ((System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            double m1 = median(ours);
            double m2 = median(direct);
            System.out.printf(Locale.ROOT, "%-45s ours %7.1f sentences/s   onnxruntime direct %7.1f sentences/s   ratio %.2f%n",
                    model.id(), m1, m2, m1 / m2);
        }
    }

    private static float runDirect(OrtEnvironment env, OrtSession session, int[][] ids, int batch) throws Exception {
        float sink = 0;
        for (int from = 0; from < ids.length; from += batch) {
            int to = Math.min(ids.length, from + batch);
            int b = to - from;
            int len = ids[from].length;
            long[] in = new long[b * len];
            long[] mask = new long[b * len];
            for (int i = 0; i < b; i++) {
                int[] row = ids[from + i];
                for (int j = 0; j < row.length; j++) {
                    in[i * len + j] = row[j];
                    mask[i * len + j] = 1;
                }
            }
            long[] shape = {b, len};
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(in), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape));
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer fb = ((OnnxTensor) result.get(0)).getFloatBuffer();
                sink += fb.get(0);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        }
        return sink;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
