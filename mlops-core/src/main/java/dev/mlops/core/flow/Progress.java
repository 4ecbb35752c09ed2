package dev.mlops.core.flow;

/**
 * How far a flow run is.
 *
 * @param total    tasks in the flow
 * @param finished tasks in a final state
 * @param running  tasks with an attempt running
 * @param failed   tasks FAILED
 */
public record Progress(int total, int finished, int running, int failed) {

    /** {@code finished / total}, in [0, 1]. */
    public double fraction() {
        return total == 0 ? 1.0 : (double) finished / total;
    }
}
