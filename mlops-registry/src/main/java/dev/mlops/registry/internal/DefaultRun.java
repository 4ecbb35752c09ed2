package dev.mlops.registry.internal;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.MetricLogger;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunBatch;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A running run. Writes hold the read side of a read-write lock and {@code end} the write side, so an end never
 * interleaves with a write of this object; the store re-checks the RUNNING state inside each transaction, which
 * covers other processes.
 */
final class DefaultRun implements RegistryRun {

    private final DefaultModelRegistry registry;
    private final String runId;
    private final String experimentId;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Set<BufferedMetricLogger> loggers = ConcurrentHashMap.newKeySet();
    private volatile RunStatus status = RunStatus.RUNNING;
    private volatile boolean ending;

    DefaultRun(DefaultModelRegistry registry, String runId, String experimentId) {
        this.registry = registry;
        this.runId = runId;
        this.experimentId = experimentId;
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public String experimentId() {
        return experimentId;
    }

    @Override
    public RunStatus status() {
        return status;
    }

    private void ensureRunning() {
        RunStatus s = status;
        if (s != RunStatus.RUNNING) {
            throw new IllegalStateException("run " + runId + " has ended with status " + s
                    + "; nothing was logged. Fix: log before end()/close(), or start a new run");
        }
    }

    void ensureAcceptsBuffered() {
        ensureRunning();
        if (ending) {
            throw new IllegalStateException("run " + runId + " is ending; the buffered point was not logged");
        }
    }

    /** Writes through the store if the run is still running here. */
    void writeDirect(RunWrite w) {
        rw.readLock().lock();
        try {
            ensureRunning();
            registry.store().write(runId, w);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** The buffered logger's fast path, under the same lock and checks as {@link #writeDirect}. */
    void appendDirect(String[] keys, double[] values, long[] steps, long[] times, int n) {
        rw.readLock().lock();
        try {
            ensureRunning();
            SqliteTrackingStore fast = registry.fastPath();
            if (fast != null) {
                fast.appendMetrics(runId, keys, values, steps, times, n);
            } else {
                List<MetricPoint> points = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    points.add(new MetricPoint(keys[i], values[i], steps[i], Instant.ofEpochMilli(times[i])));
                }
                registry.store().write(runId, RunWrite.metrics(points));
            }
        } finally {
            rw.readLock().unlock();
        }
    }

    @Override
    public void logParam(String key, String value) {
        TrackedRun.checkKey(key);
        Objects.requireNonNull(value, () -> "param '" + key + "' has a null value");
        writeDirect(new RunWrite(Map.of(key, value), List.of(), Map.of(), Map.of(), List.of()));
    }

    @Override
    public void logParams(Map<String, String> params) {
        Objects.requireNonNull(params, "params");
        logBatch(RunBatch.builder().params(params).build());
    }

    @Override
    public void logMetric(String key, double value, long step) {
        TrackedRun.checkKey(key);
        TrackedRun.checkStep(step);
        writeDirect(RunWrite.metrics(List.of(new MetricPoint(key, value, step, registry.now()))));
    }

    @Override
    public void logMetrics(Map<String, Double> values, long step) {
        Objects.requireNonNull(values, "values");
        TrackedRun.checkStep(step);
        RunBatch.Builder b = RunBatch.builder();
        values.forEach((k, v) -> b.metric(k, Objects.requireNonNull(v, () -> "metric '" + k + "' has a null value;"
                + " log Double.NaN for a missing value"), step));
        logBatch(b.build());
    }

    @Override
    public void setTag(String key, String value) {
        TrackedRun.checkKey(key);
        Objects.requireNonNull(value, () -> "tag '" + key + "' has a null value");
        writeDirect(new RunWrite(Map.of(), List.of(), Map.of(key, value), Map.of(), List.of()));
    }

    @Override
    public void logBatch(RunBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.isEmpty()) {
            ensureRunning();
            return;
        }
        Instant now = registry.now();
        List<MetricPoint> points = new ArrayList<>(batch.metrics().size());
        for (RunBatch.Point p : batch.metrics()) {
            points.add(new MetricPoint(p.key(), p.value(), p.step(), now));
        }
        writeDirect(new RunWrite(batch.params(), points, batch.tags(), Map.of(), List.of()));
    }

    @Override
    public void logArtifact(Path fileOrDirectory, String artifactPath) {
        Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
        TrackedRun.checkArtifactPath(artifactPath);
        ensureRunning();
        Map<String, Path> files = new LinkedHashMap<>();
        if (Files.isSymbolicLink(fileOrDirectory)) {
            throw new IllegalArgumentException("artifact '" + fileOrDirectory + "' is a symbolic link; links are not"
                    + " followed so nothing outside the given tree is copied. Fix: pass the link's target");
        }
        if (Files.isRegularFile(fileOrDirectory, LinkOption.NOFOLLOW_LINKS)) {
            String name = fileOrDirectory.getFileName().toString();
            files.put(join(artifactPath, name), fileOrDirectory);
        } else if (Files.isDirectory(fileOrDirectory, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(fileOrDirectory)) {
                for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                    if (Files.isSymbolicLink(p)) {
                        throw new IllegalArgumentException("artifact directory '" + fileOrDirectory + "' contains the"
                                + " symbolic link '" + p + "'; links are not followed and nothing was logged. Fix:"
                                + " replace the link with a copy of its target");
                    }
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        List<String> segments = new ArrayList<>();
                        for (Path seg : fileOrDirectory.relativize(p)) {
                            segments.add(seg.toString());
                        }
                        files.put(join(artifactPath, String.join("/", segments)), p);
                    }
                }
            } catch (IOException e) {
                throw new dev.mlops.core.ResourceUnavailableException(fileOrDirectory.toString(), "listing it failed (" + e + ")", e);
            }
        } else {
            throw new IllegalArgumentException("artifact '" + fileOrDirectory + "' does not exist or is not a regular"
                    + " file or directory");
        }
        for (String path : files.keySet()) {
            TrackedRun.checkArtifactPath(path);
        }
        List<ArtifactEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            ContentStore.Blob blob = registry.contentStore().put(e.getValue());
            entries.add(new ArtifactEntry(e.getKey(), blob.sha256(), blob.size()));
        }
        writeDirect(new RunWrite(Map.of(), List.of(), Map.of(), Map.of(), entries));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    @Override
    public void logDataset(String name, Fingerprint fingerprint) {
        TrackedRun.checkKey(name);
        Objects.requireNonNull(fingerprint, "fingerprint");
        writeDirect(new RunWrite(Map.of(), List.of(), Map.of(), Map.of(name, fingerprint.toString()), List.of()));
    }

    @Override
    public MetricLogger bufferedLogger() {
        ensureAcceptsBuffered();
        BufferedMetricLogger logger = registry.newLogger(this);
        loggers.add(logger);
        return logger;
    }

    void forget(BufferedMetricLogger logger) {
        loggers.remove(logger);
    }

    /** Flushes every open buffered logger of this run. */
    void flushLoggers() {
        RuntimeException first = null;
        for (BufferedMetricLogger l : List.copyOf(loggers)) {
            try {
                l.flush();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public RegistryRun startChildRun(String name) {
        ensureRunning();
        return registry.startRun(experimentId, name, runId);
    }

    @Override
    public void end(RunStatus requested) {
        Objects.requireNonNull(requested, "status");
        if (requested == RunStatus.RUNNING) {
            throw new IllegalArgumentException("cannot end run " + runId + " with status RUNNING. Fix: pass FINISHED,"
                    + " FAILED or KILLED");
        }
        if (status == requested) {
            return;
        }
        ending = true;
        RuntimeException flushFailure = null;
        try {
            flushLoggers();
        } catch (RuntimeException e) {
            flushFailure = e;
        }
        rw.writeLock().lock();
        try {
            if (status == RunStatus.RUNNING) {
                status = registry.store().endRun(runId, requested, registry.now());
                registry.forget(this);
            }
        } finally {
            rw.writeLock().unlock();
        }
        if (status != requested) {
            throw new IllegalStateException("run " + runId + " already ended with status " + status
                    + "; cannot end it " + requested);
        }
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    @Override
    public void close() {
        if (status != RunStatus.RUNNING) {
            return;
        }
        ending = true;
        RuntimeException flushFailure = null;
        try {
            flushLoggers();
        } catch (RuntimeException e) {
            flushFailure = e;
        }
        rw.writeLock().lock();
        try {
            if (status == RunStatus.RUNNING) {
                status = registry.store().endRun(runId, RunStatus.FINISHED, registry.now());
                registry.forget(this);
            }
        } finally {
            rw.writeLock().unlock();
        }
        if (flushFailure != null) {
            throw flushFailure;
        }
    }

    @Override
    public String toString() {
        return "RegistryRun[" + runId + ", " + status + "]";
    }
}
