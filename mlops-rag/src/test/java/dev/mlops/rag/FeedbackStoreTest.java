package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.StoreCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackStoreTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void record_appendsJsonLines_readableAfterReopen() throws Exception {
        Path f = dir.resolve("feedback.jsonl");
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            s.record("a1", Feedback.Rating.UP, "great");
            clock.advance(Duration.ofSeconds(5));
            s.record("a2", Feedback.Rating.DOWN, null);
            s.record("a1", Feedback.Rating.DOWN, "line\nbreak \"quoted\"");
            assertThat(s.forAnswer("a1")).extracting(Feedback::rating)
                    .containsExactly(Feedback.Rating.UP, Feedback.Rating.DOWN);
        }
        assertThat(Files.readAllLines(f, StandardCharsets.UTF_8).get(0)).isEqualTo(
                "{\"answer_id\":\"a1\",\"rating\":\"up\",\"comment\":\"great\",\"at\":\"2026-01-01T00:00:00Z\"}");
        List<Feedback> expected = List.of(
                new Feedback("a1", Feedback.Rating.UP, "great", Instant.parse("2026-01-01T00:00:00Z")),
                new Feedback("a2", Feedback.Rating.DOWN, "", Instant.parse("2026-01-01T00:00:05Z")),
                new Feedback("a1", Feedback.Rating.DOWN, "line\nbreak \"quoted\"", Instant.parse("2026-01-01T00:00:05Z")));
        assertThat(FeedbackStore.read(f)).isEqualTo(expected);
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            assertThat(s.all()).isEqualTo(expected);
            s.record("a3", Feedback.Rating.UP, "");
        }
        assertThat(FeedbackStore.read(f)).hasSize(4);
    }

    @Test
    void partialLastLine_isIgnoredByRead_andTruncatedByOpen() throws Exception {
        Path f = dir.resolve("fb.jsonl");
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            s.record("a1", Feedback.Rating.UP, "ok");
        }
        long good = Files.size(f);
        Files.writeString(f, "{\"answer_id\":\"a2\",\"rat", StandardOpenOption.APPEND); // a torn write
        assertThat(FeedbackStore.read(f)).hasSize(1);
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            assertThat(Files.size(f)).isEqualTo(good);
            s.record("a3", Feedback.Rating.DOWN, "");
        }
        assertThat(FeedbackStore.read(f)).extracting(Feedback::answerId).containsExactly("a1", "a3");
    }

    @Test
    void corruptCompleteLine_isStoreCorruptedNamingTheLine() throws Exception {
        Path f = dir.resolve("fb.jsonl");
        Files.writeString(f, "{\"answer_id\":\"a\",\"rating\":\"up\",\"comment\":\"\",\"at\":\"2026-01-01T00:00:00Z\"}\n"
                + "{\"answer_id\":\"b\",\"rating\":\"meh\",\"comment\":\"\",\"at\":\"2026-01-01T00:00:00Z\"}\n");
        assertThatThrownBy(() -> FeedbackStore.read(f)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("line 2").hasMessageContaining("meh");
        assertThatThrownBy(() -> FeedbackStore.open(f, clock)).isInstanceOf(StoreCorruptedException.class);
    }

    @Test
    void record_blankAnswerId_writesNothing() throws Exception {
        Path f = dir.resolve("fb.jsonl");
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            assertThatThrownBy(() -> s.record(" ", Feedback.Rating.UP, "x")).hasMessageContaining("answerId");
        }
        assertThat(Files.size(f)).isZero();
    }

    @Test
    void manyThreads_everyRecordIsOneWholeLine() throws Exception {
        Path f = dir.resolve("fb.jsonl");
        try (FeedbackStore s = FeedbackStore.open(f, clock)) {
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                int id = t;
                ts[t] = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 25; i++) {
                        s.record("t" + id + "-" + i, Feedback.Rating.UP, "c");
                    }
                });
            }
            for (Thread t : ts) {
                t.join();
            }
        }
        assertThat(FeedbackStore.read(f)).hasSize(100).extracting(Feedback::answerId).doesNotHaveDuplicates();
    }
}
