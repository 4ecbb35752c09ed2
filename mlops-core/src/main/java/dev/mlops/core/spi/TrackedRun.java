package dev.mlops.core.spi;

import dev.mlops.core.Fingerprint;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One execution being tracked: started by {@link RunTracker#startRun(String, String)} or
 * {@link #startChildRun(String)}, it collects params, metrics, tags, artifacts and dataset fingerprints
 * until it ends. Use it in try-with-resources; {@link #close()} ends a still-running run
 * {@link RunStatus#FINISHED}, while recording a failure is the caller's choice via
 * {@code end(RunStatus.FAILED)}.
 *
 * <p><b>Keys.</b> Param, metric, tag and dataset names are 1 to {@value #MAX_KEY_LENGTH} characters of
 * letters, digits, {@code _ - . /} and space (the rule MLflow uses), checked by {@link #checkKey}. Values may
 * not be null.
 *
 * <p><b>Params</b> are immutable: logging a param again with the same value does nothing, with a different
 * value throws {@link IllegalStateException}. The same holds for datasets by name. <b>Tags</b> are mutable;
 * the last value wins. <b>Metrics</b> are series: each {@code logMetric} appends a point (value, step,
 * timestamp from the implementation's clock). NaN and infinite values are legal, because a diverging loss is
 * worth seeing, and implementations must store them as given.
 *
 * <p><b>Lifecycle.</b> After the run has ended every method except {@link #runId()}, {@link #status()},
 * {@link #close()} and a repeated {@code end} with the same status throws {@link IllegalStateException}.
 * Ending a parent does not end its children; end each child first (nested try-with-resources does this).
 *
 * <p><b>Implementations</b> (in the registry module) must be thread-safe: several threads may log to one run,
 * and {@code end}/{@code close} may race with logging. Calls that reach a store throw
 * {@link dev.mlops.core.RetriableException} or {@link dev.mlops.core.NonRetriableException} on failure and
 * leave already-logged data intact.
 */
public interface TrackedRun extends AutoCloseable {

    /** Longest param, metric, tag or dataset key. */
    int MAX_KEY_LENGTH = 250;

    /** The tracker-assigned id, unique within the tracker. */
    String runId();

    /** The current state; {@link RunStatus#RUNNING} until {@code end} or {@code close}. */
    RunStatus status();

    /**
     * Records a hyperparameter or other input setting.
     *
     * @throws IllegalArgumentException if the key is invalid
     * @throws IllegalStateException    if the param was already logged with a different value, or the run
     *                                  has ended
     */
    void logParam(String key, String value);

    /**
     * Records several params. All keys and values are checked before any is logged, so a bad entry leaves
     * none logged by this call; the rest is as {@link #logParam}.
     */
    default void logParams(Map<String, String> params) {
        Objects.requireNonNull(params, "params");
        params.forEach((key, value) -> {
            checkKey(key);
            Objects.requireNonNull(value, () -> "param '" + key + "' has a null value");
        });
        params.forEach(this::logParam);
    }

    /**
     * Appends a point to the metric's series.
     *
     * @param value any double; NaN and infinities are stored as given
     * @param step  the training step or epoch, {@code >= 0}
     * @throws IllegalArgumentException if the key is invalid or {@code step < 0}
     * @throws IllegalStateException    if the run has ended
     */
    void logMetric(String key, double value, long step);

    /** Appends a point at step 0, as {@code logMetric(key, value, 0)}; for single-valued metrics. */
    default void logMetric(String key, double value) {
        logMetric(key, value, 0);
    }

    /**
     * Appends one point per entry, all at {@code step}. Keys, values and the step are checked before any
     * point is logged.
     */
    default void logMetrics(Map<String, Double> values, long step) {
        Objects.requireNonNull(values, "values");
        checkStep(step);
        Map<String, Double> copy = new LinkedHashMap<>(values);
        copy.forEach((key, value) -> {
            checkKey(key);
            Objects.requireNonNull(value, () -> "metric '" + key + "' has a null value; log Double.NaN "
                    + "for a missing value");
        });
        copy.forEach((key, value) -> logMetric(key, value, step));
    }

    /** Sets a tag; a later call with the same key replaces the value. */
    void setTag(String key, String value);

    /**
     * Copies a file or directory (recursively) into the run's artifacts.
     *
     * @param fileOrDirectory an existing file or directory
     * @param artifactPath    where to put it under the run's artifact root: a relative {@code /}-separated
     *                        path without {@code .} or {@code ..} segments, or {@code ""} for the root;
     *                        checked by {@link #checkArtifactPath}
     * @throws IllegalArgumentException if {@code fileOrDirectory} does not exist or {@code artifactPath} is
     *                                  invalid
     */
    void logArtifact(Path fileOrDirectory, String artifactPath);

    /**
     * Records that this run used a dataset, for lineage: {@code logDataset("train", Fingerprint.of(file))}.
     *
     * @param name the dataset's role in this run, e.g. {@code "train"}; a key
     * @throws IllegalStateException if {@code name} was already logged with a different fingerprint, or the
     *                               run has ended
     */
    void logDataset(String name, Fingerprint fingerprint);

    /**
     * Starts a run nested under this one, in the same experiment, e.g. one per cross-validation fold.
     *
     * @param name the child's name, or {@code null} to let the tracker generate one
     * @throws IllegalStateException if this run has ended
     */
    TrackedRun startChildRun(String name);

    /**
     * Ends the run with {@code status}, taking the end time from the tracker's clock. Ending again with the
     * same status does nothing.
     *
     * @param status {@link RunStatus#FINISHED}, {@link RunStatus#FAILED} or {@link RunStatus#KILLED}
     * @throws IllegalArgumentException if {@code status} is {@link RunStatus#RUNNING}
     * @throws IllegalStateException    if the run already ended with another status
     */
    void end(RunStatus status);

    /**
     * Ends the run {@link RunStatus#FINISHED} if it is still running, atomically with respect to a
     * concurrent {@code end}; otherwise does nothing. Never throws for an ended run.
     */
    @Override
    void close();

    /**
     * Checks a param, metric, tag or dataset key against the contract and returns it. Implementations call
     * this so every tracker accepts the same keys.
     *
     * @throws NullPointerException     if {@code key} is null
     * @throws IllegalArgumentException naming the key and the rule it breaks
     */
    static String checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("key must be 1 to " + MAX_KEY_LENGTH + " characters, but '"
                    + (key.length() > 60 ? key.substring(0, 60) + "..." : key) + "' has " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || "_-. /".indexOf(c) >= 0);
            if (!allowed) {
                throw new IllegalArgumentException("key '" + key + "' has the character '" + c + "' (U+"
                        + String.format("%04X", (int) c) + ") at index " + i + ". Fix: use only letters, "
                        + "digits, '_', '-', '.', '/' and space");
            }
        }
        return key;
    }

    /**
     * Checks an artifact path against the contract of {@link #logArtifact} and returns it.
     *
     * @throws NullPointerException     if {@code artifactPath} is null
     * @throws IllegalArgumentException naming the path and the rule it breaks
     */
    static String checkArtifactPath(String artifactPath) {
        Objects.requireNonNull(artifactPath, "artifactPath");
        if (artifactPath.isEmpty()) {
            return artifactPath;
        }
        if (artifactPath.startsWith("/") || artifactPath.contains("\\") || artifactPath.contains(":")) {
            throw new IllegalArgumentException("artifact path '" + artifactPath + "' must be relative and "
                    + "'/'-separated. Fix: pass a path such as 'model/weights', or \"\" for the artifact root");
        }
        for (String segment : artifactPath.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("artifact path '" + artifactPath + "' has an empty, '.' or "
                        + "'..' segment. Fix: name each directory, e.g. 'model/weights'");
            }
        }
        return artifactPath;
    }

    /**
     * Checks a metric step and returns it.
     *
     * @throws IllegalArgumentException if {@code step < 0}
     */
    static long checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("metric step must be >= 0, but was " + step);
        }
        return step;
    }
}
