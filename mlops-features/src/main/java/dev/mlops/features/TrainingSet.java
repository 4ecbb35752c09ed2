package dev.mlops.features;

import dev.mlops.core.Fingerprint;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A training set exported by {@link FeatureStore#exportTrainingSet}: where it is and exactly what produced it,
 * so a tracked run can name what it trained on. Also written beside the file as {@code <file>.json}.
 *
 * @param file                 the Parquet (or CSV, by extension) file
 * @param service              the feature service name
 * @param serviceVersion       its version
 * @param features             the features, in column order
 * @param asKnownAt            the retrieval mode
 * @param entityFingerprint    fingerprint of the entity rows
 * @param dataFingerprint      fingerprint of the result table
 * @param rows                 row count
 * @param registryVersion      the registry version the definitions came from
 * @param createdAt            when it was exported (the store's clock)
 */
public record TrainingSet(Path file, String service, int serviceVersion, List<String> features, boolean asKnownAt,
                          Fingerprint entityFingerprint, Fingerprint dataFingerprint, int rows, int registryVersion,
                          Instant createdAt) {
    public TrainingSet {
        features = List.copyOf(features);
    }
}
