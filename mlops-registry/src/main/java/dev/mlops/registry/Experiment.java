package dev.mlops.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A named group of runs. Created on first use by {@link ModelRegistry#startRun(String, String)}.
 *
 * @param id      the store-assigned id (decimal digits), stable for the life of the registry
 * @param name    the unique name
 * @param created when it was created, from the registry's clock
 * @param deleted whether it is deleted ({@link ModelRegistry#deleteExperiment}): its runs are hidden from searches
 *                and no run can start in it until it is restored
 */
public record Experiment(String id, String name, Instant created, boolean deleted) {

    /** An active (not deleted) experiment. */
    public Experiment(String id, String name, Instant created) {
        this(id, name, created, false);
    }

    public Experiment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(created, "created");
    }
}
