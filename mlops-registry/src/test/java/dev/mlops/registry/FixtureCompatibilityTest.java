package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.table.ColumnType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry home written by this release ({@link FixtureWriter}, schema version 1) must keep opening. */
class FixtureCompatibilityTest {

    @TempDir
    Path home;

    @Test
    void theV1FixtureOpensWithEverythingIntact() throws Exception {
        Path fixture = Path.of("src/test/resources/fixtures/registry-v1");
        try (Stream<Path> files = Files.walk(fixture)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            RunInfo run = registry.searchRuns(RunQuery.of("attributes.run_name = 'fixture-run'")).runs().get(0);
            assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run.startTime()).isEqualTo(Instant.parse("2026-11-27T03:00:00Z"));
            assertThat(run.params()).containsEntry("lr", "0.1");
            assertThat(run.tags()).containsEntry("team", "ml");
            assertThat(run.metric("loss")).contains(0.25);
            assertThat(run.metric("accuracy")).contains(0.97);
            assertThat(registry.metricHistory(run.runId(), "loss")).extracting(MetricPoint::value).containsExactly(0.5, 0.25);
            assertThat(run.datasets()).containsEntry("eval", Fingerprint.of("eval-data").toString());
            assertThat(new String(registry.readArtifact(run.runId(), "model/weights.bin"), StandardCharsets.UTF_8))
                    .isEqualTo("weights-v1");
            ModelVersion v = registry.resolve("models:/fixture-model@champion");
            assertThat(v.version()).isEqualTo(1);
            assertThat(v.signature().output()).isEqualTo(ColumnType.DOUBLE);
            assertThat(v.runId()).isEqualTo(run.runId());
            assertThat(registry.verifyAuditLog().intact()).isTrue();
            assertThat(registry.auditLog()).extracting(AuditEntry::action)
                    .containsExactly("create_model", "create_version", "set_alias");
        }
    }
}
