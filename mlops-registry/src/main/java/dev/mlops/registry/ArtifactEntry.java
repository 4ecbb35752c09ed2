package dev.mlops.registry;

import dev.mlops.core.Fingerprint;
import java.util.Objects;

/**
 * One file among a run's artifacts.
 *
 * @param path   the {@code /}-separated path under the run's artifact root
 * @param sha256 the content digest; the file is stored under this name and verified against it on read
 * @param size   the size in bytes
 */
public record ArtifactEntry(String path, Fingerprint sha256, long size) {
    public ArtifactEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("artifact size must be >= 0, but was " + size);
        }
    }
}
