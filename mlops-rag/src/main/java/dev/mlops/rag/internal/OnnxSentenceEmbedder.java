package dev.mlops.rag.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.NonRetriableException;
import dev.mlops.rag.Pooling;
import dev.mlops.rag.WordPieceTokenizer;
import dev.mlops.rag.spi.Embedder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An {@link Embedder} running a BERT-style ONNX model on onnxruntime's CPU provider. */
public final class OnnxSentenceEmbedder implements Embedder {

    private final String modelId;
    private final String modelHash;
    private final WordPieceTokenizer tokenizer;
    private final Pooling pooling;
    private final int batchSize;
    private final boolean normalize;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final int dimension;

    public OnnxSentenceEmbedder(String modelId, byte[] onnx, WordPieceTokenizer tokenizer, Pooling pooling,
            int batchSize, boolean normalize, int threads) {
        this.modelId = modelId;
        this.tokenizer = tokenizer;
        this.pooling = pooling;
        this.batchSize = batchSize;
        this.normalize = normalize;
        // the hash covers the weights and every setting that changes the vectors
        this.modelHash = Fingerprint.combine(Fingerprint.of(onnx), Fingerprint.of(
                (pooling + "|" + tokenizer.maxTokens() + "|" + normalize).getBytes(StandardCharsets.UTF_8))).toString();
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new NonRetriableException("onnxruntime could not load model " + modelId + ": " + e.getMessage(), e);
        }
        Set<String> inputs = session.getInputNames();
        if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
            throw new NonRetriableException("model " + modelId + " has inputs " + inputs
                    + "; a BERT-style model needs input_ids and attention_mask");
        }
        this.wantsTokenTypes = inputs.contains("token_type_ids");
        this.dimension = run(List.of(tokenizer.encode("dimension probe"))).get(0).length;
    }

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
        return dimension;
    }

    @Override
    public boolean normalized() {
        return normalize;
    }

    @Override
    public int maxTokens() {
        return tokenizer.maxTokens();
    }

    @Override
    public int countTokens(String text) {
        return tokenizer.countTokens(text);
    }

    /** The tokenizer this embedder uses. */
    public WordPieceTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        int n = texts.size();
        int[][] encoded = new int[n][];
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            if (t == null) {
                throw new IllegalArgumentException("text " + i + " of " + n + " is null");
            }
            encoded[i] = tokenizer.encode(t);
        }
        // sort by length so that each batch pads little (sentence-transformers does the same)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> -encoded[i].length));
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<int[]> batch = new ArrayList<>(to - from);
            for (int k = from; k < to; k++) {
                batch.add(encoded[order[k]]);
            }
            List<float[]> vectors = run(batch);
            for (int k = from; k < to; k++) {
                out[order[k]] = vectors.get(k - from);
            }
        }
        return Arrays.asList(out);
    }

    private List<float[]> run(List<int[]> batch) {
        int b = batch.size();
        int len = 0;
        for (int[] ids : batch) {
            len = Math.max(len, ids.length);
        }
        long[] ids = new long[b * len];
        long[] mask = new long[b * len];
        for (int i = 0; i < b; i++) {
            int[] row = batch.get(i);
            for (int j = 0; j < len; j++) {
                ids[i * len + j] = j < row.length ? row[j] : tokenizer.padId();
                mask[i * len + j] = j < row.length ? 1 : 0;
            }
        }
        long[] shape = {b, len};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] outShape = hidden.getInfo().getShape();
                if (outShape.length != 3) {
                    throw new NonRetriableException("model " + modelId + ": first output has shape "
                            + Arrays.toString(outShape) + ", expected [batch, tokens, dim] (last_hidden_state)");
                }
                int dim = (int) outShape[2];
                FloatBuffer fb = hidden.getFloatBuffer();
                List<float[]> vectors = new ArrayList<>(b);
                for (int i = 0; i < b; i++) {
                    float[] v = new float[dim];
                    int tokens = batch.get(i).length;
                    if (pooling == Pooling.CLS) {
                        fb.get((i * len) * dim, v, 0, dim);
                    } else {
                        float[] row = new float[dim];
                        for (int j = 0; j < tokens; j++) {
                            fb.get((i * len + j) * dim, row, 0, dim);
                            for (int d = 0; d < dim; d++) {
                                v[d] += row[d];
                            }
                        }
                        for (int d = 0; d < dim; d++) {
                            v[d] /= Math.max(tokens, 1e-9f);
                        }
                    }
                    if (normalize) {
                        double norm = 0;
                        for (float x : v) {
                            norm += (double) x * x;
                        }
                        float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
                        for (int d = 0; d < dim; d++) {
                            v[d] *= inv;
                        }
                    }
                    vectors.add(v);
                }
                return vectors;
            }
        } catch (OrtException e) {
            throw new NonRetriableException("onnxruntime failed on a batch of " + b + " texts of up to " + len
                    + " tokens with model " + modelId + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new NonRetriableException("closing the onnxruntime session of " + modelId + " failed: " + e.getMessage(), e);
        }
    }
}
