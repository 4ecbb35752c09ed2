package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spi.RunStatus;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs logging to one registry, and a JVM killed with SIGKILL while logging. */
class MultiProcessTest {

    @TempDir
    Path home;

    private Process child(String mode, int batches) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ChildLogger.class.getName(), home.toString(), mode, Integer.toString(batches)));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Reads the child's lines until {@code stop} returns true or the stream ends; returns the lines read. */
    private static List<String> readUntil(Process p, java.util.function.Predicate<List<String>> stop) throws Exception {
        List<String> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            lines.add(line);
            if (stop.test(lines)) {
                break;
            }
        }
        return lines;
    }

    private static String runId(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("RUN ")).findFirst().orElseThrow().substring(4);
    }

    @Test
    void twoJvmsLoggingAtOnceLoseNothing() throws Exception {
        int batches = 150;
        Process a = child("run", batches);
        Process b = child("run", batches);
        List<String> outA = readUntil(a, l -> false);
        List<String> outB = readUntil(b, l -> false);
        assertThat(a.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(b.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(b.exitValue()).isZero();
        assertThat(outA).contains("DONE");
        assertThat(outB).contains("DONE");
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            assertThat(registry.experiments()).hasSize(1);
            for (String id : List.of(runId(outA), runId(outB))) {
                RunInfo info = registry.run(id);
                assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
                assertThat(info.params()).hasSize(batches);
                for (int k = 0; k < 10; k++) {
                    assertThat(registry.metricHistory(id, "m" + k)).hasSize(batches);
                    assertThat(info.metric("m" + k)).contains((double) batches - 1);
                }
                assertThat(registry.metricHistory(id, "fast")).extracting(MetricPoint::step)
                        .containsExactlyElementsOf(longs(batches * 100));
                assertThat(info.tags()).containsEntry("last", Integer.toString(batches - 1));
            }
        }
    }

    private static List<Long> longs(int n) {
        List<Long> out = new ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void aJvmKilledWhileLoggingLeavesEveryAcknowledgedWrite() throws Exception {
        Process p = child("forever", 0);
        List<String> lines = readUntil(p, l -> l.stream().filter(s -> s.startsWith("ACK")).count() >= 120);
        p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no close()
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        String id = runId(lines);
        int lastAck = lines.stream().filter(s -> s.startsWith("ACK ")).mapToInt(s -> Integer.parseInt(s.substring(4)))
                .max().orElseThrow();
        long lastBufferedAck = lines.stream().filter(s -> s.startsWith("BACK "))
                .mapToLong(s -> Long.parseLong(s.substring(5))).max().orElseThrow();
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            RunInfo info = registry.run(id);
            assertThat(info.status()).isEqualTo(RunStatus.RUNNING); // nobody ended it
            // every acknowledged batch is there, whole (a batch is one transaction)
            List<MetricPoint> m0 = registry.metricHistory(id, "m0");
            assertThat(m0.size()).isGreaterThanOrEqualTo(lastAck + 1);
            for (int k = 1; k < 10; k++) {
                assertThat(registry.metricHistory(id, "m" + k)).hasSize(m0.size());
            }
            assertThat(info.params()).hasSize(m0.size());
            for (int i = 0; i <= lastAck; i++) {
                assertThat(info.params()).containsEntry("p" + i, Integer.toString(i));
            }
            // every flushed buffered point is there, in order, without gaps
            List<MetricPoint> fast = registry.metricHistory(id, "fast");
            assertThat(fast.size()).isGreaterThanOrEqualTo((int) lastBufferedAck);
            assertThat(fast).extracting(MetricPoint::step).containsExactlyElementsOf(longs(fast.size()));
            // and the store still takes writes
            try (RegistryRun again = registry.startRun("shared", "after-crash")) {
                again.logMetric("ok", 1);
            }
        }
        assertThat(new File(home.toFile(), "registry.db")).exists();
    }

    @Test
    void aJvmKilledWhileRegisteringLeavesEveryAcknowledgedVersionAndAnIntactAuditLog() throws Exception {
        Process p = child("register", 0);
        List<String> lines = readUntil(p, l -> l.size() >= 40);
        p.destroyForcibly();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        int lastAck = lines.stream().filter(s -> s.startsWith("VACK ")).mapToInt(s -> Integer.parseInt(s.substring(5)))
                .max().orElseThrow();
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            List<ModelVersion> versions = registry.versions("m");
            assertThat(versions.size()).isGreaterThanOrEqualTo(lastAck);
            assertThat(versions).extracting(ModelVersion::version)
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, versions.size()).boxed().toList());
            int champion = registry.resolve("models:/m@champion").version();
            assertThat(champion).isGreaterThanOrEqualTo(lastAck);
            AuditVerification v = registry.verifyAuditLog();
            assertThat(v.intact()).as(v.problem()).isTrue();
            // every version and every alias move is in the audit log
            assertThat(registry.auditLog().stream().filter(e -> e.action().equals("create_version")).count())
                    .isEqualTo(versions.size());
            assertThat(registry.aliasHistory("m", "champion").size()).isGreaterThanOrEqualTo(lastAck);
        }
    }
}
