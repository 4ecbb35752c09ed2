package dev.mlops.rag.spi;

import java.util.Objects;

/**
 * A generator's output: the text, the model that produced it (as the server reported it) and the
 * token counts (0 when the generator does not count tokens).
 */
public record Generation(String text, String model, long inputTokens, long outputTokens) {

    public Generation {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(model, "model");
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, were " + inputTokens + "/" + outputTokens);
        }
    }
}
