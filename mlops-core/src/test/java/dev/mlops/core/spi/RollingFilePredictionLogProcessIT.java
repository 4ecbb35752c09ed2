package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ResourceUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Crash safety and the one-writer rule, across real processes: a child JVM is killed or holds the lock. */
@Timeout(120)
class RollingFilePredictionLogProcessIT {

    @TempDir
    Path dir;

    private Process child(String mode, Path logDir) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PredictionLogChild.class.getName(), mode, logDir.toString())
                .redirectError(dir.resolve(mode + ".stderr").toFile())
                .start();
    }

    private String stderr(String mode) throws IOException {
        Path p = dir.resolve(mode + ".stderr");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /**
     * The child appends, flushes and reports, and keeps appending; it is killed with SIGKILL in the middle of
     * its work. Reopened, the log must hold every record a returned flush() acknowledged, each exactly as
     * appended, and nothing that was never appended.
     */
    @Test
    void killedWriter_keepsEveryAcknowledgedRecord_exactly() throws Exception {
        Path logDir = dir.resolve("log");
        Process p = child("crash", logDir);
        int acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged < 3000 && (line = out.readLine()) != null) {
                assertThat(line).as("child output; stderr: %s", stderr("crash")).startsWith("flushed ");
                acknowledged = Integer.parseInt(line.substring("flushed ".length()));
            }
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).as("stderr: %s", stderr("crash")).isGreaterThanOrEqualTo(3000);

        try (PredictionLog log = PredictionLog.rollingFilesBuilder(logDir).maxFileBytes(16 << 10).build()) {
            List<PredictionRecord> all = log.read("m", Instant.MIN, Instant.MAX);
            Set<Integer> seen = new HashSet<>();
            for (PredictionRecord r : all) {
                int i = Integer.parseInt(r.requestId().substring(1));
                assertThat(seen.add(i)).as("record %d read twice", i).isTrue();
                assertThat(r).isEqualTo(PredictionLogChild.record(i));
            }
            for (int i = 0; i < acknowledged; i++) {
                assertThat(seen).as("acknowledged record %d", i).contains(i);
            }
            assertThat(all).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));
            // records after the last acknowledgement may or may not have reached the file, but only as a prefix
            int max = seen.stream().mapToInt(Integer::intValue).max().orElse(-1);
            assertThat(seen).hasSize(max + 1);
        }
    }

    @Test
    void aSecondProcess_cannotWriteTheDirectory_untilTheFirstCloses() throws Exception {
        Path logDir = dir.resolve("held");
        Process p = child("hold", logDir);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("stderr: %s", stderr("hold")).isEqualTo("locked");
            assertThatThrownBy(() -> PredictionLog.rollingFiles(logDir))
                    .isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("process " + p.pid() + " holds the write lock 'predictions.lock'")
                    .hasMessageContaining(logDir.getFileName().toString());
            p.getOutputStream().close(); // the child closes its log and exits
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("stderr: %s", stderr("hold")).isZero();
        } finally {
            p.destroyForcibly();
        }
        try (PredictionLog log = PredictionLog.rollingFiles(logDir)) {
            assertThat(log.read("m", Instant.MIN, Instant.MAX)).isEmpty();
        }
    }
}
