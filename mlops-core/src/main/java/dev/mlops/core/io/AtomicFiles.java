package dev.mlops.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe file replacement: the content is written to a temporary file in the target's directory,
 * forced to disk, renamed over the target with {@code ATOMIC_MOVE}, and the directory entry is forced
 * too. A reader sees the old file or the new one, never half of either; a process killed at any
 * instant leaves the old file (and at worst a hidden {@code .<name>.<random>.tmp} file, which a later
 * write does not reuse); once {@link #write} returns, the new file survives a power cut.
 *
 * <p>Every store in the SDK writes its files through this class.
 */
public final class AtomicFiles {

    /** Writes the content of a file; may throw any {@link IOException} or unchecked exception. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code content} writes. If {@code content} or the I/O
     * fails, the target is untouched, the temporary file is deleted and the exception propagates.
     *
     * @throws IOException if writing, syncing or renaming fails
     */
    public static void write(Path target, Content content) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path tmp = target.resolveSibling("." + target.getFileName() + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Replaces {@code target} with {@code bytes}; see {@link #write(Path, Content)}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Forces a directory's entries (a rename, a new file) to disk. A no-op where the platform cannot
     * open a directory for syncing (Windows).
     */
    public static void syncDirectory(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
            // Not supported for directories on this platform: the rename is still atomic.
        }
    }
}
