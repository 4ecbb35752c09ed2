package dev.mlops.examples;

import dev.mlops.rag.Answer;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.OllamaGenerator;
import dev.mlops.rag.OpenAiChatGenerator;
import dev.mlops.rag.RagIndex;
import dev.mlops.rag.RagPipeline;
import dev.mlops.rag.spi.Embedder;
import dev.mlops.rag.spi.Generator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code mlops rag ask --generator ...} (an LLM answers from the retrieved chunks) and {@code mlops rag feedback}. */
final class RagGenerateCommand {

    private RagGenerateCommand() {}

    static int ask(Map<String, String> opts, List<String> words, PrintStream out, PrintStream err) {
        if (!opts.containsKey("index") || !opts.containsKey("llm") || words.isEmpty()) {
            err.println("mlops rag ask: --index DIR, --llm MODEL and a question are required with --generator");
            return Main.EXIT_USAGE;
        }
        Generator generator = switch (opts.get("generator")) {
            case "ollama" -> {
                OllamaGenerator.Builder b = OllamaGenerator.builder().model(opts.get("llm"));
                if (opts.containsKey("base-url")) {
                    b.baseUrl(opts.get("base-url"));
                }
                yield b.build();
            }
            case "openai" -> {
                OpenAiChatGenerator.Builder b = OpenAiChatGenerator.builder().model(opts.get("llm"));
                if (opts.containsKey("base-url")) {
                    b.baseUrl(opts.get("base-url"));
                }
                String key = System.getenv("OPENAI_API_KEY");
                if (key != null && !key.isBlank()) {
                    b.apiKey(key);
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException("--generator must be ollama or openai, was '"
                    + opts.get("generator") + "'");
        };
        String question = String.join(" ", words);
        try (Embedder embedder = RagCommand.embedder(opts.getOrDefault("model", "all-minilm-l6-v2"));
                RagIndex index = RagCommand.open(Path.of(opts.get("index")), embedder).build()) {
            RagPipeline pipeline = RagPipeline.builder()
                    .retriever(RagCommand.retriever(index, opts, opts.getOrDefault("retriever", "hybrid")))
                    .generator(generator).topK(Integer.parseInt(opts.getOrDefault("k", "5")))
                    .index(opts.getOrDefault("index-version", "unversioned"), index.modelId()).build();
            Answer a = pipeline.ask("cli", question);
            out.println(a.text());
            out.println();
            out.println("sources:");
            for (int i = 0; i < a.chunkIds().size(); i++) {
                out.printf(Locale.ROOT, "  [%d] %s%n", i + 1, a.chunkIds().get(i));
            }
            out.printf(Locale.ROOT, "answer %s (prompt %s, %s, %d tokens in, %d out)%n", a.id(), a.promptId(),
                    a.generatorModelId(), a.inputTokens(), a.outputTokens());
        }
        return 0;
    }

    static int feedback(Map<String, String> opts, List<String> words, PrintStream out, PrintStream err) {
        if (!opts.containsKey("file") || !opts.containsKey("answer") || words.isEmpty()
                || !(words.get(0).equals("up") || words.get(0).equals("down"))) {
            err.println("mlops rag feedback: --file FILE --answer ID and up|down are required");
            return Main.EXIT_USAGE;
        }
        try (FeedbackStore store = FeedbackStore.open(Path.of(opts.get("file")))) {
            Feedback f = store.record(opts.get("answer"), words.get(0).equals("up") ? Feedback.Rating.UP
                    : Feedback.Rating.DOWN, String.join(" ", words.subList(1, words.size())));
            long up = store.forAnswer(f.answerId()).stream().filter(x -> x.rating() == Feedback.Rating.UP).count();
            out.printf(Locale.ROOT, "recorded %s for %s (%d up, %d down)%n", words.get(0), f.answerId(), up,
                    store.forAnswer(f.answerId()).size() - up);
        }
        return 0;
    }
}
