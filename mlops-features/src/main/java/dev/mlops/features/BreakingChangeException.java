package dev.mlops.features;

import dev.mlops.core.NonRetriableException;
import java.util.List;

/** Applying definitions was refused because it would break a feature service in use; nothing was written. */
public class BreakingChangeException extends NonRetriableException {

    private final List<String> reasons;

    public BreakingChangeException(List<String> reasons) {
        super("apply refused, it would break feature services in use: " + String.join("; ", reasons)
                + ". Fix: keep those features (and their types), or publish a new service version, move the "
                + "models to it and unpin the old one");
        this.reasons = List.copyOf(reasons);
    }

    /** One line per broken service and feature. */
    public List<String> reasons() {
        return reasons;
    }
}
