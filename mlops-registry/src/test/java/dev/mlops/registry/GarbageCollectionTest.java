package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelRegistry#collectGarbage}: what is deleted, what is kept. */
class GarbageCollectionTest {

    @TempDir
    Path home;
    @TempDir
    Path src;

    /** The blob path of {@code content}, its digest computed here with the JDK's SHA-256. */
    private Path blob(String content) throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(content.getBytes(StandardCharsets.UTF_8)));
        return home.resolve("artifacts/sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    private Path file(String dir, String name, String content) throws Exception {
        Path d = Files.createDirectories(src.resolve(dir));
        return Files.writeString(d.resolve(name), content);
    }

    @Test
    void unreferencedBlobsOlderThanTheGraceGoReferencedAndYoungOnesStay() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
        try (ModelRegistry registry = ModelRegistry.builder().home(home).clock(clock).build()) {
            String runId;
            try (RegistryRun run = registry.startRun("gc", "r")) {
                runId = run.runId();
                run.logArtifact(file("a", "w.bin", "weights one"), "model");
                registry.createVersion(VersionRequest.builder("m", runId, "model").build()); // pins "weights one"
                run.logArtifact(file("b", "w.bin", "weights two"), "model"); // the run now points at "weights two"
                run.logArtifact(file("c", "o.bin", "other three"), "x");
                run.logArtifact(file("d", "o.bin", "other four!"), "x"); // "other three": nobody references it
            }
            // a writer killed after storing a blob, before recording it
            Path orphan = blob("orphan blob");
            Files.createDirectories(orphan.getParent());
            Files.writeString(orphan, "orphan blob");
            Files.setLastModifiedTime(orphan, java.nio.file.attribute.FileTime.from(clock.instant()));
            Path part = Files.writeString(home.resolve("artifacts/tmp/dead.part"), "half");
            Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.from(clock.instant()));

            assertThat(registry.collectGarbage(Duration.ofHours(1)))
                    .as("everything is younger than the grace period")
                    .isEqualTo(new GarbageCollection(0, 0, 0, 5));

            clock.advanceMillis(Duration.ofHours(2).toMillis());
            // a writer stores "weights two" again now (deduplicated): its time is refreshed
            try (RegistryRun again = registry.startRun("gc", "again")) {
                again.logArtifact(file("e", "w.bin", "weights two"), "model");
            }
            GarbageCollection gc = registry.collectGarbage(Duration.ofHours(1));
            // deleted: "other three" (11 bytes) and the orphan (11 bytes); kept: "weights one" (version 1) and
            // "other four!" (the run), old but referenced; "weights two" was just stored again
            assertThat(gc).isEqualTo(new GarbageCollection(2, 22, 2, 1));
            assertThat(blob("other three")).doesNotExist();
            assertThat(orphan).doesNotExist();
            assertThat(part).doesNotExist();
            assertThat(blob("weights one")).exists();
            assertThat(new String(registry.readArtifact(runId, "model/w.bin"), StandardCharsets.UTF_8))
                    .isEqualTo("weights two");
            assertThat(new String(registry.readArtifact(runId, "x/o.bin"), StandardCharsets.UTF_8))
                    .isEqualTo("other four!");

            // once the version is deleted, its pinned file goes too
            registry.deleteVersion("m", 1, "superseded");
            clock.advanceMillis(Duration.ofHours(2).toMillis());
            assertThat(registry.collectGarbage(Duration.ofHours(1)).deletedBlobs()).isEqualTo(1);
            assertThat(blob("weights one")).doesNotExist();
            assertThat(blob("weights two")).exists();
        }
    }

    @Test
    void aGraceUnderOneMinuteIsRefused() {
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            assertThatThrownBy(() -> registry.collectGarbage(Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT5S")
                    .hasMessageContaining("at least 1 minute");
        }
    }
}
