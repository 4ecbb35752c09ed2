package dev.mlops.rag.internal;

import dev.mlops.rag.spi.Embedder;
import java.util.List;

/** The "embedder" of a text-only index: records model id {@code none}; embedding is refused. */
public final class TextOnly implements Embedder {
    public static final String ID = "none";

    @Override
    public String modelId() {
        return ID;
    }

    @Override
    public String modelHash() {
        return "none";
    }

    @Override
    public int dimension() {
        return 0;
    }

    @Override
    public boolean normalized() {
        return true;
    }

    @Override
    public int maxTokens() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int countTokens(String text) {
        return text.length();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        throw new IllegalStateException("this index is text-only (built without an embedder): dense and hybrid"
                + " retrieval need an index built with an embedder");
    }
}
