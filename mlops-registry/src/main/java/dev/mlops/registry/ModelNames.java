package dev.mlops.registry;

import java.util.Objects;

/** Checks model and alias names. */
final class ModelNames {

    private ModelNames() {
    }

    /** Model names: 1 to 200 of letters, digits, {@code _ - .}; the form URIs can carry. */
    static String check(String model) {
        Objects.requireNonNull(model, "model");
        if (!model.matches("[A-Za-z0-9_.\\-]{1,200}")) {
            throw new IllegalArgumentException("model name '" + model + "' must be 1 to 200 letters, digits, '_', '-'"
                    + " or '.'. Fix: e.g. 'breast-cancer-lr'");
        }
        return model;
    }
}
