package dev.mlops.registry.serving;

import java.util.Objects;

/**
 * The challenger's answer to a request served by the primary in shadow mode; it was logged, never returned.
 *
 * @param requestKey     the caller's key, or {@code null}
 * @param primaryVersion the version that answered the caller
 * @param shadowVersion  the challenger version that saw the same inputs
 * @param primaryValue   the returned value
 * @param shadowValue    the challenger's value
 * @param agree          labels equal, or regression values within the configured tolerance
 */
public record ShadowComparison(String requestKey, int primaryVersion, int shadowVersion, Object primaryValue,
                               Object shadowValue, boolean agree) {
    public ShadowComparison {
        Objects.requireNonNull(primaryValue, "primaryValue");
        Objects.requireNonNull(shadowValue, "shadowValue");
    }
}
