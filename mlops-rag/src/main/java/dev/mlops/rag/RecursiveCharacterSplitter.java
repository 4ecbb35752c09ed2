package dev.mlops.rag;

import dev.mlops.rag.internal.SplitEngine;
import java.util.List;

/**
 * Recursive character splitting with LangChain's separators ({@code "\n\n", "\n", " ", ""}) and an
 * overlap that is honoured.
 *
 * <p><b>Exact rule.</b> Lengths are in UTF-16 chars. A boundary is an offset where a separator
 * starts (it stays at the start of the next chunk). From a start {@code s}:
 * <ol>
 *   <li>{@code f} = the farthest offset with {@code length(text[s, f)) <= chunkSize};
 *       if {@code f} is the end of the text, the chunk ends there;
 *   <li>otherwise the chunk ends at the farthest boundary in the second half of the window,
 *       {@code [s + (f - s + 1) / 2, f]}, of the coarsest separator that has one there (paragraph, else
 *       line, else word); with none there, at the farthest boundary in {@code (s, f]}; with none at all,
 *       at {@code f} (mid-word). Only boundaries past the previous chunk's end count, so every chunk
 *       reaches new text;
 *   <li>the next chunk starts at the first boundary {@code b} in {@code (s, end)} with
 *       {@code length(text[b, end)) <= chunkOverlap}, i.e. it repeats the longest run of whole words
 *       that fits in the overlap; if no boundary qualifies (a word longer than the overlap), it starts at
 *       the first character offset that does (mid-word), so the overlap is never silently dropped.
 * </ol>
 * Chunks are trimmed of surrounding whitespace; {@link TextSpan#start()} is the offset of the first
 * kept character. Every chunk is at most {@code chunkSize} long; consecutive chunks share at most
 * {@code chunkOverlap} characters, and exactly the whole-word suffix described above. (LangChain
 * carries whole pieces of the last split level only, so a piece longer than the overlap gives none:
 * langchain#8142.)
 */
public final class RecursiveCharacterSplitter implements Splitter {

    /** LangChain's RecursiveCharacterTextSplitter defaults. */
    public static final List<String> DEFAULT_SEPARATORS = List.of("\n\n", "\n", " ", "");

    private final SplitEngine engine;
    private final int chunkSize;
    private final int overlap;

    private RecursiveCharacterSplitter(Builder b) {
        this.chunkSize = b.chunkSize;
        this.overlap = b.overlap;
        this.engine = new SplitEngine(b.separators, b.chunkSize, b.overlap, String::length);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<TextSpan> split(String text) {
        return engine.split(text);
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkOverlap() {
        return overlap;
    }

    /** Settings; defaults chunkSize 1000, chunkOverlap 200, LangChain's separators. */
    public static final class Builder {
        private int chunkSize = 1000;
        private int overlap = 200;
        private List<String> separators = DEFAULT_SEPARATORS;

        private Builder() {}

        public Builder chunkSize(int chunkSize) {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, was " + chunkSize);
            }
            this.chunkSize = chunkSize;
            return this;
        }

        public Builder chunkOverlap(int overlap) {
            if (overlap < 0) {
                throw new IllegalArgumentException("chunkOverlap must be >= 0, was " + overlap);
            }
            this.overlap = overlap;
            return this;
        }

        /** Separators, coarsest first; an empty string means "any character". */
        public Builder separators(List<String> separators) {
            if (separators == null || separators.isEmpty()) {
                throw new IllegalArgumentException("separators must not be empty");
            }
            this.separators = List.copyOf(separators);
            return this;
        }

        public RecursiveCharacterSplitter build() {
            if (overlap >= chunkSize) {
                throw new IllegalStateException("chunkOverlap (" + overlap + ") must be smaller than chunkSize (" + chunkSize + ")");
            }
            return new RecursiveCharacterSplitter(this);
        }
    }
}
