package dev.mlops.registry.internal;

import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;

/**
 * A {@link Predictor} that also takes a row already validated against its signature (by {@link SignatureInputs} or
 * the server's input check) as numbers in signature order, so the serving hot path validates once and builds no map.
 */
public interface ValidatedPredictor extends Predictor {

    /**
     * Predicts one validated row: {@code values[i]} is signature feature {@code i} (booleans as 1/0), every value
     * finite. Not checked again; the array is not kept.
     */
    Prediction predictValidated(double[] values);
}
