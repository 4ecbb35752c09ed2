package dev.mlops.registry.serving;

import dev.mlops.registry.Prediction;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of a {@link ModelServer}: the prediction and exactly which model version produced it.
 *
 * @param model        the registered model's name
 * @param version      the version that answered
 * @param role         whether the primary (champion) or the challenger answered
 * @param prediction   the prediction
 * @param latencyNanos time spent in the server for this row: routing, validation and the model call (not logging),
 *                     {@code >= 0}; the same figure goes to the prediction record and the latency timer
 */
public record ServedPrediction(String model, int version, Role role, Prediction prediction, long latencyNanos) {

    /** Which of the server's two slots answered. */
    public enum Role {
        /** The model the server's main URI names (usually {@code @champion}). */
        PRIMARY,
        /** The challenger, when a traffic split sent the request there. */
        CHALLENGER
    }

    public ServedPrediction {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(prediction, "prediction");
    }

    /** The predicted label or regression value. */
    public Object value() {
        return prediction.value();
    }

    /** The value as a label. */
    public String label() {
        return prediction.label();
    }

    /** Per-class scores, empty for regression. */
    public Map<String, Double> scores() {
        return prediction.scores();
    }

    /** The URI {@code models:/<model>/<version>} of the version that answered. */
    public String versionUri() {
        return "models:/" + model + "/" + version;
    }
}
