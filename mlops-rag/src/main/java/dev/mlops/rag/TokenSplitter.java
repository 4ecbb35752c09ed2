package dev.mlops.rag;

import dev.mlops.rag.internal.SplitEngine;
import dev.mlops.rag.spi.Embedder;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The rule of {@link RecursiveCharacterSplitter} with lengths counted in the embedding model's word
 * pieces, so no chunk is ever truncated by the model: every chunk has at most
 * {@code maxTokens - 2} pieces ({@code [CLS]} and {@code [SEP]} take the other two). Default size:
 * the embedder's whole window; default overlap: 32 pieces.
 */
public final class TokenSplitter implements Splitter {

    private final SplitEngine engine;
    private final int size;

    private TokenSplitter(List<String> separators, int size, int overlap, ToIntFunction<String> counter) {
        this.size = size;
        this.engine = new SplitEngine(separators, size, overlap, counter);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<TextSpan> split(String text) {
        return engine.split(text);
    }

    /** The largest chunk, in word pieces without specials. */
    public int chunkTokens() {
        return size;
    }

    /** Settings: an embedder (or a tokenizer) is required. */
    public static final class Builder {
        private ToIntFunction<String> counter;
        private int window;
        private int chunkTokens;
        private int overlap = 32;

        private Builder() {}

        /** Counts with the embedder's tokenizer; window = its {@code maxTokens()}. */
        public Builder embedder(Embedder embedder) {
            this.counter = embedder::countTokens;
            this.window = embedder.maxTokens();
            return this;
        }

        /** Counts with a tokenizer; window = its {@code maxTokens()}. */
        public Builder tokenizer(WordPieceTokenizer tokenizer) {
            this.counter = tokenizer::countTokens;
            this.window = tokenizer.maxTokens();
            return this;
        }

        /** Chunk size in word pieces; must be at most window - 2. Default window - 2. */
        public Builder chunkTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("chunkTokens must be >= 1, was " + tokens);
            }
            this.chunkTokens = tokens;
            return this;
        }

        public Builder overlapTokens(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("overlapTokens must be >= 0, was " + tokens);
            }
            this.overlap = tokens;
            return this;
        }

        public TokenSplitter build() {
            if (counter == null) {
                throw new IllegalStateException("set embedder(...) or tokenizer(...)");
            }
            int size = chunkTokens > 0 ? chunkTokens : window - 2;
            if (size > window - 2) {
                throw new IllegalStateException("chunkTokens " + size + " exceeds the model window " + window
                        + " minus [CLS] and [SEP]");
            }
            if (overlap >= size) {
                throw new IllegalStateException("overlapTokens (" + overlap + ") must be smaller than chunkTokens (" + size + ")");
            }
            return new TokenSplitter(RecursiveCharacterSplitter.DEFAULT_SEPARATORS, size, overlap, counter);
        }
    }
}
