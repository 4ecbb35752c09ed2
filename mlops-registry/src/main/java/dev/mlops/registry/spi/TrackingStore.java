package dev.mlops.registry.spi;

import dev.mlops.core.spi.RunStatus;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Persists experiments, runs, params, metrics, tags, datasets and artifact entries (the artifact bytes live in
 * the content-addressed artifact store). Every method is atomic (one transaction) and durable when it returns,
 * and safe to call from several threads and, for stores that allow it, several processes at once.
 *
 * <p>Implementations: the embedded SQLite store in the registry; a PostgreSQL one can follow. A new
 * implementation should pass the registry's {@code TrackingStoreContract} test suite.
 */
public interface TrackingStore extends AutoCloseable {

    /** The experiment called {@code name}, created with {@code created} if missing (race-free). */
    Experiment experiment(String name, Instant created);

    /** The experiment called {@code name}, if it exists. */
    Optional<Experiment> findExperiment(String name);

    /** All experiments, oldest first. */
    List<Experiment> experiments();

    /** Records a new RUNNING run with its initial tags. */
    void createRun(NewRun run);

    /**
     * Writes a batch into a RUNNING run, all or nothing.
     *
     * @throws IllegalStateException            if a param or dataset conflicts with a stored value (the message
     *                                          names both values), or the run is not RUNNING
     * @throws dev.mlops.core.NotFoundException if the run does not exist
     */
    void write(String runId, RunWrite write);

    /**
     * Moves a RUNNING run to {@code status}; returns the status it has afterwards. If the run had already ended,
     * nothing changes and the stored status is returned.
     */
    RunStatus endRun(String runId, RunStatus status, Instant endTime);

    /** A snapshot of a run; {@link dev.mlops.core.NotFoundException} if it does not exist. */
    RunInfo run(String runId);

    /** A metric's full history in the order logged. */
    List<MetricPoint> metricHistory(String runId, String key);

    /** The run's artifact entries, sorted by path. */
    List<ArtifactEntry> artifacts(String runId);

    /**
     * The SHA-256 digests (64 hex digits) of every artifact entry of every run: the blobs the tracking data
     * references, for the artifact garbage collector.
     */
    java.util.Set<String> artifactDigests();

    /**
     * The active runs (see {@link RunView#ACTIVE_ONLY}) of the given experiments (all when empty) that match
     * {@code filter}, ordered by {@code orderBy} then start time descending then insertion order, skipping
     * {@code offset} and returning at most {@code limit}.
     */
    default List<RunInfo> search(List<String> experimentIds, Filter filter, List<Filter.OrderBy> orderBy, int offset,
                                 int limit) {
        return search(experimentIds, filter, orderBy, offset, limit, RunView.ACTIVE_ONLY);
    }

    /** Like {@link #search(List, Filter, List, int, int)}, over the runs {@code view} selects by lifecycle. */
    List<RunInfo> search(List<String> experimentIds, Filter filter, List<Filter.OrderBy> orderBy, int offset,
                         int limit, RunView view);

    /**
     * Marks a run deleted or active again; afterwards {@link #write} into a deleted run fails with
     * {@link IllegalStateException}. Returns whether the mark changed.
     *
     * @throws dev.mlops.core.NotFoundException if the run does not exist
     */
    boolean setRunDeleted(String runId, boolean deleted);

    /** Marks an experiment (by id) deleted or active again; returns whether the mark changed. */
    boolean setExperimentDeleted(String experimentId, boolean deleted);

    /** Closes the store; further calls fail. */
    @Override
    void close();

    /**
     * A run to create.
     *
     * @param runId        the new unique id
     * @param experimentId its experiment
     * @param name         its name
     * @param parentRunId  the parent's id, or {@code null}
     * @param startTime    the start time
     * @param tags         initial tags (provenance)
     */
    record NewRun(String runId, String experimentId, String name, String parentRunId, Instant startTime,
                  Map<String, String> tags) {
        public NewRun {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(experimentId, "experimentId");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(startTime, "startTime");
            tags = Map.copyOf(tags);
        }
    }

    /**
     * What one {@link #write} stores.
     *
     * @param params    params to add (same value again: no-op; other value: conflict)
     * @param metrics   points to append
     * @param tags      tags to set
     * @param datasets  dataset fingerprints ({@code sha256:...}) by name; immutable like params
     * @param artifacts artifact entries to add or replace by path
     */
    record RunWrite(Map<String, String> params, List<MetricPoint> metrics, Map<String, String> tags,
                    Map<String, String> datasets, List<ArtifactEntry> artifacts) {
        /** The empty write. */
        public static final RunWrite EMPTY = new RunWrite(Map.of(), List.of(), Map.of(), Map.of(), List.of());

        public RunWrite {
            params = Map.copyOf(params);
            metrics = List.copyOf(metrics);
            tags = Map.copyOf(tags);
            datasets = Map.copyOf(datasets);
            artifacts = List.copyOf(artifacts);
        }

        /** Only metric points. */
        public static RunWrite metrics(List<MetricPoint> points) {
            return new RunWrite(Map.of(), points, Map.of(), Map.of(), List.of());
        }
    }
}
