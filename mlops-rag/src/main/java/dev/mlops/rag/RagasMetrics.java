package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.rag.spi.ChatMessage;
import dev.mlops.rag.spi.Embedder;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import dev.mlops.rag.spi.Generator;
import java.io.IOException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Answer and context quality metrics in the style of Ragas (Es et al., 2023; docs.ragas.io), with the exact
 * rule of each written here. The ID- and string-based metrics need nothing; grounding needs an
 * {@link Embedder}; faithfulness and answer relevancy need an LLM judge (any {@link Generator} that follows
 * instructions, e.g. {@link OllamaGenerator} or {@link OpenAiChatGenerator}) and, for relevancy, an embedder.
 *
 * <pre>{@code
 * RagasMetrics ragas = RagasMetrics.builder().embedder(embedder).judge(llm).build();
 * double p = RagasMetrics.idContextPrecision(List.of("wal.txt#3", "faq.txt#1"), Set.of("wal.txt#3"));   // 0.5
 * RagasMetrics.Faithfulness f = ragas.faithfulness(question, answer.text(), contexts);
 * RagasMetrics.AnswerRelevancy r = ragas.answerRelevancy(question, answer.text());
 * }</pre>
 *
 * <h2>Without an LLM</h2>
 * <ul>
 *   <li>{@link #idContextPrecision}: |retrieved ∩ reference| / |retrieved| over distinct ids (Ragas
 *       {@code IDBasedContextPrecision}); NaN when nothing was retrieved.
 *   <li>{@link #idContextRecall}: |retrieved ∩ reference| / |reference| (Ragas {@code IDBasedContextRecall});
 *       NaN when the reference is empty.
 *   <li>{@link #contextPrecisionAtK(List)}: with v_i ∈ {0, 1} the relevance of the context at rank i,
 *       {@code Σ_i (precision@i · v_i) / Σ_i v_i} (Ragas' context precision@K); 0 when none is relevant
 *       (Ragas divides by Σ v_i + 1e-10, which differs by at most 1e-10 relative).
 *   <li>{@link #contextPrecisionWithReference}: the same, where a retrieved context is relevant when its
 *       string similarity to some reference context is ≥ the threshold (default 0.5), similarity =
 *       {@code 1 − levenshtein(a, b) / max(|a|, |b|)} over UTF-16 chars (Ragas
 *       {@code NonLLMContextPrecisionWithReference} with {@code NonLLMStringSimilarity}, Levenshtein).
 *   <li>{@link #contextRecallWithReference}: the fraction of reference contexts that have a retrieved
 *       context with similarity ≥ the threshold (Ragas {@code NonLLMContextRecall}); NaN when the reference
 *       is empty.
 *   <li>{@link #grounding}: the answer is split into sentences ({@link BreakIterator}, root locale, blank ones
 *       dropped) and so is every context; each answer sentence gets its best cosine similarity to any
 *       context sentence; {@code score} = the mean of those, {@code supportedFraction} = the share ≥ the
 *       grounding threshold (default 0.7).
 * </ul>
 *
 * <h2>With an LLM judge</h2>
 * Each judge call sends a system message and one user message rendered from a versioned
 * {@link PromptTemplate} ({@link #STATEMENTS}, {@link #VERDICTS}, {@link #QUESTION}) and expects one JSON
 * object in the reply (code fences and text around the object are tolerated). A reply that is not such an
 * object, or lacks a field, is a {@link GenerationException} (status −1) quoting the reply.
 * <ul>
 *   <li>{@link #faithfulness}: call 1 splits the answer into standalone statements ({@code {"statements":
 *       [..]}}); call 2 judges each against the contexts ({@code {"verdicts": [{"statement", "reason",
 *       "verdict": 0|1}]}}, one per statement, in order). Score = statements with verdict 1 / statements;
 *       NaN when the answer yields no statement (as Ragas).
 *   <li>{@link #answerRelevancy}: n calls (default 3, Ragas' {@code strictness}) each generate a question
 *       the answer would answer and a noncommittal flag ({@code {"question", "noncommittal": 0|1}}).
 *       Score = mean cosine(embed(question), embed(generated_i)) · (0 if <em>every</em> reply is
 *       noncommittal, else 1) (Ragas' {@code ResponseRelevancy}); NaN when every generated question is blank.
 * </ul>
 */
public final class RagasMetrics {

    /** Splits an answer into statements. Variables: {@code question}, {@code answer}. */
    public static final PromptTemplate STATEMENTS = PromptTemplate.of("ragas-statements", 1, """
            Given a question and an answer, break the answer down into one or more fully understandable \
            statements. Replace pronouns with the nouns they refer to. Do not add information.
            Reply with only a JSON object: {"statements": ["...", "..."]}

            question: {{question}}
            answer: {{answer}}""");

    /** Judges statements against the context. Variables: {@code context}, {@code statements}. */
    public static final PromptTemplate VERDICTS = PromptTemplate.of("ragas-verdicts", 1, """
            Judge the faithfulness of each statement to the context. Verdict 1 if the statement can be \
            directly inferred from the context, 0 if it cannot. Keep the statements in the given order.
            Reply with only a JSON object: \
            {"verdicts": [{"statement": "...", "reason": "...", "verdict": 0 or 1}]}

            context:
            {{context}}

            statements:
            {{statements}}""");

    /** Generates a question from an answer. Variables: {@code answer}. */
    public static final PromptTemplate QUESTION = PromptTemplate.of("ragas-question", 1, """
            Generate a question for the given answer, and say whether the answer is noncommittal: 1 if it is \
            evasive, vague or ambiguous ("I don't know", "I'm not sure"), 0 if it is committal.
            Reply with only a JSON object: {"question": "...", "noncommittal": 0 or 1}

            answer: {{answer}}""");

    private static final String SYSTEM = "You are a careful evaluator. Reply with one JSON object and nothing else.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Embedder embedder;
    private final Generator judge;
    private final int questions;
    private final double stringThreshold;
    private final double groundingThreshold;

    private RagasMetrics(Builder b) {
        this.embedder = b.embedder;
        this.judge = b.judge;
        this.questions = b.questions;
        this.stringThreshold = b.stringThreshold;
        this.groundingThreshold = b.groundingThreshold;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ results

    /** One judged statement. */
    public record Verdict(String statement, boolean supported, String reason) {}

    /** Faithfulness: the score and the judged statements. */
    public record Faithfulness(double score, List<Verdict> verdicts) {}

    /** Answer relevancy: the score, the generated questions and whether each reply was noncommittal. */
    public record AnswerRelevancy(double score, List<String> generatedQuestions, List<Boolean> noncommittal) {}

    /** One answer sentence and its best-matching context sentence. */
    public record SentenceSupport(String sentence, String bestContextSentence, double similarity) {}

    /** Grounding by embedding similarity. */
    public record Grounding(double score, double supportedFraction, List<SentenceSupport> sentences) {}

    // ------------------------------------------------------------------ without an LLM

    /** |retrieved ∩ reference| / |retrieved| over distinct ids; NaN when {@code retrievedIds} is empty. */
    public static double idContextPrecision(Collection<String> retrievedIds, Collection<String> referenceIds) {
        Set<String> retrieved = new LinkedHashSet<>(retrievedIds);
        if (retrieved.isEmpty()) {
            return Double.NaN;
        }
        Set<String> reference = new HashSet<>(referenceIds);
        return (double) retrieved.stream().filter(reference::contains).count() / retrieved.size();
    }

    /** |retrieved ∩ reference| / |reference| over distinct ids; NaN when {@code referenceIds} is empty. */
    public static double idContextRecall(Collection<String> retrievedIds, Collection<String> referenceIds) {
        Set<String> reference = new LinkedHashSet<>(referenceIds);
        if (reference.isEmpty()) {
            return Double.NaN;
        }
        Set<String> retrieved = new HashSet<>(retrievedIds);
        return (double) reference.stream().filter(retrieved::contains).count() / reference.size();
    }

    /** Σ_i precision@i · v_i / Σ_i v_i over the ranked relevance flags; 0 when none is relevant. */
    public static double contextPrecisionAtK(List<Boolean> relevant) {
        double num = 0;
        int hits = 0;
        for (int i = 0; i < relevant.size(); i++) {
            if (relevant.get(i)) {
                hits++;
                num += (double) hits / (i + 1);
            }
        }
        return hits == 0 ? 0 : num / hits;
    }

    /** Context precision@K where relevance = string similarity to some reference context ≥ the threshold. */
    public double contextPrecisionWithReference(List<String> retrievedContexts, List<String> referenceContexts) {
        List<Boolean> rel = new ArrayList<>();
        for (String r : retrievedContexts) {
            rel.add(referenceContexts.stream().anyMatch(ref -> stringSimilarity(r, ref) >= stringThreshold));
        }
        return contextPrecisionAtK(rel);
    }

    /** Share of reference contexts matched (similarity ≥ threshold) by a retrieved one; NaN without references. */
    public double contextRecallWithReference(List<String> retrievedContexts, List<String> referenceContexts) {
        if (referenceContexts.isEmpty()) {
            return Double.NaN;
        }
        long found = referenceContexts.stream()
                .filter(ref -> retrievedContexts.stream().anyMatch(r -> stringSimilarity(r, ref) >= stringThreshold))
                .count();
        return (double) found / referenceContexts.size();
    }

    /** {@code 1 − levenshtein(a, b) / max(|a|, |b|)}; 1 for two empty strings. */
    public static double stringSimilarity(String a, String b) {
        int max = Math.max(a.length(), b.length());
        return max == 0 ? 1 : 1 - (double) levenshtein(a, b) / max;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** How well each answer sentence is supported by some context sentence, by embedding similarity. */
    public Grounding grounding(String answer, List<String> contexts) {
        requireEmbedder("grounding");
        List<String> answerSentences = sentences(answer);
        List<String> contextSentences = new ArrayList<>();
        contexts.forEach(c -> contextSentences.addAll(sentences(c)));
        if (answerSentences.isEmpty() || contextSentences.isEmpty()) {
            return new Grounding(Double.NaN, Double.NaN, List.of());
        }
        List<String> all = new ArrayList<>(answerSentences);
        all.addAll(contextSentences);
        List<float[]> v = embedder.embed(all);
        List<SentenceSupport> out = new ArrayList<>();
        double sum = 0;
        int supported = 0;
        for (int i = 0; i < answerSentences.size(); i++) {
            int best = -1;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < contextSentences.size(); j++) {
                double s = MmrReranker.cosine(v.get(i), v.get(answerSentences.size() + j));
                if (s > bestSim) {
                    bestSim = s;
                    best = j;
                }
            }
            out.add(new SentenceSupport(answerSentences.get(i), contextSentences.get(best), bestSim));
            sum += bestSim;
            if (bestSim >= groundingThreshold) {
                supported++;
            }
        }
        return new Grounding(sum / out.size(), (double) supported / out.size(), List.copyOf(out));
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        for (int s = it.first(), e = it.next(); e != BreakIterator.DONE; s = e, e = it.next()) {
            String sentence = text.substring(s, e).strip();
            if (!sentence.isEmpty()) {
                out.add(sentence);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ with an LLM judge

    /** LLM-judged faithfulness of {@code answer} to {@code contexts}. */
    public Faithfulness faithfulness(String question, String answer, List<String> contexts) {
        requireJudge("faithfulness");
        JsonNode st = ask("faithfulness", STATEMENTS.render(Map.of("question", question, "answer", answer)));
        JsonNode arr = st.get("statements");
        if (arr == null || !arr.isArray()) {
            throw badReply("faithfulness", "a \"statements\" array", st.toString());
        }
        List<String> statements = new ArrayList<>();
        for (JsonNode s : arr) {
            if (!s.isTextual()) {
                throw badReply("faithfulness", "statements that are strings", st.toString());
            }
            if (!s.asText().isBlank()) {
                statements.add(s.asText().strip());
            }
        }
        if (statements.isEmpty()) {
            return new Faithfulness(Double.NaN, List.of());
        }
        StringBuilder numbered = new StringBuilder();
        for (int i = 0; i < statements.size(); i++) {
            numbered.append(i + 1).append(". ").append(statements.get(i)).append('\n');
        }
        JsonNode vr = ask("faithfulness", VERDICTS.render(Map.of("context", String.join("\n\n", contexts),
                "statements", numbered.toString().strip())));
        JsonNode verdicts = vr.get("verdicts");
        if (verdicts == null || !verdicts.isArray() || verdicts.size() != statements.size()) {
            throw badReply("faithfulness", "a \"verdicts\" array with one entry per statement (" + statements.size() + ")",
                    vr.toString());
        }
        List<Verdict> out = new ArrayList<>();
        int supported = 0;
        for (int i = 0; i < statements.size(); i++) {
            JsonNode v = verdicts.get(i).get("verdict");
            if (v == null || !v.canConvertToInt() || (v.asInt() != 0 && v.asInt() != 1)) {
                throw badReply("faithfulness", "\"verdict\": 0 or 1 in verdict " + (i + 1), vr.toString());
            }
            boolean ok = v.asInt() == 1;
            supported += ok ? 1 : 0;
            out.add(new Verdict(statements.get(i), ok, verdicts.get(i).path("reason").asText("")));
        }
        return new Faithfulness((double) supported / statements.size(), List.copyOf(out));
    }

    /** LLM-judged answer relevancy: how well questions generated from the answer match the real question. */
    public AnswerRelevancy answerRelevancy(String question, String answer) {
        requireJudge("answer relevancy");
        requireEmbedder("answer relevancy");
        List<String> generated = new ArrayList<>();
        List<Boolean> noncommittal = new ArrayList<>();
        for (int i = 0; i < questions; i++) {
            JsonNode r = ask("answer relevancy", QUESTION.render(Map.of("answer", answer)));
            JsonNode q = r.get("question");
            JsonNode nc = r.get("noncommittal");
            if (q == null || !q.isTextual() || nc == null || !nc.canConvertToInt() || (nc.asInt() != 0 && nc.asInt() != 1)) {
                throw badReply("answer relevancy", "\"question\" (a string) and \"noncommittal\" (0 or 1)", r.toString());
            }
            generated.add(q.asText().strip());
            noncommittal.add(nc.asInt() == 1);
        }
        if (generated.stream().allMatch(String::isEmpty)) {
            return new AnswerRelevancy(Double.NaN, List.copyOf(generated), List.copyOf(noncommittal));
        }
        List<String> texts = new ArrayList<>();
        texts.add(question);
        texts.addAll(generated);
        List<float[]> v = embedder.embed(texts);
        double sum = 0;
        for (int i = 1; i < v.size(); i++) {
            sum += MmrReranker.cosine(v.get(0), v.get(i));
        }
        boolean allNoncommittal = noncommittal.stream().allMatch(b -> b);
        double score = allNoncommittal ? 0 : sum / generated.size();
        return new AnswerRelevancy(score, List.copyOf(generated), List.copyOf(noncommittal));
    }

    private JsonNode ask(String metric, String prompt) {
        Generation g = judge.generate(new GenerationRequest("", List.of(),
                List.of(ChatMessage.system(SYSTEM), ChatMessage.user(prompt))));
        String text = g.text();
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw badReply(metric, "a JSON object", text);
        }
        try {
            JsonNode node = JSON.readTree(text.substring(start, end + 1));
            if (!node.isObject()) {
                throw badReply(metric, "a JSON object", text);
            }
            return node;
        } catch (IOException e) {
            throw new GenerationException(judge.modelId(), -1, metric + ": the judge's reply is not valid JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "): '" + clip(text) + "'. Fix: use a model that follows JSON"
                    + " instructions, at temperature 0", e);
        }
    }

    private GenerationException badReply(String metric, String expected, String reply) {
        return new GenerationException(judge.modelId(), -1, metric + ": expected " + expected + " in the judge's reply,"
                + " got '" + clip(reply) + "'. Fix: use a model that follows JSON instructions, at temperature 0");
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private void requireJudge(String metric) {
        if (judge == null) {
            throw new IllegalStateException(metric + " needs an LLM judge: build RagasMetrics with judge(generator),"
                    + " e.g. an OllamaGenerator or OpenAiChatGenerator");
        }
    }

    private void requireEmbedder(String metric) {
        if (embedder == null) {
            throw new IllegalStateException(metric + " needs an embedder: build RagasMetrics with embedder(...)");
        }
    }

    /** Means of per-sample scores, skipping NaN (as Ragas averages); NaN when every value is NaN. */
    public static Map<String, Double> means(List<Map<String, Double>> perSample) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Map<String, Double> s : perSample) {
            s.forEach((k, v) -> {
                double[] a = acc.computeIfAbsent(k, x -> new double[2]);
                if (!Double.isNaN(v)) {
                    a[0] += v;
                    a[1]++;
                }
            });
        }
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[1] == 0 ? Double.NaN : a[0] / a[1]));
        return out;
    }

    /** Settings of {@link RagasMetrics}. */
    public static final class Builder {
        private Embedder embedder;
        private Generator judge;
        private int questions = 3;
        private double stringThreshold = 0.5;
        private double groundingThreshold = 0.7;

        private Builder() {}

        /** For grounding and answer relevancy. */
        public Builder embedder(Embedder embedder) {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder must not be null");
            }
            this.embedder = embedder;
            return this;
        }

        /** The LLM that judges faithfulness and writes questions for answer relevancy (not the extractive one). */
        public Builder judge(Generator judge) {
            if (judge == null) {
                throw new IllegalArgumentException("judge must not be null");
            }
            if (judge instanceof ExtractiveGenerator) {
                throw new IllegalArgumentException("the extractive generator cannot judge (it ignores instructions);"
                        + " use an LLM generator such as OllamaGenerator or OpenAiChatGenerator");
            }
            this.judge = judge;
            return this;
        }

        /** Questions generated per answer for answer relevancy (Ragas' strictness); default 3. */
        public Builder questions(int n) {
            if (n < 1 || n > 20) {
                throw new IllegalArgumentException("questions must be in [1, 20], was " + n);
            }
            this.questions = n;
            return this;
        }

        /** String-similarity threshold of the reference-context metrics; default 0.5. */
        public Builder stringThreshold(double t) {
            if (!(t > 0 && t <= 1)) {
                throw new IllegalArgumentException("stringThreshold must be in (0, 1], was " + t);
            }
            this.stringThreshold = t;
            return this;
        }

        /** Cosine threshold for a grounded sentence; default 0.7. */
        public Builder groundingThreshold(double t) {
            if (!(t >= -1 && t <= 1)) {
                throw new IllegalArgumentException("groundingThreshold must be in [-1, 1], was " + t);
            }
            this.groundingThreshold = t;
            return this;
        }

        public RagasMetrics build() {
            return new RagasMetrics(this);
        }
    }
}
