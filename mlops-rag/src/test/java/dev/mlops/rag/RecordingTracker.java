package dev.mlops.rag;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.core.spi.RunTracker;
import dev.mlops.core.spi.TrackedRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link RunTracker} that keeps what it is given in memory, for assertions; can fail on a chosen metric. */
final class RecordingTracker implements RunTracker {

    final List<Run> runs = new ArrayList<>();
    String failOnMetric;

    final class Run implements TrackedRun {
        final String experiment;
        final String name;
        final String id;
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, Double> metrics = new LinkedHashMap<>();
        RunStatus status = RunStatus.RUNNING;

        Run(String experiment, String name, String id) {
            this.experiment = experiment;
            this.name = name;
            this.id = id;
        }

        @Override
        public String runId() {
            return id;
        }

        @Override
        public RunStatus status() {
            return status;
        }

        @Override
        public void logParam(String key, String value) {
            TrackedRun.checkKey(key);
            params.put(key, value);
        }

        @Override
        public void logMetric(String key, double value, long step) {
            TrackedRun.checkKey(key);
            if (key.equals(failOnMetric)) {
                throw new dev.mlops.core.ResourceUnavailableException("tracker", "store down");
            }
            metrics.put(key, value);
        }

        @Override
        public void setTag(String key, String value) {}

        @Override
        public void logArtifact(Path fileOrDirectory, String artifactPath) {}

        @Override
        public void logDataset(String name, Fingerprint fingerprint) {}

        @Override
        public TrackedRun startChildRun(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void end(RunStatus s) {
            status = s;
        }

        @Override
        public void close() {
            if (status == RunStatus.RUNNING) {
                status = RunStatus.FINISHED;
            }
        }
    }

    @Override
    public TrackedRun startRun(String experiment, String runName) {
        Run r = new Run(experiment, runName, "run-" + (runs.size() + 1));
        runs.add(r);
        return r;
    }
}
