package dev.mlops.rag;

import dev.mlops.core.NonRetriableException;
import dev.mlops.rag.internal.OnnxSentenceEmbedder;
import dev.mlops.rag.spi.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of the ONNX sentence embedder (onnxruntime, CPU).
 *
 * <pre>{@code
 * try (Embedder e = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build()) {
 *     float[] v = e.embed("How does SQLite write-ahead logging work?");   // 384 floats, unit length
 * }
 * }</pre>
 *
 * <p>Each text is tokenized by {@link WordPieceTokenizer} ({@code [CLS] ... [SEP]}, truncated to
 * {@link Builder#maxTokens(int)} ids, default the model's window: 256 for MiniLM as
 * sentence-transformers does, 512 for BGE). Texts are sorted by length and run in batches of
 * {@link Builder#batchSize(int)} padded to the longest in the batch; the token vectors are pooled
 * ({@link Pooling#MEAN} over the attention mask or {@link Pooling#CLS}) and L2-normalised.
 */
public final class OnnxEmbedder {

    private OnnxEmbedder() {}

    /** A new builder; {@link Builder#model(EmbeddingModel)} or {@link Builder#modelFiles} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Settings of an ONNX embedder. */
    public static final class Builder {
        private EmbeddingModel model;
        private Path onnxFile;
        private Path tokenizerFile;
        private String modelId;
        private Pooling pooling;
        private int maxTokens;
        private int batchSize = 32;
        private boolean normalize = true;
        private int threads;

        private Builder() {}

        /** A bundled model, read from the class path. */
        public Builder model(EmbeddingModel model) {
            if (model == null) {
                throw new IllegalArgumentException("model must not be null");
            }
            this.model = model;
            return this;
        }

        /** A BERT-style model from files: its {@code .onnx}, its {@code tokenizer.json}, and an id. */
        public Builder modelFiles(String modelId, Path onnx, Path tokenizerJson) {
            for (Path p : new Path[] {onnx, tokenizerJson}) {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException("model file " + p + " does not exist or is not a file");
                }
            }
            this.modelId = modelId;
            this.onnxFile = onnx;
            this.tokenizerFile = tokenizerJson;
            return this;
        }

        /** Pooling; default the model's own (MEAN for MiniLM, CLS for BGE, MEAN for model files). */
        public Builder pooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Truncation length in tokens, specials included; default the model's window. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens < 2 || maxTokens > 512) {
                throw new IllegalArgumentException("maxTokens must be in [2, 512] (BERT position embeddings), was " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** Texts per ONNX call; default 32. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** L2-normalise the vectors; default true. */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** onnxruntime intra-op threads; default 0 = onnxruntime's choice (all cores). */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Loads the model and creates the ONNX session. */
        public Embedder build() {
            if (model == null && onnxFile == null) {
                throw new IllegalStateException("set model(EmbeddingModel) or modelFiles(id, onnx, tokenizer.json)");
            }
            if (model != null && onnxFile != null) {
                throw new IllegalStateException("set either model(" + model + ") or modelFiles(" + onnxFile + "), not both");
            }
            byte[] onnx;
            byte[] tokenizerJson;
            String id;
            Pooling pool;
            int window;
            if (model != null) {
                onnx = resource(model.resource() + ".onnx", model);
                tokenizerJson = resource(model.resource() + "-tokenizer.json", model);
                id = model.id();
                pool = pooling != null ? pooling : model.pooling();
                window = maxTokens > 0 ? maxTokens : model.maxTokens();
            } else {
                try {
                    onnx = Files.readAllBytes(onnxFile);
                    tokenizerJson = Files.readAllBytes(tokenizerFile);
                } catch (IOException e) {
                    throw new NonRetriableException("reading model files " + onnxFile + ", " + tokenizerFile
                            + " failed: " + e.getMessage(), e);
                }
                id = modelId;
                pool = pooling != null ? pooling : Pooling.MEAN;
                window = maxTokens > 0 ? maxTokens : 512;
            }
            WordPieceTokenizer tokenizer = WordPieceTokenizer.fromJson(new java.io.ByteArrayInputStream(tokenizerJson), window);
            return new OnnxSentenceEmbedder(id, onnx, tokenizer, pool, batchSize, normalize, threads);
        }

        private static byte[] resource(String name, EmbeddingModel model) {
            ClassLoader loader = OnnxEmbedder.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new NonRetriableException("class-path resource '" + name + "' of model " + model.id()
                            + " not found. Fix: add the dependency dev.langchain4j:langchain4j-embeddings-"
                            + model.resource().replace("bge-small-en-v1.5", "bge-small-en-v15")
                            + " (with all its transitive dependencies excluded)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new NonRetriableException("reading class-path resource '" + name + "' failed: " + e.getMessage(), e);
            }
        }
    }
}
