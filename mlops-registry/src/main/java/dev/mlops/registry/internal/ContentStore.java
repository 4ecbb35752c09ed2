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
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A content-addressed blob store: each file is stored once under {@code sha256/<2 hex>/<64 hex>}, written to a
 * temporary file, fsynced and atomically renamed, and verified against its name on every read. Blob paths are
 * built only from a {@link Fingerprint}'s hex digits, never from user input, so no name can escape the store.
 *
 * <p><b>Garbage collection and concurrent writers.</b> A writer stores a blob first and references it in the
 * database afterwards, so a blob can be unreferenced for a moment. The rule that keeps {@link #collect} from ever
 * deleting a blob a writer is about to reference: every {@link #put} sets the blob's modification time to the
 * clock's now, also when the blob already existed; the collector only considers blobs older than its grace period
 * (far longer than a put-then-commit), moves a candidate to {@code tmp/<hex>.gc} before deleting it and checks its
 * time again after the move: a blob touched in between is moved back. A put that finds the blob gone while touching
 * it writes it again. A crash of the collector between the move and the delete leaves {@code tmp/<hex>.gc}, which
 * {@link #read} and the next collection move back when the blob is missing.
 */
public final class ContentStore {

    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path tmp;
    private final Clock clock;

    /** Opens (creating if needed) the store in {@code root}; blob times come from {@code clock}. */
    public ContentStore(Path root, Clock clock) {
        this.clock = clock;
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
            FileTime now = FileTime.from(Instant.ofEpochMilli(clock.millis()));
            if (touch(target, size, now)) {
                Files.delete(temp);
            } else {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setLastModifiedTime(target, now);
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

    /** Refreshes an existing intact-sized blob's time; {@code false} if it is missing (or being collected). */
    private static boolean touch(Path blob, long size, FileTime now) throws IOException {
        try {
            if (Files.size(blob) != size) {
                return false;
            }
            Files.setLastModifiedTime(blob, now);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** What {@link #collect} did. */
    public record Collected(int deleted, long bytesFreed, int kept, int tooYoung) {
    }

    /**
     * Deletes the blobs whose hex digest is not in {@code referenced} and that were last put before
     * {@code olderThan}, and temporary files of crashed writers older than that. See the class comment for why a
     * concurrent writer never loses a blob.
     *
     * @param referenced a function telling whether a digest (64 hex digits) is referenced; called after the
     *                   candidates were listed, so a reference committed before the call is seen
     */
    public Collected collect(java.util.function.Supplier<Set<String>> referenced, Instant olderThan) {
        FileTime cutoff = FileTime.from(olderThan);
        List<Path> candidates = new ArrayList<>();
        int kept = 0;
        int young = 0;
        try {
            recoverTrash(null);
            try (Stream<Path> files = Files.walk(root.resolve("sha256"), 2)) {
                for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                        candidates.add(p);
                    } else {
                        young++;
                    }
                }
            }
            Set<String> refs = referenced.get();
            int deleted = 0;
            long freed = 0;
            for (Path blob : candidates) {
                String hex = blob.getFileName().toString();
                if (refs.contains(hex)) {
                    kept++;
                    continue;
                }
                Path trash = tmp.resolve(hex + ".gc");
                try {
                    Files.move(blob, trash, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (Files.getLastModifiedTime(trash).compareTo(cutoff) >= 0) {
                    restore(trash, blob); // a writer put it again between the listing and the move
                    young++;
                    continue;
                }
                long size = Files.size(trash);
                Files.delete(trash);
                deleted++;
                freed += size;
            }
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".part"))::iterator) {
                    if (Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                        Files.deleteIfExists(p);
                    }
                }
            }
            fsyncDirectory(tmp);
            return new Collected(deleted, freed, kept, young);
        } catch (IOException e) {
            throw new ResourceUnavailableException(root.toString(), "collecting unreferenced artifact blobs failed ("
                    + e + "); nothing referenced was deleted. Retry", e);
        }
    }

    /** Moves {@code tmp/<hex>.gc} files back to their blob path when it is missing (all, or only {@code hex}). */
    private void recoverTrash(String hex) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".gc"))::iterator) {
                String name = p.getFileName().toString();
                String h = name.substring(0, name.length() - 3);
                if ((hex == null || hex.equals(h)) && h.matches("[0-9a-f]{64}")) {
                    restore(p, root.resolve("sha256").resolve(h.substring(0, 2)).resolve(h));
                }
            }
        }
    }

    private static void restore(Path trash, Path blob) throws IOException {
        try {
            Files.move(trash, blob, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(trash); // a writer wrote the blob again meanwhile
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
            if (!Files.exists(file)) {
                recoverTrash(sha256.hex()); // a collector crashed or is deciding about it
            }
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
            if (!Files.exists(file)) {
                recoverTrash(sha256.hex()); // a collector crashed or is deciding about it
            }
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
