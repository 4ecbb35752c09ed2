package dev.mlops.registry;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes the registry home committed as {@code src/test/resources/fixtures/registry-v1} (schema version 1), which
 * {@link FixtureCompatibilityTest} must keep opening. Run once per storage format:
 * {@code java -cp <test class path> dev.mlops.registry.FixtureWriter <empty dir>}.
 */
public final class FixtureWriter {

    private FixtureWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T03:00:00Z"));
        try (ModelRegistry registry = ModelRegistry.builder().home(home).clock(clock).principal(() -> "fixture")
                .sourceDirectory(home).build()) {
            String runId;
            try (RegistryRun run = registry.startRun("fixture-exp", "fixture-run")) {
                run.logParam("lr", "0.1");
                run.logMetric("loss", 0.5, 0);
                clock.advanceMillis(1000);
                run.logMetric("loss", 0.25, 1);
                run.logMetric("accuracy", 0.97);
                run.setTag("team", "ml");
                run.logDataset("eval", Fingerprint.of("eval-data"));
                Path f = Files.writeString(Files.createTempDirectory("fixture").resolve("weights.bin"), "weights-v1");
                run.logArtifact(f, "model");
                runId = run.runId();
            }
            registry.createVersion(VersionRequest.builder("fixture-model", runId, "model")
                    .signature(new ModelSignature(Schema.of(Field.of("x", ColumnType.DOUBLE)), ColumnType.DOUBLE))
                    .inputExample(List.of(Map.of("x", 1.5))).reason("fixture").build());
            registry.setAlias("fixture-model", "champion", 1, "fixture");
            System.out.println(runId);
        }
    }
}
