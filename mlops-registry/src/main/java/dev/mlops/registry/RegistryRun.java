package dev.mlops.registry;

import dev.mlops.core.spi.TrackedRun;

/**
 * A run of a {@link ModelRegistry}: core's {@link TrackedRun} contract plus batch logging and a buffered
 * logger. Every method that writes is durable when it returns (a committed SQLite transaction), except
 * {@link MetricLogger#log}, which is durable after the logger's {@code flush}.
 *
 * <p><b>Params</b> are immutable: the same key with the same value is a no-op, with a different value an
 * {@link IllegalStateException} that names both values; the check is made in the store, so it holds across
 * threads and processes. <b>Metrics</b> are append-only series of (value, step, timestamp); the latest value
 * is the one at the highest step (the last logged among equal steps). <b>Tags</b> are overwritable.
 * <b>Artifacts</b> are copied into the content-addressed store; logging a path again replaces its entry.
 */
public interface RegistryRun extends TrackedRun {

    /**
     * Writes params, metrics and tags in one transaction: all are stored or none (a conflicting param rolls
     * the whole batch back). Metric points get the registry clock's current time.
     *
     * @throws IllegalStateException if a param conflicts with a stored value, or the run has ended
     */
    void logBatch(RunBatch batch);

    /** A new buffered logger for this run; see {@link MetricLogger}. Close it, or end the run, to flush it. */
    MetricLogger bufferedLogger();

    /** {@inheritDoc} The child is a {@link RegistryRun} too. */
    @Override
    RegistryRun startChildRun(String name);

    /** The experiment this run belongs to. */
    String experimentId();
}
