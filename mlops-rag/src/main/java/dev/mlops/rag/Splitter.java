package dev.mlops.rag;

import java.util.List;

/**
 * Cuts a text into chunks, each with its start offset in the text. Implementations:
 * {@link RecursiveCharacterSplitter}, {@link TokenSplitter}, {@link #none()}.
 */
@FunctionalInterface
public interface Splitter {

    /** The chunks of a text, in order; an empty or blank text gives no chunk. */
    List<TextSpan> split(String text);

    /** One chunk per document (the embedder truncates it to its window). */
    static Splitter none() {
        return text -> text.isBlank() ? List.of() : List.of(new TextSpan(text, 0));
    }
}
