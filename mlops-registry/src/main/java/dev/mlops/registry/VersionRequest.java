package dev.mlops.registry;

import dev.mlops.core.spi.TrackedRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ModelRegistry#createVersion(VersionRequest)} registers: a run's artifact (file or directory) under
 * a model name, with its flavor, signature, input example, description and tags.
 */
public final class VersionRequest {

    private final String model;
    private final String runId;
    private final String artifactPath;
    private final String flavor;
    private final ModelSignature signature;
    private final List<Map<String, Object>> inputExample;
    private final String description;
    private final Map<String, String> tags;
    private final String reason;

    private VersionRequest(Builder b) {
        this.model = b.model;
        this.runId = b.runId;
        this.artifactPath = b.artifactPath;
        this.flavor = b.flavor;
        this.signature = b.signature;
        this.inputExample = List.copyOf(b.inputExample);
        this.description = b.description;
        this.tags = Map.copyOf(b.tags);
        this.reason = b.reason;
    }

    /**
     * @param model        the registered model's name (created if missing)
     * @param runId        the run holding the artifact
     * @param artifactPath the artifact file or directory in that run
     */
    public static Builder builder(String model, String runId, String artifactPath) {
        return new Builder(model, runId, artifactPath);
    }

    public String model() {
        return model;
    }

    public String runId() {
        return runId;
    }

    public String artifactPath() {
        return artifactPath;
    }

    public String flavor() {
        return flavor;
    }

    public ModelSignature signature() {
        return signature;
    }

    public List<Map<String, Object>> inputExample() {
        return inputExample;
    }

    public String description() {
        return description;
    }

    public Map<String, String> tags() {
        return tags;
    }

    public String reason() {
        return reason;
    }

    /** Builds a {@link VersionRequest}. */
    public static final class Builder {
        private final String model;
        private final String runId;
        private final String artifactPath;
        private String flavor = "files";
        private ModelSignature signature;
        private List<Map<String, Object>> inputExample = List.of();
        private String description = "";
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String reason = "";

        private Builder(String model, String runId, String artifactPath) {
            this.model = ModelNames.check(model);
            this.runId = Objects.requireNonNull(runId, "runId");
            this.artifactPath = TrackedRun.checkArtifactPath(artifactPath);
        }

        /** The flavor that loads it, e.g. {@code "tribuo"}; default {@code "files"} (not loadable). */
        public Builder flavor(String flavor) {
            this.flavor = TrackedRun.checkKey(flavor);
            return this;
        }

        public Builder signature(ModelSignature signature) {
            this.signature = Objects.requireNonNull(signature, "signature");
            return this;
        }

        /** Example input rows, column name to value (numbers, strings, booleans). */
        public Builder inputExample(List<Map<String, Object>> rows) {
            this.inputExample = List.copyOf(rows);
            return this;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(TrackedRun.checkKey(key), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Why it is registered; goes to the audit log. */
        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        public VersionRequest build() {
            return new VersionRequest(this);
        }
    }
}
