package dev.mlops.rag;

/**
 * The embedding models whose ONNX files ship in Maven artifacts (the langchain4j embedding jars, used
 * as resource jars): each has {@code <resource>.onnx} and {@code <resource>-tokenizer.json} at the
 * root of its jar, which must be on the class path.
 */
public enum EmbeddingModel {
    /** sentence-transformers/all-MiniLM-L6-v2, fp32; 384-d, mean pooling, 256-token window. */
    ALL_MINILM_L6_V2("sentence-transformers/all-MiniLM-L6-v2", "all-minilm-l6-v2", Pooling.MEAN, 256),
    /** The int8-quantized all-MiniLM-L6-v2; 384-d, mean pooling, 256-token window. */
    ALL_MINILM_L6_V2_Q("sentence-transformers/all-MiniLM-L6-v2@int8", "all-minilm-l6-v2-q", Pooling.MEAN, 256),
    /** BAAI/bge-small-en-v1.5, fp32; 384-d, CLS pooling, 512-token window. */
    BGE_SMALL_EN_V15("BAAI/bge-small-en-v1.5", "bge-small-en-v1.5", Pooling.CLS, 512);

    private final String id;
    private final String resource;
    private final Pooling pooling;
    private final int maxTokens;

    EmbeddingModel(String id, String resource, Pooling pooling, int maxTokens) {
        this.id = id;
        this.resource = resource;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
    }

    /** The model id recorded in an index. */
    public String id() {
        return id;
    }

    /** The class-path resource name without extension, e.g. {@code all-minilm-l6-v2}. */
    public String resource() {
        return resource;
    }

    /** The pooling the model was trained with. */
    public Pooling pooling() {
        return pooling;
    }

    /** The window its reference implementation uses, specials included. */
    public int maxTokens() {
        return maxTokens;
    }

    /** Finds a model by its {@link #id()}, its resource name or its enum name (case-insensitive). */
    public static EmbeddingModel byName(String name) {
        for (EmbeddingModel m : values()) {
            if (m.id.equalsIgnoreCase(name) || m.resource.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new dev.mlops.core.NotFoundException("embedding model", name,
                java.util.Arrays.stream(values()).map(EmbeddingModel::resource).toList());
    }
}
