package dev.mlops.registry;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One prediction of a {@link Predictor}.
 *
 * @param value  the predicted class label ({@link String}) or regression value ({@link Double})
 * @param scores per-class scores (probabilities when the model produces them), empty for regression
 */
public record Prediction(Object value, Map<String, Double> scores) {
    public Prediction {
        Objects.requireNonNull(value, "value");
        scores = Collections.unmodifiableMap(new TreeMap<>(scores));
    }

    /** The value as a label. */
    public String label() {
        return String.valueOf(value);
    }

    /** The score of one class, NaN if the model gave none. */
    public double score(String label) {
        return scores.getOrDefault(label, Double.NaN);
    }
}
