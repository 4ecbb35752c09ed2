package dev.mlops.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.rag.Answer;
import dev.mlops.rag.BeirDataset;
import dev.mlops.rag.Document;
import dev.mlops.rag.DocumentLoader;
import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.ExtractiveGenerator;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.Fusion;
import dev.mlops.rag.IngestReport;
import dev.mlops.rag.OllamaGenerator;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.OpenAiChatGenerator;
import dev.mlops.rag.PairedComparison;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.RagPipeline;
import dev.mlops.rag.RetrievalEvaluation;
import dev.mlops.rag.Retriever;
import dev.mlops.rag.Splitter;
import dev.mlops.rag.spi.Embedder;
import dev.mlops.rag.spi.Generator;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegistryRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scenario 2 of {@code mlops demo}, the seed's Project 2: RAG over the SQLite documentation
 * ({@code examples/data/sqlite_docs}, public domain).
 *
 * <ol>
 *   <li><b>Ingest</b> the pages ({@link #CORE_PAGES} by default, all 75 with {@code --rag-docs all}, or a list) into a
 *       {@link RagIndex} with all-MiniLM-L6-v2 ONNX embeddings (Lucene HNSW + BM25).</li>
 *   <li><b>Ask</b> {@link #QUESTIONS} through a {@link RagPipeline}: hybrid retrieval (reciprocal rank fusion of
 *       dense and BM25), top 5 chunks, answered by the {@link ExtractiveGenerator} (sentences of the sources with
 *       {@code [n]} markers), or by an Ollama / OpenAI-compatible server when {@link Settings#llmUrl} is set.</li>
 *   <li><b>Feedback.</b> A scripted user rates each answer up when its sources include the page that documents
 *       the question's topic, down otherwise; the ratings go to a durable {@link FeedbackStore}.</li>
 *   <li><b>Tracking.</b> One run in experiment {@value #EXPERIMENT}: the embedding and generator models, the
 *       pages, ingest time and counts, feedback counts, and the answers and feedback files as artifacts.</li>
 *   <li><b>Evaluation</b> (only with {@link Settings#beir}): BM25, dense and hybrid retrieval on a BEIR dataset
 *       (nDCG@10, recall@100, MRR@10, latency), one child run each under a run in experiment
 *       {@value #EVAL_EXPERIMENT}, and paired significance tests ({@link PairedComparison}) of hybrid and dense
 *       against BM25 on the per-query nDCG@10, logged on that run.</li>
 * </ol>
 */
public final class RagDemo {

    static final String EXPERIMENT = "sqlite-docs-rag";
    static final String EVAL_EXPERIMENT = "rag-retrieval-eval";
    /** The index version recorded on each answer: the corpus' source release. */
    static final String INDEX_VERSION = "sqlite-docs-3.40.1";

    /** The pages ingested by default: the ones about transactions, storage and querying (about 30 s to embed). */
    static final List<String> CORE_PAGES = List.of("wal.txt", "atomiccommit.txt", "lockingv3.txt", "isolation.txt",
            "lang_transaction.txt", "faq.txt", "datatype3.txt", "queryplanner.txt", "foreignkeys.txt", "autoinc.txt");

    /** The questions, each with the page of the SQLite documentation that covers it. */
    static final Map<String, String> QUESTIONS = questions();

    private static Map<String, String> questions() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("How does WAL mode handle checkpoints?", "wal.txt");
        q.put("What happens if the power fails while a transaction is being committed?", "atomiccommit.txt");
        q.put("What is a RESERVED lock?", "lockingv3.txt");
        q.put("What is type affinity?", "datatype3.txt");
        return java.util.Collections.unmodifiableMap(q);
    }

    private RagDemo() {
    }

    /**
     * What to run.
     *
     * @param docs     the SQLite documentation directory
     * @param pages    the page files to ingest; empty for every page
     * @param llmUrl   base URL of an Ollama or OpenAI-compatible server; empty for the extractive generator
     * @param llmApi   {@code ollama} or {@code openai}
     * @param llmModel the model the server should run (required with a URL)
     * @param beir     a BEIR dataset directory to evaluate retrievers on; empty to skip
     */
    public record Settings(Path docs, List<String> pages, Optional<String> llmUrl, String llmApi, String llmModel,
                           Optional<Path> beir) {
        public Settings {
            Objects.requireNonNull(docs, "docs");
            pages = List.copyOf(pages);
            for (String page : pages) {
                if (!Files.isRegularFile(docs.resolve(page))) {
                    throw new IllegalArgumentException("no page '" + page + "' in " + docs
                            + "; pass file names of that directory, e.g. wal.txt");
                }
            }
            Objects.requireNonNull(llmUrl, "llmUrl");
            Objects.requireNonNull(beir, "beir");
            if (!llmApi.equals("ollama") && !llmApi.equals("openai")) {
                throw new IllegalArgumentException("--llm-api must be ollama or openai, was '" + llmApi + "'");
            }
            if (llmUrl.isPresent() && (llmModel == null || llmModel.isBlank())) {
                throw new IllegalArgumentException("--llm-url needs --llm-model (the model the server runs, e.g. "
                        + "llama3.2:1b)");
            }
        }

        /** The SQLite documentation in {@code docs}, the extractive generator, no evaluation. */
        public static Settings defaults(Path docs) {
            return new Settings(docs, CORE_PAGES, Optional.empty(), "ollama", null, Optional.empty());
        }
    }

    /** One answered question: the answer, its source pages, the page that covers the question, the rating. */
    public record QA(String question, Answer answer, List<String> sources, String expectedPage,
                     Feedback.Rating rating) {
    }

    /** Scores of one retriever on the BEIR dataset. */
    public record RetrieverScore(String retriever, double ndcg10, double recall100, double mrr10, double p50Ms,
                                 String runId) {
    }

    /** What the scenario did. */
    public record Result(IngestReport ingest, int documents, int chunks, List<QA> answers, String runId,
                         Path feedbackFile, List<RetrieverScore> beir) {
    }

    public static Result run(Path home, Settings settings, ModelRegistry registry, Clock clock, PrintStream out)
            throws Exception {
        out.println("== 2. RAG over the SQLite documentation; home " + home.toAbsolutePath());
        Files.createDirectories(home);
        List<Path> pages = settings.pages().isEmpty() ? List.of(settings.docs())
                : settings.pages().stream().map(settings.docs()::resolve).toList();
        try (Embedder embedder = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build();
             RagIndex index = RagIndex.builder().home(home.resolve("index")).embedder(embedder).build();
             RegistryRun run = registry.startRun(EXPERIMENT, "ingest-ask-feedback")) {
            // 1. Ingest.
            List<Document> docs = DocumentLoader.builder().build().load(pages);
            long t0 = System.nanoTime();
            IngestReport report = index.sync(docs);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "[rag-ingest] %d pages (%s): %d added, %d chunks embedded with %s in %.1f s; "
                            + "index has %d documents, %d chunks%n", docs.size(),
                    settings.pages().isEmpty() ? "all" : settings.pages().equals(CORE_PAGES)
                            ? "the core set; --rag-docs all for every page" : "chosen", report.added(),
                    report.chunksEmbedded(), embedder.modelId(), seconds, index.documentCount(), index.chunkCount());
            run.logParam("embedding_model", embedder.modelId());
            run.logParam("pages", settings.pages().isEmpty() ? "all" : String.join(",", settings.pages()));
            run.logParam("index_version", INDEX_VERSION);
            run.logMetric("ingest.seconds", seconds, 0);
            run.logMetric("index.documents", index.documentCount(), 0);
            run.logMetric("index.chunks", index.chunkCount(), 0);

            // 2. Ask.
            Generator generator = generator(settings, embedder);
            run.logParam("generator", generator.modelId());
            RagPipeline pipeline = RagPipeline.builder().retriever(index.hybrid(Fusion.reciprocalRank()))
                    .generator(generator).topK(5).index(INDEX_VERSION, index.modelId()).clock(clock).build();
            Path feedbackFile = home.resolve("feedback.jsonl");
            List<QA> answers = new ArrayList<>();
            try (FeedbackStore feedback = FeedbackStore.open(feedbackFile)) {
                for (Map.Entry<String, String> q : QUESTIONS.entrySet()) {
                    Answer a = pipeline.ask("demo-user", q.getKey());
                    List<String> sources = new ArrayList<>(new LinkedHashSet<>(a.chunkIds().stream()
                            .map(RagDemo::page).toList()));
                    // 3. Feedback from a scripted user who knows which page covers the topic.
                    Feedback.Rating rating = sources.contains(q.getValue()) ? Feedback.Rating.UP
                            : Feedback.Rating.DOWN;
                    feedback.record(a.id(), rating, "expected a source from " + q.getValue());
                    answers.add(new QA(q.getKey(), a, sources, q.getValue(), rating));
                    out.printf("[rag-ask] %s%n          %s%n          sources %s; feedback %s%n", q.getKey(),
                            abbreviate(a.text(), 220), a.chunkIds(), rating == Feedback.Rating.UP ? "up" : "down");
                }
            }
            long up = answers.stream().filter(a -> a.rating() == Feedback.Rating.UP).count();
            run.logMetric("answers", answers.size(), 0);
            run.logMetric("feedback.up", up, 0);
            run.logMetric("feedback.down", answers.size() - up, 0);
            Path answersFile = home.resolve("answers.json");
            List<Map<String, Object>> json = new ArrayList<>();
            for (QA qa : answers) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", qa.answer().id());
                m.put("question", qa.question());
                m.put("answer", qa.answer().text());
                m.put("chunks", qa.answer().chunkIds());
                m.put("generator", qa.answer().generatorModelId());
                json.add(m);
            }
            Files.writeString(answersFile, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(json));
            run.logArtifact(answersFile, "answers");
            run.logArtifact(feedbackFile, "feedback");
            out.printf("[rag-feedback] %d up, %d down in %s; tracked as run %s (experiment %s)%n", up,
                    answers.size() - up, feedbackFile.getFileName(), run.runId(), EXPERIMENT);

            // 4. Optional evaluation on BEIR.
            List<RetrieverScore> scores = settings.beir().isPresent()
                    ? evaluate(settings.beir().get(), home.resolve("beir-index"), embedder, registry, out) : List.of();
            return new Result(report, index.documentCount(), index.chunkCount(), answers, run.runId(), feedbackFile,
                    scores);
        }
    }

    private static Generator generator(Settings s, Embedder embedder) {
        if (s.llmUrl().isEmpty()) {
            return ExtractiveGenerator.create(embedder, 3);
        }
        if (s.llmApi().equals("openai")) {
            OpenAiChatGenerator.Builder b = OpenAiChatGenerator.builder().baseUrl(s.llmUrl().get()).model(s.llmModel());
            String key = System.getenv("OPENAI_API_KEY");
            if (key != null && !key.isBlank()) {
                b.apiKey(key);
            }
            return b.build();
        }
        return OllamaGenerator.builder().baseUrl(s.llmUrl().get()).model(s.llmModel()).build();
    }

    /** BM25, dense and hybrid retrieval on a BEIR dataset's test split, one tracked child run each. */
    static List<RetrieverScore> evaluate(Path beir, Path indexHome, Embedder embedder, ModelRegistry registry,
                                         PrintStream out) {
        BeirDataset data = BeirDataset.load(beir, "test");
        String dataset = beir.getFileName().toString();
        List<RetrieverScore> scores = new ArrayList<>();
        try (RagIndex index = RagIndex.builder().home(indexHome).embedder(embedder).splitter(Splitter.none()).build();
             RegistryRun parent = registry.startRun(EVAL_EXPERIMENT, dataset + "-test")) {
            long t0 = System.nanoTime();
            IngestReport r = index.sync(data.corpus());
            out.printf(Locale.ROOT, "[rag-eval] BEIR %s: %d documents indexed (%d embedded) in %.1f s, %d test "
                    + "queries%n", dataset, index.documentCount(), r.chunksEmbedded(), (System.nanoTime() - t0) / 1e9,
                    data.queries().size());
            parent.logParam("dataset", dataset);
            parent.logParam("embedding_model", embedder.modelId());
            Map<String, Retriever> retrievers = new LinkedHashMap<>();
            retrievers.put("bm25", index.bm25());
            retrievers.put("dense", index.dense(100));
            retrievers.put("hybrid", index.hybrid(Fusion.reciprocalRank(60), 100, index.dense(100), index.bm25()));
            Map<String, RetrievalEvaluation.Outcome> outcomes = new LinkedHashMap<>();
            for (Map.Entry<String, Retriever> e : retrievers.entrySet()) {
                RetrievalEvaluation.Outcome o = RetrievalEvaluation.run(e.getValue(), data.queries(), data.qrels(),
                        100, 1, 10, 100);
                outcomes.put(e.getKey(), o);
                try (RegistryRun child = parent.startChildRun(e.getKey())) {
                    child.logParam("retriever", e.getValue().name());
                    for (String m : List.of("ndcg@10", "recall@100", "mrr@10", "map@10")) {
                        child.logMetric(m.replace('@', '_'), o.result().get(m), 0);
                    }
                    child.logMetric("query_ms_p50", o.latencyPercentileMs(50), 0);
                    RetrieverScore s = new RetrieverScore(e.getKey(), o.result().get("ndcg@10"),
                            o.result().get("recall@100"), o.result().get("mrr@10"), o.latencyPercentileMs(50),
                            child.runId());
                    scores.add(s);
                    out.printf(Locale.ROOT, "[rag-eval] %-6s nDCG@10 %.4f  recall@100 %.4f  MRR@10 %.4f  p50 %.1f ms "
                            + "(run %s)%n", s.retriever(), s.ndcg10(), s.recall100(), s.mrr10(), s.p50Ms(), s.runId());
                }
            }
            // Paired significance tests on the per-query nDCG@10 (mlops-rag's PairedComparison, seed 0).
            PairedComparison tests = PairedComparison.builder().seed(0).build();
            for (String a : List.of("hybrid", "dense")) {
                PairedComparison.Result cmp = tests.compare(outcomes.get(a), outcomes.get("bm25"), "ndcg@10");
                String key = a + "_vs_bm25";
                logFinite(parent, key + ".ndcg_10.difference", cmp.meanDifference());
                logFinite(parent, key + ".t_test.p", cmp.tTest().pValue());
                logFinite(parent, key + ".wilcoxon.p", cmp.wilcoxon().pValue());
                logFinite(parent, key + ".permutation.p", cmp.permutation().pValue());
                out.printf(Locale.ROOT, "[rag-eval] %s vs bm25 on %d queries: nDCG@10 difference %+.4f, paired t-test "
                        + "p = %.3g, Wilcoxon p = %.3g, permutation p = %.3g, 95%% bootstrap CI [%+.4f, %+.4f]%n", a,
                        cmp.n(), cmp.meanDifference(), cmp.tTest().pValue(), cmp.wilcoxon().pValue(),
                        cmp.permutation().pValue(), cmp.bootstrap().low(), cmp.bootstrap().high());
            }
        }
        return scores;
    }

    /** Logs a metric unless it is NaN (a test on identical per-query scores has no p-value). */
    private static void logFinite(RegistryRun run, String key, double value) {
        if (Double.isFinite(value)) {
            run.logMetric(key, value, 0);
        }
    }

    /** The page (document id) of a chunk id {@code <document>#<n>}. */
    static String page(String chunkId) {
        int hash = chunkId.lastIndexOf('#');
        return hash < 0 ? chunkId : chunkId.substring(0, hash);
    }

    private static String abbreviate(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }
}
