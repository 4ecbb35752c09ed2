package dev.mlops.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A registered model: a name under which versions are created.
 *
 * @param name          the unique name
 * @param description   free text, {@code ""} when unset
 * @param created       when it was registered
 * @param tags          its tags, sorted by key
 * @param aliases       alias to version, sorted by alias
 * @param latestVersion the highest version number, 0 before the first version
 */
public record RegisteredModel(String name, String description, Instant created, Map<String, String> tags,
                              Map<String, Integer> aliases, int latestVersion) {
    public RegisteredModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(created, "created");
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
    }
}
