package dev.mlops.rag.internal;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.StoreCorruptedException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a RagIndex home: {@code CURRENT} names the generation directory ({@code gen-<n>})
 * holding the Lucene index that serves; it is replaced atomically (write a temporary file, fsync,
 * rename, fsync the directory), which is how a re-embedding migration switches. A home without
 * {@code CURRENT} but with Lucene files in it is an index written before generations existed (it
 * serves from the home itself, generation {@code .}).
 */
final class IndexHome {

    private static final Logger LOG = LoggerFactory.getLogger(IndexHome.class);
    static final String CURRENT = "CURRENT";
    static final String LEGACY = ".";
    private static final Pattern GEN = Pattern.compile("gen-(\\d{1,9})");
    private static final Object JVM_LOCK = new Object();

    private IndexHome() {}

    /** Runs {@code body} holding {@code home/rag.lock} (other processes) and a JVM-wide monitor (this one). */
    static <T> T locked(Path home, java.util.function.Supplier<T> body) {
        synchronized (JVM_LOCK) {
            try (FileChannel ch = FileChannel.open(home.resolve("rag.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                return body.get();
            } catch (IOException e) {
                throw new ResourceUnavailableException(home.toString(), "locking " + home.resolve("rag.lock")
                        + " failed: " + e, e);
            }
        }
    }

    /** The generation named by CURRENT, if the file exists. */
    static Optional<String> readCurrent(Path home) {
        Path f = home.resolve(CURRENT);
        try {
            String name = Files.readString(f, StandardCharsets.UTF_8).strip();
            if (!GEN.matcher(name).matches()) {
                throw new StoreCorruptedException(f, "CURRENT holds '" + name + "', not a generation name gen-<n>",
                        "restore it: it must name the gen-<n> directory of the index (the one with segments_* files)");
            }
            if (!Files.isDirectory(home.resolve(name))) {
                throw new StoreCorruptedException(f, "CURRENT names " + name + ", which does not exist",
                        "restore the directory, or point CURRENT at an existing gen-<n> directory");
            }
            return Optional.of(name);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ResourceUnavailableException(f.toString(), "reading failed: " + e, e);
        }
    }

    /** Atomically makes {@code generation} the one that serves. */
    static void writeCurrent(Path home, String generation) {
        Path tmp = home.resolve(CURRENT + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap((generation + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, home.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ResourceUnavailableException(home.toString(), "the file system cannot rename atomically,"
                        + " which switching index generations needs. Fix: put the index on a local file system", e);
            }
            syncDirectory(home);
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "switching CURRENT to " + generation + " failed: " + e, e);
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("fsync of directory {} not supported: {}", dir, e.toString());
        }
    }

    /** A generation name above every gen-* directory present. */
    static String nextGeneration(Path home) {
        int max = 0;
        for (Path p : list(home)) {
            Matcher m = GEN.matcher(p.getFileName().toString());
            if (m.matches() && Files.isDirectory(p)) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return "gen-" + (max + 1);
    }

    /**
     * Deletes what a crashed migration or a retired generation left behind: every gen-* directory
     * other than {@code keep}, and Lucene files in the home itself when {@code keep} is not the
     * legacy layout; each only if its Lucene write lock can be taken (nobody uses it).
     */
    static void deleteStale(Path home, String keep) {
        for (Path p : list(home)) {
            String name = p.getFileName().toString();
            if (GEN.matcher(name).matches() && Files.isDirectory(p) && !name.equals(keep)) {
                deleteGeneration(home, name);
            }
        }
        if (!keep.equals(LEGACY)) {
            deleteGeneration(home, LEGACY);
        }
        try {
            Files.deleteIfExists(home.resolve(CURRENT + ".tmp"));
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", home.resolve(CURRENT + ".tmp"), e.toString());
        }
    }

    /** Deletes one generation's files if nobody holds its write lock; true when deleted. */
    static boolean deleteGeneration(Path home, String generation) {
        Path dir = generation.equals(LEGACY) ? home : home.resolve(generation);
        List<Path> files = generation.equals(LEGACY) ? luceneFiles(home) : null;
        if (files != null && files.isEmpty()) {
            return false;
        }
        try (Directory d = FSDirectory.open(dir)) {
            try (Lock lock = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
                if (generation.equals(LEGACY)) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                } else {
                    deleteTree(dir, IndexWriter.WRITE_LOCK_NAME);
                }
            }
            if (generation.equals(LEGACY)) {
                Files.deleteIfExists(home.resolve(IndexWriter.WRITE_LOCK_NAME));
            } else {
                deleteTree(dir, null);
            }
            LOG.info("deleted index generation {} of {} (not current)", generation, home);
            return true;
        } catch (LockObtainFailedException e) {
            LOG.info("index generation {} of {} is still open; it is deleted when closed", generation, home);
            return false;
        } catch (IOException e) {
            LOG.warn("could not delete index generation {} of {}: {}", generation, home, e.toString());
            return false;
        }
    }

    /** Lucene's files directly in {@code dir} (segments*, pending_segments*, _*), not the lock. */
    private static List<Path> luceneFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (Files.isRegularFile(p) && (n.startsWith("segments") || n.startsWith("pending_segments") || n.startsWith("_"))) {
                out.add(p);
            }
        }
        return out;
    }

    private static void deleteTree(Path dir, String except) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (except != null && (p.equals(dir) || p.getFileName().toString().equals(except))) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ResourceUnavailableException(dir.toString(), "listing failed: " + e, e);
        }
    }
}
