package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while its {@link DriftMonitor} checks hour after hour with a history file (of 5
 * windows, so the file is also being compacted), at a different instant in each of six rounds; then a monitor
 * built on the file must open it and hold every window the child had acknowledged (its check had returned),
 * consecutive and ending no earlier than the last acknowledged one.
 */
class DriftMonitorHistoryCrashIT {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final int KEEP = 5;

    @TempDir
    Path dir;

    static Table reference() {
        Schema schema = Schema.builder().add("x", ColumnType.DOUBLE).add("c", ColumnType.STRING).build();
        TableBuilder b = Table.builder(schema);
        Random rnd = new Random(1);
        for (int i = 0; i < 300; i++) {
            b.addRow(rnd.nextGaussian(), rnd.nextBoolean() ? "a" : "b");
        }
        return b.build();
    }

    static DriftMonitor monitor(PredictionLog log, Path history) {
        return DriftMonitor.builder().log(log).model("churn").reference(reference()).window(Duration.ofHours(1))
                .historyFile(history).historySize(KEEP).build();
    }

    /** The child: checks hour after hour until killed; "checked h" goes to the progress file after each check returns. */
    public static void main(String[] args) throws Exception {
        Path history = Path.of(args[0]);
        PredictionLog log = PredictionLog.inMemory(1_000_000);
        DriftMonitor m = monitor(log, history);
        Random rnd = new Random(2);
        try (FileOutputStream progress = new FileOutputStream(args[1], true)) {
            for (int h = 0; ; h++) {
                Instant start = T0.plus(Duration.ofHours(h));
                for (int i = 0; i < 50; i++) {
                    log.append(new PredictionRecord("churn", "1", start.plusSeconds(i * 60L), "r" + h + "-" + i,
                            Map.of("x", rnd.nextGaussian() + (h % 7 < 3 ? 0 : 1.0), "c", rnd.nextBoolean() ? "a" : "b"),
                            0.5, 1000));
                }
                m.checkWindowEndingAt(start.plus(Duration.ofHours(1)));
                progress.write(("checked " + h + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void killedWhileChecking_keepsEveryAcknowledgedWindow() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 6; round++) {
            Path history = dir.resolve("history-" + round + ".jsonl");
            Path progress = dir.resolve("progress-" + round + ".txt");
            Files.createFile(progress);
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    DriftMonitorHistoryCrashIT.class.getName(), history.toString(), progress.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(progress) == 0) {
                assertThat(child.isAlive()).as("the child JVM is running").isTrue();
                assertThat(System.nanoTime()).as("the child checked a window within 60 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            Thread.sleep(50L + 61L * round);
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(progress);
            int acknowledged = Integer.parseInt(lines.get(lines.size() - 1).substring("checked ".length()));

            DriftMonitor reopened = monitor(PredictionLog.inMemory(10), history);
            List<MonitorResult> h = reopened.history();
            assertThat(h).as("round %d", round).isNotEmpty();
            Instant last = h.get(h.size() - 1).to();
            assertThat(last).as("round %d: the last acknowledged window (hour %d) is on disk", round, acknowledged)
                    .isAfterOrEqualTo(T0.plus(Duration.ofHours(acknowledged + 1L)));
            assertThat(h).hasSize((int) Math.min(KEEP, Duration.between(T0, last).toHours()));
            for (int i = 1; i < h.size(); i++) {
                assertThat(h.get(i).to()).isEqualTo(h.get(i - 1).to().plus(Duration.ofHours(1)));
            }
            assertThat(h).allMatch(r -> r.report().isPresent() && r.rows() == 50);
            assertThat(Files.readAllLines(history).size()).isBetween(1, 2 * KEEP);
        }
    }
}
