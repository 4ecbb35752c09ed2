package dev.mlops.registry.serving;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one served URI (the primary or the challenger).
 *
 * @param uri         the URI followed, e.g. {@code models:/breast-cancer@champion}
 * @param version     the version loaded and answering, or {@code null} before the first successful load
 * @param loadedAt    when that version was loaded (server clock), or {@code null}
 * @param lastFailure the latest failed load since the last successful one, or {@code null}
 */
public record SlotStatus(String uri, Integer version, Instant loadedAt, LoadFailure lastFailure) {
    public SlotStatus {
        Objects.requireNonNull(uri, "uri");
    }

    /** True when a version is loaded. */
    public boolean loaded() {
        return version != null;
    }
}
