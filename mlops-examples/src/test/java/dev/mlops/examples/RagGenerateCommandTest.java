package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagGenerateCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void feedback_appendsToTheJournal() throws Exception {
        Path f = dir.resolve("fb.jsonl");
        assertThat(run("rag", "feedback", "--file", f.toString(), "--answer", "a1", "up", "good", "answer")).isZero();
        assertThat(run("rag", "feedback", "--file", f.toString(), "--answer", "a1", "down")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("recorded down for a1 (1 up, 1 down)");
        assertThat(FeedbackStore.read(f)).extracting(Feedback::rating, Feedback::comment)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Feedback.Rating.UP, "good answer"),
                        org.assertj.core.groups.Tuple.tuple(Feedback.Rating.DOWN, ""));
    }

    @Test
    void feedback_withoutRating_isAUsageError() throws Exception {
        assertThat(run("rag", "feedback", "--file", dir.resolve("x").toString(), "--answer", "a1", "meh"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("up|down");
    }

    @Test
    void ask_withUnknownGenerator_isAPreciseError() throws Exception {
        assertThat(run("rag", "ask", "--index", dir.toString(), "--generator", "bard", "--llm", "x", "why?"))
                .isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--generator must be ollama or openai, was 'bard'");
    }
}
