package dev.mlops.rag;

/** A piece of a text and the offset of its first character in that text. */
public record TextSpan(String text, int start) {
    public TextSpan {
        if (text == null || start < 0) {
            throw new IllegalArgumentException("span needs text and start >= 0, was start " + start);
        }
    }

    /** The offset just after the last character. */
    public int end() {
        return start + text.length();
    }
}
