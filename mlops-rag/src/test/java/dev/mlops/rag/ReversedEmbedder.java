package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import java.util.ArrayList;
import java.util.List;

/**
 * A second test model: {@link HashingEmbedder}'s vector with its components in reverse order, so its
 * vectors differ from the first model's; it can fail on a chosen call, or pause on each call.
 */
final class ReversedEmbedder implements Embedder {
    private final int failOnCall;
    private final long pauseMillis;
    private int calls;

    ReversedEmbedder(int failOnCall, long pauseMillis) {
        this.failOnCall = failOnCall;
        this.pauseMillis = pauseMillis;
    }

    ReversedEmbedder() {
        this(-1, 0);
    }

    static float[] vector(String text) {
        float[] v = HashingEmbedder.vector(text);
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[v.length - 1 - i];
        }
        return r;
    }

    @Override
    public String modelId() {
        return "test/reversed-64";
    }

    @Override
    public String modelHash() {
        return "sha256:" + "1".repeat(64);
    }

    @Override
    public int dimension() {
        return HashingEmbedder.DIM;
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
    public synchronized List<float[]> embed(List<String> texts) {
        calls++;
        if (calls == failOnCall) {
            throw new IllegalStateException("embedding call " + calls + " fails (test)");
        }
        if (pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            out.add(vector(t));
        }
        return out;
    }
}
