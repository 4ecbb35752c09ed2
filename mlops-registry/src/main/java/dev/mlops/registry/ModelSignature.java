package dev.mlops.registry;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import java.util.Objects;

/**
 * What a model takes and returns: its input columns (core {@link Schema}: names, types, nullability) and the type
 * of its output ({@code STRING} for a class label, {@code DOUBLE} for a regression value or a score).
 */
public record ModelSignature(Schema inputs, ColumnType output) {
    public ModelSignature {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(output, "output");
    }
}
