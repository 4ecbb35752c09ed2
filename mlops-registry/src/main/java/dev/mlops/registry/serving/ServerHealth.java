package dev.mlops.registry.serving;

import java.util.Objects;

/**
 * Health of a {@link ModelServer}.
 *
 * @param ready      true exactly when the primary slot has a loaded version (a challenger never decides readiness)
 * @param primary    the primary slot
 * @param challenger the challenger slot, or {@code null} when none is configured
 */
public record ServerHealth(boolean ready, SlotStatus primary, SlotStatus challenger) {
    public ServerHealth {
        Objects.requireNonNull(primary, "primary");
    }
}
