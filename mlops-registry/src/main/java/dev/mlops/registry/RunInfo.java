package dev.mlops.registry;

import dev.mlops.core.spi.RunStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a run as stored: its attributes, params, tags, datasets and the latest point of each metric.
 *
 * @param runId        the unique run id (32 lower-case hex digits)
 * @param experimentId the id of its {@link Experiment}
 * @param name         the run name
 * @param parentRunId  the parent's run id for a nested run, else {@code null}
 * @param status       the status when the snapshot was read
 * @param startTime    when it started, from the registry's clock
 * @param endTime      when it ended, or {@code null} while running
 * @param params       params, unmodifiable, sorted by key
 * @param tags         tags (including the {@code mlops.*} provenance tags), unmodifiable, sorted by key
 * @param datasets     dataset fingerprints ({@code sha256:...}) by name, unmodifiable, sorted by key
 * @param metrics      the latest point of each metric (the point with the highest step; among points at
 *                     that step the last logged), unmodifiable, sorted by key
 * @param deleted      whether the run or its experiment is deleted (hidden from searches unless asked for; see
 *                     {@link ModelRegistry#deleteRun})
 */
public record RunInfo(String runId, String experimentId, String name, String parentRunId, RunStatus status,
                      Instant startTime, Instant endTime, Map<String, String> params, Map<String, String> tags,
                      Map<String, String> datasets, Map<String, MetricPoint> metrics, boolean deleted) {

    /** An active (not deleted) run. */
    public RunInfo(String runId, String experimentId, String name, String parentRunId, RunStatus status,
                   Instant startTime, Instant endTime, Map<String, String> params, Map<String, String> tags,
                   Map<String, String> datasets, Map<String, MetricPoint> metrics) {
        this(runId, experimentId, name, parentRunId, status, startTime, endTime, params, tags, datasets, metrics, false);
    }

    public RunInfo {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(experimentId, "experimentId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startTime, "startTime");
        params = sorted(params);
        tags = sorted(tags);
        datasets = sorted(datasets);
        metrics = sorted(metrics);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** The latest value of a metric, if it was logged. */
    public Optional<Double> metric(String key) {
        MetricPoint p = metrics.get(key);
        return p == null ? Optional.empty() : Optional.of(p.value());
    }

    /** The parent run id, if this is a nested run. */
    public Optional<String> parent() {
        return Optional.ofNullable(parentRunId);
    }
}
