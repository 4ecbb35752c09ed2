package dev.mlops.registry.serving;

import java.time.Instant;
import java.util.Objects;

/**
 * A failed attempt to follow an alias: the server kept serving what it had.
 *
 * @param uri     the URI the slot follows, e.g. {@code models:/breast-cancer@champion}
 * @param version the version the alias pointed at, or {@code null} when the alias itself could not be resolved
 * @param at      when, from the server's clock
 * @param message the error's message
 */
public record LoadFailure(String uri, Integer version, Instant at, String message) {
    public LoadFailure {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(message, "message");
    }
}
