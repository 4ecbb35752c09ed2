package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child JVM appending feedback is killed with SIGKILL; every acknowledged record must survive intact. */
class FeedbackStoreCrashIT {

    @TempDir
    Path dir;

    @Test
    void killedWriter_keepsEveryAcknowledgedRecord() throws Exception {
        Path file = dir.resolve("feedback.jsonl");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashFeedbackMain.class.getName(), file.toString()).redirectErrorStream(true).start();
        int acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("recorded ")) {
                    acknowledged = Integer.parseInt(line.substring(9).trim());
                    if (acknowledged >= 200) {
                        break;
                    }
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledged).as("child output").isGreaterThanOrEqualTo(200);

        List<Feedback> read = FeedbackStore.read(file);
        assertThat(read.size()).isGreaterThanOrEqualTo(acknowledged);
        for (int i = 0; i < read.size(); i++) {
            assertThat(read.get(i).answerId()).isEqualTo("a" + i);
            assertThat(read.get(i).comment()).hasSize(2000);
        }
        try (FeedbackStore store = FeedbackStore.open(file)) {
            assertThat(store.all()).isEqualTo(read);
            store.record("after-crash", Feedback.Rating.UP, "");
        }
        assertThat(FeedbackStore.read(file)).hasSize(read.size() + 1);
    }
}
