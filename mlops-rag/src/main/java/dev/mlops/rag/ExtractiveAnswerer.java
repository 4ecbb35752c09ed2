package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An answerer that needs no LLM: it splits the retrieved chunks into sentences
 * ({@link BreakIterator}, root locale), scores each sentence against the question and returns the
 * best ones, each with a citation to its chunk and its character offset in the source document.
 *
 * <p>Score of a sentence = {@code 0.7 * cosine(question, sentence)} (when an embedder is given)
 * {@code + 0.3 * overlap}, where overlap is the fraction of the question's content words (lowercased,
 * letters and digits, 3+ characters) found in the sentence; without an embedder, the overlap alone.
 * Sentences shorter than 20 characters are ignored; ties keep retrieval order.
 */
public final class ExtractiveAnswerer {

    private final Embedder embedder;
    private final int maxSentences;

    private ExtractiveAnswerer(Embedder embedder, int maxSentences) {
        this.embedder = embedder;
        this.maxSentences = maxSentences;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; both optional. */
    public static final class Builder {
        private Embedder embedder;
        private int maxSentences = 3;

        private Builder() {}

        /** Scores sentences by embedding similarity too (the index's embedder, typically). */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        public Builder maxSentences(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxSentences must be >= 1, was " + n);
            }
            this.maxSentences = n;
            return this;
        }

        public ExtractiveAnswerer build() {
            return new ExtractiveAnswerer(embedder, maxSentences);
        }
    }

    /** One cited sentence: its number in the answer, chunk, document, source, offset in the document. */
    public record Citation(int number, String chunkId, String documentId, String source, int start, String sentence,
            double score) {}

    /** The answer text (sentences with {@code [n]} markers) and its citations; empty text when nothing fits. */
    public record Answer(String text, List<Citation> citations) {}

    /** Selects and cites the best supporting sentences among the hits. */
    public Answer answer(String question, List<SearchHit> hits) {
        record Sentence(SearchHit hit, String text, int start) {}
        List<Sentence> sentences = new ArrayList<>();
        for (SearchHit h : hits) {
            BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
            String t = h.text();
            it.setText(t);
            for (int s = it.first(), e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
                String raw = t.substring(s, e);
                String stripped = raw.strip().replaceAll("\\s+", " ");
                if (stripped.length() >= 20) {
                    int lead = 0;
                    while (lead < raw.length() && Character.isWhitespace(raw.charAt(lead))) {
                        lead++;
                    }
                    sentences.add(new Sentence(h, stripped, h.start() + s + lead));
                }
            }
        }
        if (sentences.isEmpty()) {
            return new Answer("", List.of());
        }
        Set<String> qWords = words(question);
        double[] scores = new double[sentences.size()];
        List<float[]> vectors = embedder == null ? null
                : embedder.embed(sentences.stream().map(Sentence::text).toList());
        float[] qv = embedder == null ? null : embedder.embed(question);
        for (int i = 0; i < scores.length; i++) {
            Set<String> sw = words(sentences.get(i).text());
            long hit = qWords.stream().filter(sw::contains).count();
            double overlap = qWords.isEmpty() ? 0 : (double) hit / qWords.size();
            scores[i] = qv == null ? overlap : 0.7 * cosine(qv, vectors.get(i)) + 0.3 * overlap;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Citation> citations = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i : order) {
            Sentence s = sentences.get(i);
            if (seen.containsKey(s.text())) {
                continue;
            }
            seen.put(s.text(), i);
            int number = citations.size() + 1;
            Object source = s.hit().metadata().getOrDefault("source", s.hit().documentId());
            citations.add(new Citation(number, s.hit().chunkId(), s.hit().documentId(), source.toString(), s.start(),
                    s.text(), scores[i]));
            text.append(text.isEmpty() ? "" : " ").append(s.text()).append(" [").append(number).append(']');
            if (citations.size() == maxSentences) {
                break;
            }
        }
        return new Answer(text.toString(), List.copyOf(citations));
    }

    private static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3) {
                out.add(w);
            }
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
