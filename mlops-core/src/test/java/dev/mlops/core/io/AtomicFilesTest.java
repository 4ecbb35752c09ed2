package dev.mlops.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @Test
    void write_replacesTheTargetAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "v1".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "v2".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("v2");
        assertThat(list(dir)).containsExactly(f);
    }

    @Test
    void failingContent_leavesTheOldFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write('x');
            throw new IllegalStateException("bug in the writer");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(list(dir)).containsExactly(f);
    }

    @Test
    void missingDirectory_fails(@TempDir Path dir) {
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("no/such/dir/f"), new byte[] {1}))
                .isInstanceOf(IOException.class);
    }

    private static java.util.List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
