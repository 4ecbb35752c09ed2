package dev.mlops.registry;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One immutable version of a registered model, created from a run's artifact. Its files are pinned by SHA-256 at
 * creation, so later changes to the run cannot alter it.
 *
 * @param model        the registered model's name
 * @param version      1, 2, 3, ... per model, never reused
 * @param runId        the run it came from (lineage: that run's params, datasets and git commit)
 * @param artifactPath the artifact file or directory of the run it was created from
 * @param flavor       how to load it, e.g. {@code "tribuo"}
 * @param signature    its input schema and output type, or {@code null} when not given
 * @param inputExample example input rows (column name to value), possibly empty
 * @param description  free text, {@code ""} when unset
 * @param created      when it was created
 * @param tags         its tags
 * @param files        the pinned files, paths relative to {@code artifactPath}
 * @param aliases      the aliases it holds now
 * @param stage        the legacy stage view
 */
public record ModelVersion(String model, int version, String runId, String artifactPath, String flavor,
                           ModelSignature signature, List<Map<String, Object>> inputExample, String description,
                           Instant created, Map<String, String> tags, List<ArtifactEntry> files, Set<String> aliases,
                           Stage stage) {
    public ModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(artifactPath, "artifactPath");
        Objects.requireNonNull(flavor, "flavor");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(stage, "stage");
        inputExample = List.copyOf(inputExample);
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
        files = List.copyOf(files);
        aliases = Collections.unmodifiableSet(new TreeSet<>(aliases));
    }

    /** The signature, if one was given. */
    public Optional<ModelSignature> signatureIfAny() {
        return Optional.ofNullable(signature);
    }

    /** The URI {@code models:/<model>/<version>}. */
    public String uri() {
        return "models:/" + model + "/" + version;
    }
}
