package dev.mlops.drift;

import java.util.Collection;
import java.util.Map;

/**
 * Ground truth that arrives after the predictions (a label, a measured value), looked up by the request id the
 * prediction was logged with. {@link DriftMonitor} asks it for the records of each window; ids without a known
 * truth yet are simply absent from the answer. Implementations typically query the host's label store.
 */
@FunctionalInterface
public interface GroundTruth {

    /** The known truths of {@code requestIds} for {@code model}: id to value (0/1 for classification metrics). */
    Map<String, Double> truths(String model, Collection<String> requestIds);
}
