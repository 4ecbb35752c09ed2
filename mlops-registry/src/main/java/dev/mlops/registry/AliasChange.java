package dev.mlops.registry;

import java.time.Instant;

/**
 * One move of an alias, from the alias history.
 *
 * @param model       the model
 * @param alias       the alias
 * @param fromVersion the version that held it before, or {@code null}
 * @param toVersion   the version that holds it after, or {@code null} when it was removed
 * @param at          when
 * @param principal   who, as supplied by the host
 * @param reason      why, as given
 */
public record AliasChange(String model, String alias, Integer fromVersion, Integer toVersion, Instant at,
                          String principal, String reason) {
}
