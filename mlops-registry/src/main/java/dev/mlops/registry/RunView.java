package dev.mlops.registry;

/** Which runs a search returns, by lifecycle (MLflow's {@code ViewType}). */
public enum RunView {
    /** Runs that are not deleted and whose experiment is not deleted (the default). */
    ACTIVE_ONLY,
    /** Runs that are deleted or whose experiment is deleted. */
    DELETED_ONLY,
    /** Every run. */
    ALL
}
