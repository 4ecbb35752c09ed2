package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic test embedder: lowercased words hashed into 64 buckets, L2-normalised. Fast, and
 * texts sharing words are close, which is all the index tests need. Also shows the SPI.
 */
final class HashingEmbedder implements Embedder {
    static final int DIM = 64;
    private final String id;

    HashingEmbedder(String id) {
        this.id = id;
    }

    HashingEmbedder() {
        this("test/hashing-64");
    }

    @Override
    public String modelId() {
        return id;
    }

    @Override
    public String modelHash() {
        return "sha256:" + "0".repeat(63) + (id.length() % 10);
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
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(vector(t));
        }
        return out;
    }

    static float[] vector(String t) {
        float[] v = new float[DIM];
        for (String w : t.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), DIM)] += 1;
            }
        }
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        if (n == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }
}
