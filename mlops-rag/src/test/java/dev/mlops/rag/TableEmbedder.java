package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test embedder that looks texts up in a fixed table (text -> vector), so expected similarities
 * can be computed outside the code under test (numpy over the same numbers). An unknown text is an
 * error, which catches a test that embeds something it did not mean to.
 */
final class TableEmbedder implements Embedder {
    private final Map<String, float[]> table;
    private final int dim;
    private final boolean normalized;

    TableEmbedder(Map<String, float[]> table, boolean normalized) {
        this.table = Map.copyOf(table);
        this.dim = table.values().iterator().next().length;
        this.normalized = normalized;
    }

    @Override
    public String modelId() {
        return "test/table-" + dim;
    }

    @Override
    public String modelHash() {
        return "sha256:" + "1".repeat(64);
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public boolean normalized() {
        return normalized;
    }

    @Override
    public int maxTokens() {
        return 512;
    }

    @Override
    public int countTokens(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            float[] v = table.get(t);
            if (v == null) {
                throw new IllegalArgumentException("TableEmbedder has no vector for '" + t + "'");
            }
            out.add(v.clone());
        }
        return out;
    }
}
