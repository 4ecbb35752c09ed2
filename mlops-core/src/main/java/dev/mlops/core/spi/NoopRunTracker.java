package dev.mlops.core.spi;

import dev.mlops.core.Fingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** {@link RunTracker#noop()}: checks arguments and lifecycle like a real tracker, then discards everything. */
final class NoopRunTracker implements RunTracker {

    static final NoopRunTracker INSTANCE = new NoopRunTracker();

    private final AtomicLong ids = new AtomicLong();

    private NoopRunTracker() {
    }

    @Override
    public TrackedRun startRun(String experiment, String runName) {
        Objects.requireNonNull(experiment, "experiment");
        if (experiment.isBlank()) {
            throw new IllegalArgumentException("experiment name is blank. Fix: pass a name such as \"churn\"");
        }
        checkRunName(runName); // names are only checked; nothing is kept
        return new NoopRun();
    }

    private static void checkRunName(String name) {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("run name is blank. Fix: pass a name, or null to generate one");
        }
    }

    private final class NoopRun implements TrackedRun {
        private final String runId = "noop-" + ids.incrementAndGet();
        private final AtomicReference<RunStatus> status = new AtomicReference<>(RunStatus.RUNNING);

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public RunStatus status() {
            return status.get();
        }

        @Override
        public void logParam(String key, String value) {
            TrackedRun.checkKey(key);
            Objects.requireNonNull(value, () -> "param '" + key + "' has a null value");
            checkRunning();
        }

        @Override
        public void logMetric(String key, double value, long step) {
            TrackedRun.checkKey(key);
            TrackedRun.checkStep(step);
            checkRunning();
        }

        @Override
        public void setTag(String key, String value) {
            TrackedRun.checkKey(key);
            Objects.requireNonNull(value, () -> "tag '" + key + "' has a null value");
            checkRunning();
        }

        @Override
        public void logArtifact(Path fileOrDirectory, String artifactPath) {
            Objects.requireNonNull(fileOrDirectory, "fileOrDirectory");
            TrackedRun.checkArtifactPath(artifactPath);
            if (!Files.exists(fileOrDirectory)) {
                throw new IllegalArgumentException("artifact source '" + fileOrDirectory + "' does not exist. "
                        + "Fix: write the file before logging it, or check the path");
            }
            checkRunning();
        }

        @Override
        public void logDataset(String name, Fingerprint fingerprint) {
            TrackedRun.checkKey(name);
            Objects.requireNonNull(fingerprint, () -> "dataset '" + name + "' has a null fingerprint");
            checkRunning();
        }

        @Override
        public TrackedRun startChildRun(String name) {
            checkRunName(name);
            checkRunning();
            return new NoopRun();
        }

        @Override
        public void end(RunStatus newStatus) {
            Objects.requireNonNull(newStatus, "status");
            if (newStatus == RunStatus.RUNNING) {
                throw new IllegalArgumentException("cannot end run " + runId + " with status RUNNING. "
                        + "Fix: pass FINISHED, FAILED or KILLED");
            }
            RunStatus previous = status.compareAndExchange(RunStatus.RUNNING, newStatus);
            if (previous != RunStatus.RUNNING && previous != newStatus) {
                throw new IllegalStateException("run " + runId + " already ended " + previous
                        + "; cannot end it again as " + newStatus);
            }
        }

        @Override
        public void close() {
            status.compareAndSet(RunStatus.RUNNING, RunStatus.FINISHED);
        }

        private void checkRunning() {
            RunStatus current = status.get();
            if (current != RunStatus.RUNNING) {
                throw new IllegalStateException("run " + runId + " has already ended " + current
                        + "; log before calling end() or close()");
            }
        }
    }
}
