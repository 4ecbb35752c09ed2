package dev.mlops.features;

import java.util.List;
import java.util.Objects;

/**
 * A named, versioned selection of features that a model version pins. A version, once applied, is
 * immutable: a different selection is a new version.
 *
 * @param name     the service name
 * @param version  the version, >= 1
 * @param features feature references {@code "view:feature"}, in output order
 */
public record FeatureService(String name, int version, List<String> features) {

    public FeatureService {
        Names.check("feature service name", name);
        if (version < 1) {
            throw new IllegalArgumentException("version of feature service '" + name + "' must be >= 1, got " + version);
        }
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("feature service '" + name + "' selects no feature");
        }
        for (String f : features) {
            FeatureRef.parse(Objects.requireNonNull(f, "feature"));
        }
        if (features.stream().distinct().count() != features.size()) {
            throw new IllegalArgumentException("feature service '" + name + "' selects a feature twice: " + features);
        }
    }

    public static FeatureService of(String name, int version, String... features) {
        return new FeatureService(name, version, List.of(features));
    }
}
