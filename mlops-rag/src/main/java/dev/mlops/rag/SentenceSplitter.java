package dev.mlops.rag;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a text into sentences and packs consecutive sentences into chunks of at most
 * {@link Builder#maxChars(int)} characters; every chunk is an exact substring of the text and keeps
 * its start offset.
 *
 * <p><b>The sentence rule.</b> A sentence ends after a run of terminators ({@code .}, {@code !},
 * {@code ?}, {@code …}; so {@code ?!} and {@code ...} are one end), together with any closing
 * quotes and brackets right after it ({@code " ' ” ’ ) ]}), when all of these hold:
 * <ol>
 *   <li>whitespace or the end of the text follows; so a decimal ({@code 3.14}), a version
 *       ({@code 3.40.1}), a file name ({@code wal.html}) or a URL never ends a sentence;</li>
 *   <li>the run is not one {@code .} after an abbreviation: a word in {@link #ABBREVIATIONS}
 *       (case-insensitive: titles such as {@code Dr.}, {@code e.g.}, {@code i.e.}, {@code vs.},
 *       {@code etc.}, {@code Fig.}, {@code No.}), a single letter ({@code J. R. R. Tolkien}) or a
 *       dotted acronym ({@code U.S.});</li>
 *   <li>the next non-space character is not a lowercase letter, a digit or one of {@code , ; :}
 *       ({@code "Stop!" he said.} and {@code approx. three} stay one sentence).</li>
 * </ol>
 * Independently of punctuation, a blank line (a line break, optional spaces, another line break)
 * always ends a sentence, so headings and list items without a full stop stand alone. A sentence
 * starts at its first non-whitespace character and ends after its last terminator or closer
 * (trailing whitespace belongs to no sentence).
 *
 * <p><b>Packing.</b> Chunks take whole sentences in order while the chunk (first sentence start to
 * last sentence end, the whitespace between them included verbatim) stays within {@code maxChars}
 * (default 1000). With {@link Builder#overlapSentences(int)} = k the next chunk starts with the last
 * k sentences of the previous one, as long as that still moves forward. A single sentence longer
 * than {@code maxChars} is cut by a {@link RecursiveCharacterSplitter} of that size without overlap.
 */
public final class SentenceSplitter implements Splitter {

    /**
     * Abbreviations after which a single {@code .} does not end a sentence (lowercase, without the
     * final dot).
     */
    public static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "col", "capt", "lt", "sgt", "rev",
            "vs", "etc", "e.g", "i.e", "cf", "al", "approx", "ca", "fig", "figs", "eq", "eqs", "no", "nos", "vol",
            "vols", "pp", "p", "ch", "sec", "ed", "eds", "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb",
            "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ref", "refs", "min", "max");

    private final int maxChars;
    private final int overlapSentences;
    private final RecursiveCharacterSplitter longSentences;

    private SentenceSplitter(int maxChars, int overlapSentences) {
        this.maxChars = maxChars;
        this.overlapSentences = overlapSentences;
        this.longSentences = RecursiveCharacterSplitter.builder().chunkSize(maxChars).chunkOverlap(0).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The largest chunk in characters. */
    public int maxChars() {
        return maxChars;
    }

    /** Sentences repeated at the start of the next chunk. */
    public int overlapSentences() {
        return overlapSentences;
    }

    /** The sentences of a text by the rule above, each with its start offset. */
    public static List<TextSpan> sentences(String text) {
        List<TextSpan> out = new ArrayList<>();
        int n = text.length();
        int start = skipSpace(text, 0);
        int i = start;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n' && blankLineAt(text, i)) {
                addSentence(text, start, i, out);
                start = skipSpace(text, i);
                i = start;
                continue;
            }
            if (!isTerminator(c)) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < n && isTerminator(text.charAt(i))) {
                i++;
            }
            while (i < n && isCloser(text.charAt(i))) {
                i++;
            }
            int end = i;
            if (end < n && !Character.isWhitespace(text.charAt(end))) {
                continue; // rule 1: 3.14, wal.html, "a.b"
            }
            if (end - runStart >= 1 && text.charAt(runStart) == '.' && (runStart + 1 == n
                    || !isTerminator(text.charAt(runStart + 1))) && abbreviationBefore(text, runStart)) {
                continue; // rule 2
            }
            int next = skipSpace(text, end);
            if (next < n && continuesSentence(text.charAt(next)) && !blankLineBetween(text, end, next)) {
                continue; // rule 3
            }
            addSentence(text, start, end, out);
            start = next;
            i = next;
        }
        addSentence(text, start, n, out);
        return out;
    }

    @Override
    public List<TextSpan> split(String text) {
        List<TextSpan> sentences = new ArrayList<>();
        for (TextSpan s : sentences(text)) {
            if (s.text().length() <= maxChars) {
                sentences.add(s);
            } else {
                for (TextSpan piece : longSentences.split(s.text())) {
                    sentences.add(new TextSpan(piece.text(), s.start() + piece.start()));
                }
            }
        }
        List<TextSpan> chunks = new ArrayList<>();
        int first = 0;
        while (first < sentences.size()) {
            int last = first;
            while (last + 1 < sentences.size()
                    && sentences.get(last + 1).end() - sentences.get(first).start() <= maxChars) {
                last++;
            }
            int from = sentences.get(first).start();
            chunks.add(new TextSpan(text.substring(from, sentences.get(last).end()), from));
            if (last + 1 >= sentences.size()) {
                break;
            }
            int nextFirst = Math.max(last + 1 - overlapSentences, first + 1);
            // the overlap must leave room for at least the next new sentence
            while (nextFirst <= last && sentences.get(last + 1).end() - sentences.get(nextFirst).start() > maxChars) {
                nextFirst++;
            }
            first = nextFirst;
        }
        return chunks;
    }

    private static void addSentence(String text, int start, int end, List<TextSpan> out) {
        int e = end;
        while (e > start && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        if (e > start) {
            out.add(new TextSpan(text.substring(start, e), start));
        }
    }

    private static int skipSpace(String text, int i) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A line break at i followed by optional horizontal space and another line break. */
    private static boolean blankLineAt(String text, int i) {
        int j = i + 1;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) {
            j++;
        }
        return j < text.length() && text.charAt(j) == '\n';
    }

    private static boolean blankLineBetween(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n' && blankLineAt(text, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTerminator(char c) {
        return c == '.' || c == '!' || c == '?' || c == '\u2026';
    }

    private static boolean isCloser(char c) {
        return c == '"' || c == '\'' || c == '\u201D' || c == '\u2019' || c == ')' || c == ']';
    }

    private static boolean continuesSentence(char c) {
        return Character.isLowerCase(c) || Character.isDigit(c) || c == ',' || c == ';' || c == ':';
    }

    /** The word right before the dot at {@code dot}: an abbreviation, a single letter or a dotted acronym. */
    private static boolean abbreviationBefore(String text, int dot) {
        int s = dot;
        while (s > 0 && (Character.isLetter(text.charAt(s - 1)) || text.charAt(s - 1) == '.')) {
            s--;
        }
        String word = text.substring(s, dot);
        if (word.isEmpty() || !Character.isLetter(word.charAt(0))) {
            return false;
        }
        if (word.length() == 1 || ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT))) {
            return true;
        }
        // dotted acronym: letters separated by single dots, e.g. "U.S" before the final dot
        return word.matches("(\\p{L}\\.)+\\p{L}");
    }

    /** Settings of a {@link SentenceSplitter}. */
    public static final class Builder {
        private int maxChars = 1000;
        private int overlapSentences;

        private Builder() {}

        /** The largest chunk in characters, >= 1; default 1000. */
        public Builder maxChars(int maxChars) {
            if (maxChars < 1) {
                throw new IllegalArgumentException("maxChars must be >= 1, was " + maxChars);
            }
            this.maxChars = maxChars;
            return this;
        }

        /** Sentences of a chunk repeated at the start of the next, >= 0; default 0. */
        public Builder overlapSentences(int sentences) {
            if (sentences < 0) {
                throw new IllegalArgumentException("overlapSentences must be >= 0, was " + sentences);
            }
            this.overlapSentences = sentences;
            return this;
        }

        public SentenceSplitter build() {
            return new SentenceSplitter(maxChars, overlapSentences);
        }
    }
}
