package dev.mlops.registry;

import dev.mlops.core.table.Table;
import java.util.List;
import java.util.Map;

/**
 * A loaded model version, from {@link ModelRegistry#load(String)}. Inputs are checked against the version's
 * signature before the model sees them: a missing feature, a value of the wrong type, a null in a non-nullable
 * column, or a NaN/infinite number is an {@link IllegalArgumentException} naming the row, the feature, the value
 * and what was expected. Columns not in the signature are
 * ignored. Thread-safe.
 */
public interface Predictor {

    /** The version this predictor serves. */
    ModelVersion version();

    /** The input schema and output type. */
    ModelSignature signature();

    /** Predicts one row given as feature name to value (numbers or booleans). */
    Prediction predict(Map<String, ?> features);

    /** Predicts every row of a table, in order. */
    List<Prediction> predict(Table rows);
}
