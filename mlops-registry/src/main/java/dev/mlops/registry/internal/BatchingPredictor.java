package dev.mlops.registry.internal;

import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import java.util.List;
import java.util.Map;

/**
 * A {@link Predictor} whose model answers many rows in one call much faster than one call per row (ONNX), so the
 * server gathers concurrent single-row requests. Validation happens on the caller's thread, before batching.
 */
public interface BatchingPredictor extends Predictor {

    /** Validates one row against the signature and returns its features in the model's input order. */
    double[] inputs(Map<String, ?> features);

    /** Predicts validated rows (from {@link #inputs}) in one model call, in order. */
    List<Prediction> predictInputs(List<double[]> rows);
}
