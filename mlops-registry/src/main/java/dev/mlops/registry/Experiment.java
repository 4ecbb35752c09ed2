package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A named group of runs. Created on first use by {@link ModelRegistry#startRun(String, String)}.
 *
 * @param id      the store-assigned id (decimal digits), stable for the life of the registry
 * @param name    the unique name
 * @param created when it was created, from the registry's clock
 */
public record Experiment(String id, String name, Instant created) {
    public Experiment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
