package dev.mlops.core;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A persisted store or file failed its integrity check (checksum, magic number, truncated record). Nothing
 * was read from it; the message names the file, what is wrong and how to recover:
 *
 * <pre>store 'registry/models.db' is corrupted: checksum mismatch in block 7 (expected sha256:ab12.., found
 * sha256:9f3c..). Fix: restore the file from a backup or delete it to rebuild the store</pre>
 */
public class StoreCorruptedException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String problem;
    private final String fix;

    /**
     * @param path    the corrupted file or store directory
     * @param problem what check failed, with the expected and found values
     * @param fix     how to recover, e.g. restore from backup
     */
    public StoreCorruptedException(Path path, String problem, String fix) {
        this(path, problem, fix, null);
    }

    /** As {@link #StoreCorruptedException(Path, String, String)}, with the underlying failure. */
    public StoreCorruptedException(Path path, String problem, String fix, Throwable cause) {
        super("store '" + Objects.requireNonNull(path, "path") + "' is corrupted: "
                + Objects.requireNonNull(problem, "problem") + ". Fix: " + Objects.requireNonNull(fix, "fix"),
                cause);
        this.path = path.toString();
        this.problem = problem;
        this.fix = fix;
    }

    /** The corrupted file or store directory, as given. */
    public String path() {
        return path;
    }

    /** What check failed. */
    public String problem() {
        return problem;
    }

    /** How to recover. */
    public String fix() {
        return fix;
    }
}
