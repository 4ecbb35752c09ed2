package dev.mlops.features;

import dev.mlops.core.RetriableException;
import java.nio.file.Path;

/**
 * {@link FeatureStore#materialize} or {@link FeatureStore#materializeIncremental} was refused because another
 * process (or another {@link FeatureStore} on the same home in this JVM) is materializing the same store; nothing
 * was written. Retriable: materialization is idempotent, so running it again once the other one finished is safe.
 */
public class MaterializationInProgressException extends RetriableException {

    private final Path lockFile;
    private final String holder;

    public MaterializationInProgressException(Path lockFile, String holder) {
        super("cannot materialize: " + holder + " is materializing the feature store (it holds " + lockFile
                + "); one process materializes a store at a time. Fix: wait for it to finish and run again"
                + " (materialization is idempotent), or materialize from a single process");
        this.lockFile = lockFile;
        this.holder = holder;
    }

    /** The lock file in the store's home. */
    public Path lockFile() {
        return lockFile;
    }

    /** Who holds it, as it recorded itself (process id and start time), e.g. {@code "process 4242 (since ...)"}. */
    public String holder() {
        return holder;
    }
}
