package dev.mlops.features;

import java.util.List;

/**
 * The features of one entity read online, in the order requested.
 *
 * @param entityKey the key as given
 * @param values    one per requested feature
 */
public record OnlineResponse(Object entityKey, List<FeatureValue> values) {

    /** The value of {@code feature} ({@code view:feature}). */
    public FeatureValue get(String feature) {
        for (FeatureValue v : values) {
            if (v.feature().equals(feature)) {
                return v;
            }
        }
        throw new IllegalArgumentException("feature '" + feature + "' was not requested; requested: "
                + values.stream().map(FeatureValue::feature).toList());
    }
}
