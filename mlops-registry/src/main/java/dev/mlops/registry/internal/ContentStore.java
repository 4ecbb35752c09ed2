package dev.mlops.registry.internal;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * A content-addressed blob store: each file is stored once under {@code sha256/<2 hex>/<64 hex>}, written to a
 * temporary file, fsynced and atomically renamed, and verified against its name on every read. Blob paths are
 * built only from a {@link Fingerprint}'s hex digits, never from user input, so no name can escape the store.
 */
public final class ContentStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;

    /** Opens (creating if needed) the store in {@code root}. */
    public ContentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(root.resolve("sha256"));
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new ResourceUnavailableException(root.toString(), "cannot create the artifact store (" + e + ")", e);
        }
    }

    /** The blob file for {@code sha256}. */
    Path blob(Fingerprint sha256) {
        String hex = sha256.hex();
        return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** A stored blob: its digest and size. */
    public record Blob(Fingerprint sha256, long size) {
    }

    /** Copies {@code file} into the store (durably) and returns its digest and size. */
    public Blob put(Path file) {
        Path temp = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            MessageDigest md = sha256();
            long size = 0;
            try (InputStream in = Files.newInputStream(file);
                 FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                byte[] buf = new byte[BUFFER];
                int r;
                while ((r = in.read(buf)) > 0) {
                    md.update(buf, 0, r);
                    out.write(buf, 0, r);
                    size += r;
                }
                out.flush();
                ch.force(true);
            }
            Fingerprint fp = Fingerprint.parse(Fingerprint.PREFIX + java.util.HexFormat.of().formatHex(md.digest()));
            Path target = blob(fp);
            Files.createDirectories(target.getParent());
            if (Files.exists(target) && Files.size(target) == size) {
                Files.delete(temp);
            } else {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                fsyncDirectory(target.getParent());
            }
            return new Blob(fp, size);
        } catch (NoSuchFileException e) {
            deleteQuietly(temp);
            throw new IllegalArgumentException("artifact file '" + file + "' does not exist", e);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ResourceUnavailableException(file.toString(), "copying it into the artifact store failed ("
                    + e + ")", e);
        }
    }

    /**
     * Reads a blob and checks its size and digest.
     *
     * @throws StoreCorruptedException if it is missing, truncated or altered
     */
    public byte[] read(Fingerprint sha256, long size) {
        Path file = blob(sha256);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StoreCorruptedException(file, "the artifact blob " + sha256 + " is missing",
                    "restore the artifacts directory from a backup, or log the artifact again", e);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "reading it failed (" + e + ")", e);
        }
        Fingerprint actual = Fingerprint.of(bytes);
        if (bytes.length != size || !actual.equals(sha256)) {
            throw new StoreCorruptedException(file, "artifact content does not match its name (expected " + sha256
                    + " and " + size + " bytes, found " + actual + " and " + bytes.length + " bytes)",
                    "restore the file from a backup, or log the artifact again");
        }
        return bytes;
    }

    /**
     * Copies a blob to {@code target} through a temporary file in the same directory, verifying it; the
     * target appears only if the content is intact.
     */
    public void copyTo(Fingerprint sha256, long size, Path target) {
        Path file = blob(sha256);
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            Files.createDirectories(target.getParent());
            MessageDigest md = sha256();
            long n;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
                n = Files.copy(in, temp);
            }
            Fingerprint actual = Fingerprint.parse(Fingerprint.PREFIX + java.util.HexFormat.of().formatHex(md.digest()));
            if (n != size || !actual.equals(sha256)) {
                Files.delete(temp);
                throw new StoreCorruptedException(file, "artifact content does not match its name (expected " + sha256
                        + " and " + size + " bytes, found " + actual + " and " + n + " bytes)",
                        "restore the file from a backup, or log the artifact again");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (NoSuchFileException e) {
            deleteQuietly(temp);
            throw new StoreCorruptedException(file, "the artifact blob " + sha256 + " is missing",
                    "restore the artifacts directory from a backup, or log the artifact again", e);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot download to '" + target + "': a temporary file exists", e);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ResourceUnavailableException(target.toString(), "writing the artifact failed (" + e + ")", e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename itself is still atomic.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort cleanup of a temporary file; the original failure is what gets reported
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
