package dev.mlops.features.internal;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.features.MaterializationInProgressException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The one-materializer-per-store lock: an OS file lock on {@code <home>/materialize.lock}, held for one
 * materialization and released by the OS if the process dies. The holder writes who it is into the file, so a
 * refused process can say who holds it.
 */
public final class MaterializationLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private MaterializationLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting.
     *
     * @throws MaterializationInProgressException if another process, or another store object in this JVM, holds it
     */
    public static MaterializationLock acquire(Path home, Instant now) {
        Path file = home.resolve("materialize.lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            boolean thisJvm = false;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
                thisJvm = true;
            }
            if (l == null) {
                String holder = holder(ch);
                ch.close();
                throw new MaterializationInProgressException(file, thisJvm
                        ? "another FeatureStore object in this JVM (" + holder + ")" : holder);
            }
            byte[] me = ("process " + ProcessHandle.current().pid() + " (since " + now + ")")
                    .getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(me), 0);
            return new MaterializationLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new ResourceUnavailableException(file.toString(), "cannot open the materialization lock: "
                    + e.getMessage(), e);
        }
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        int n = ch.read(b, 0);
        String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "another process" : s;
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // closing the channel below releases the lock anyway
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release: the OS drops the lock with the descriptor
            }
        }
    }
}
