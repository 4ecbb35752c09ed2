package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.StoreCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactTest {

    @TempDir
    Path home;
    @TempDir
    Path work;
    ModelRegistry registry;
    RegistryRun run;

    @BeforeEach
    void open() {
        registry = ModelRegistry.open(home);
        run = registry.startRun("exp", null);
    }

    @AfterEach
    void close() {
        run.close();
        registry.close();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void filesAreStoredUnderTheirSha256AndReadBack() throws Exception {
        byte[] content = "hello model".getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(work.resolve("weights.bin"), content);
        run.logArtifact(f, "model");
        ArtifactEntry e = registry.artifacts(run.runId()).get(0);
        assertThat(e.path()).isEqualTo("model/weights.bin");
        assertThat(e.size()).isEqualTo(content.length);
        String hex = sha256(content); // independent digest via the JDK
        assertThat(e.sha256().hex()).isEqualTo(hex);
        assertThat(home.resolve("artifacts/sha256/" + hex.substring(0, 2) + "/" + hex)).hasBinaryContent(content);
        assertThat(registry.readArtifact(run.runId(), "model/weights.bin")).isEqualTo(content);
    }

    @Test
    void directoriesAreCopiedRecursivelyAndDownloaded() throws Exception {
        Path dir = Files.createDirectories(work.resolve("out/sub"));
        Files.writeString(work.resolve("out/a.txt"), "A");
        Files.writeString(dir.resolve("b.txt"), "B");
        run.logArtifact(work.resolve("out"), "");
        assertThat(registry.artifacts(run.runId())).extracting(ArtifactEntry::path).containsExactly("a.txt", "sub/b.txt");
        Path copy = registry.downloadArtifacts(run.runId(), "sub", work.resolve("dl"));
        assertThat(copy.resolve("b.txt")).hasContent("B");
        Path all = registry.downloadArtifacts(run.runId(), "", work.resolve("all"));
        assertThat(all.resolve("a.txt")).hasContent("A");
        assertThat(all.resolve("sub/b.txt")).hasContent("B");
    }

    @Test
    void identicalContentIsStoredOnce() throws Exception {
        Files.writeString(work.resolve("x"), "same");
        Files.writeString(work.resolve("y"), "same");
        run.logArtifact(work.resolve("x"), "");
        run.logArtifact(work.resolve("y"), "");
        try (var s = Files.walk(home.resolve("artifacts/sha256"))) {
            assertThat(s.filter(Files::isRegularFile).count()).isEqualTo(1);
        }
    }

    @Test
    void alteredOrTruncatedBlobsAreDetectedOnRead() throws Exception {
        Path f = Files.writeString(work.resolve("m.bin"), "0123456789");
        run.logArtifact(f, "");
        ArtifactEntry e = registry.artifacts(run.runId()).get(0);
        Path blob = home.resolve("artifacts/sha256/" + e.sha256().hex().substring(0, 2) + "/" + e.sha256().hex());
        Files.writeString(blob, "0123456780"); // same size, one byte altered
        assertThatThrownBy(() -> registry.readArtifact(run.runId(), "m.bin"))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining(e.sha256().toString());
        Files.writeString(blob, "01234"); // truncated
        assertThatThrownBy(() -> registry.readArtifact(run.runId(), "m.bin")).isInstanceOf(StoreCorruptedException.class);
        assertThatThrownBy(() -> registry.downloadArtifacts(run.runId(), "m.bin", work.resolve("dl")))
                .isInstanceOf(StoreCorruptedException.class);
        assertThat(work.resolve("dl/m.bin")).doesNotExist();
        Files.delete(blob);
        assertThatThrownBy(() -> registry.readArtifact(run.runId(), "m.bin")).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../escape", "/etc", "a/../../b", "a/./b", "a//b", "..", "C:/x", "a\\..\\b"})
    void artifactPathsThatCouldEscapeAreRefused(String path) throws Exception {
        Path f = Files.writeString(work.resolve("f"), "x");
        assertThatThrownBy(() -> run.logArtifact(f, path)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.readArtifact(run.runId(), path)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.downloadArtifacts(run.runId(), path, work.resolve("d")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.artifacts(run.runId())).isEmpty();
    }

    @Test
    void symbolicLinksAreNotFollowed() throws Exception {
        Path secret = Files.writeString(work.resolve("secret.txt"), "secret");
        Path dir = Files.createDirectories(work.resolve("tree"));
        Files.writeString(dir.resolve("ok.txt"), "ok");
        Files.createSymbolicLink(dir.resolve("link.txt"), secret);
        assertThatThrownBy(() -> run.logArtifact(dir, "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("link.txt");
        assertThatThrownBy(() -> run.logArtifact(dir.resolve("link.txt"), "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(registry.artifacts(run.runId())).isEmpty();
    }

    @Test
    void aTamperedEntryCannotWriteOutsideTheDownloadDirectory() throws Exception {
        Path f = Files.writeString(work.resolve("f"), "x");
        run.logArtifact(f, "dir");
        // Edit the database behind the registry's back: an entry whose path climbs out.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db"));
             PreparedStatement ps = c.prepareStatement("UPDATE artifacts SET path = 'dir/../../../evil'")) {
            ps.executeUpdate();
        }
        assertThatThrownBy(() -> registry.downloadArtifacts(run.runId(), "dir", work.resolve("dl")))
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("outside");
        assertThat(work.resolve("evil")).doesNotExist();
        assertThat(work.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void unknownArtifactListsWhatExists() throws Exception {
        run.logArtifact(Files.writeString(work.resolve("model.bin"), "m"), "");
        assertThatThrownBy(() -> registry.readArtifact(run.runId(), "modle.bin")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("did you mean 'model.bin'");
    }
}
