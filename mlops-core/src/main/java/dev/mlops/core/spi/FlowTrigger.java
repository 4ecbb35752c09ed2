package dev.mlops.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Starts a flow run when an external signal arrives: a drift monitor asking for retraining, a new data
 * file, a webhook. The caller does not know which flow runs; the host wires a trigger made by
 * {@code FlowEngine.trigger(flow, defaults, allowOverlap)} into the component that fires it.
 *
 * <pre>{@code
 * FlowTrigger retrain = engine.trigger(trainingFlow, FlowParams.of().with(csv, path), false);
 * DriftMonitor monitor = DriftMonitor.builder()...trigger(retrain).coolDown(Duration.ofHours(6)).build();
 * }</pre>
 *
 * <p>Implementations are thread-safe and return quickly: the run goes on in the background.
 */
@FunctionalInterface
public interface FlowTrigger {

    /**
     * Asks for a run.
     *
     * @param reason why, for the logs (e.g. {@code "drift in 'mean radius': p=0.0003"}); not blank
     * @param params parameter values by name, overriding the trigger's defaults; checked before anything runs
     * @return the id of the started run, or empty if the trigger declined because its previous run is
     *         still going and overlapping runs are not allowed
     * @throws dev.mlops.core.NonRetriableException if {@code params} do not fit the flow (nothing started)
     */
    Optional<String> fire(String reason, Map<String, ?> params);

    /** A trigger that never starts anything; the default where no flow is wired. */
    static FlowTrigger noop() {
        return (reason, params) -> {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(params, "params");
            return Optional.empty();
        };
    }
}
