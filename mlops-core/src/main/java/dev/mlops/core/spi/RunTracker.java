package dev.mlops.core.spi;

/**
 * Starts {@link TrackedRun}s: the records of one training or evaluation execution, with its params,
 * metrics, tags, artifacts and the datasets it read.
 *
 * <p><b>Who implements, who calls.</b> The registry module implements this interface (a file-backed store,
 * an MLflow client, ...); training pipelines and the experiment API call it. Code that logs should depend on
 * this interface only and receive an instance from its host, with {@link #noop()} as the default when
 * tracking is off.
 *
 * <pre>{@code
 * try (TrackedRun run = tracker.startRun("churn", "gbm-depth-6")) {
 *     run.logParam("max_depth", "6");
 *     run.logDataset("train", Fingerprint.of(trainFile));
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         run.logMetric("loss", trainOneEpoch(), epoch);
 *     }
 * } // ends FINISHED; call run.end(RunStatus.FAILED) in a catch block to record a failure
 * }</pre>
 *
 * <p><b>Time.</b> Start, end and metric timestamps come from a {@link java.time.Clock} injected into the
 * implementation, never from callers, so tests can use a fixed clock.
 *
 * <p><b>Thread-safety.</b> Implementations must be safe for concurrent use: many threads may start runs on
 * one tracker, and log to one run, at the same time.
 */
public interface RunTracker {

    /**
     * Starts a top-level run in {@code experiment}, creating the experiment if it does not exist. For nested
     * runs (one per fold, per trial) use {@link TrackedRun#startChildRun(String)}.
     *
     * @param experiment the experiment name; not blank
     * @param runName    a human-readable run name, or {@code null} to let the tracker generate one; not
     *                   blank. Names need not be unique; {@link TrackedRun#runId()} is.
     * @return the started run, in state {@link RunStatus#RUNNING}
     * @throws IllegalArgumentException    if {@code experiment} is blank or {@code runName} is blank
     * @throws NullPointerException        if {@code experiment} is null
     * @throws dev.mlops.core.MlopsException if the backing store fails (retriable or not)
     */
    TrackedRun startRun(String experiment, String runName);

    /**
     * A tracker whose runs validate every argument and their own lifecycle exactly as the contract
     * requires, then discard what they are given. Param and dataset immutability is not checked because
     * nothing is kept. Run ids are {@code noop-1}, {@code noop-2}, ... Thread-safe.
     */
    static RunTracker noop() {
        return NoopRunTracker.INSTANCE;
    }
}
