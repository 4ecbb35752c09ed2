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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mlops rag ask --generator ...} (an LLM answers from the retrieved chunks) and {@code mlops rag feedback}. */
final class RagGenerateCommand {

    private RagGenerateCommand() {}

    static int ask(RagCommand.Ask o, PrintStream out) {
        Generator generator = switch (o.generator) {
            case "ollama" -> {
                OllamaGenerator.Builder b = OllamaGenerator.builder().model(o.llm);
                if (o.baseUrl != null) {
                    b.baseUrl(o.baseUrl);
                }
                yield b.build();
            }
            case "openai" -> {
                OpenAiChatGenerator.Builder b = OpenAiChatGenerator.builder().model(o.llm);
                if (o.baseUrl != null) {
                    b.baseUrl(o.baseUrl);
                }
                String key = System.getenv("OPENAI_API_KEY");
                if (key != null && !key.isBlank()) {
                    b.apiKey(key);
                }
                yield b.build();
            }
            default -> throw new IllegalArgumentException("--generator must be ollama or openai, was '" + o.generator + "'");
        };
        String question = String.join(" ", o.words);
        try (Embedder embedder = RagCommand.embedder(o.model);
                RagIndex index = RagCommand.open(o.index, embedder).build()) {
            RagPipeline pipeline = RagPipeline.builder()
                    .retriever(RagCommand.retriever(index, o.retrieval, o.retriever))
                    .generator(generator).topK(o.k)
                    .index(o.indexVersion, index.modelId()).build();
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

    @Command(name = "feedback", description = "Record a rating of an answer in a feedback journal (JSON lines).")
    static final class FeedbackCommand extends CliCommand {
        @Option(names = "--file", required = true, paramLabel = "FEEDBACK.jsonl", description = "The journal (created if missing).")
        Path file;
        @Option(names = "--answer", required = true, paramLabel = "ID", description = "The answer's id, as printed by ask.")
        String answer;
        @Parameters(index = "0", paramLabel = "up|down", description = "The rating.")
        String rating;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "COMMENT", description = "A comment (the words are joined).")
        List<String> comment = List.of();

        FeedbackCommand(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            if (!rating.equals("up") && !rating.equals("down")) {
                throw usage("the rating must be up|down, was '" + rating + "'");
            }
            try (FeedbackStore store = FeedbackStore.open(file)) {
                Feedback f = store.record(answer, rating.equals("up") ? Feedback.Rating.UP : Feedback.Rating.DOWN,
                        String.join(" ", comment));
                long up = store.forAnswer(f.answerId()).stream().filter(x -> x.rating() == Feedback.Rating.UP).count();
                out.printf(Locale.ROOT, "recorded %s for %s (%d up, %d down)%n", rating, f.answerId(), up,
                        store.forAnswer(f.answerId()).size() - up);
            }
            return 0;
        }
    }
}
