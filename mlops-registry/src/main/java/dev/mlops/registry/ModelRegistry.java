package dev.mlops.registry;

import dev.mlops.core.spi.RunTracker;
import dev.mlops.registry.internal.DefaultModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The experiment tracker and model registry, embedded: one home directory holds an SQLite database
 * ({@code registry.db}, WAL mode) and a content-addressed artifact store ({@code artifacts/}).
 *
 * <pre>{@code
 * try (ModelRegistry registry = ModelRegistry.open(Path.of("mlops-home"));
 *      RegistryRun run = registry.startRun("breast-cancer", "logreg")) {
 *     run.logParam("epochs", "20");
 *     try (MetricLogger log = run.bufferedLogger()) {
 *         for (int step = 0; step < 1000; step++) log.log("loss", loss(step), step);
 *     }
 *     run.logMetric("accuracy", 0.98);
 * }
 * RunPage page = registry.searchRuns(RunQuery.of("metrics.accuracy > 0.9 and params.epochs = '20'"));
 * }</pre>
 *
 * <p><b>Provenance.</b> Every run gets {@code mlops.*} tags when it starts: the git commit of the source
 * directory when it is a checkout ({@code mlops.source.git.commit}), the JVM ({@code mlops.jvm}), the OS
 * ({@code mlops.os}) and library versions ({@code mlops.lib.*}); datasets come from
 * {@link dev.mlops.core.spi.TrackedRun#logDataset}.
 *
 * <p><b>Concurrency and durability.</b> Thread-safe. Several registries (in one or several processes) may open
 * one home at once: writes are SQLite transactions serialized by SQLite's lock, with a busy timeout. Every
 * acknowledged write (the call returned) survives a killed process.
 */
public interface ModelRegistry extends RunTracker, AutoCloseable {

    /** Opens (or creates) the registry in {@code home} with the defaults. */
    static ModelRegistry open(Path home) {
        return builder().home(home).build();
    }

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} The run is a {@link RegistryRun}. */
    @Override
    RegistryRun startRun(String experiment, String runName);

    /** The experiment with this name, if it exists. */
    Optional<Experiment> experiment(String name);

    /** All experiments, oldest first. */
    List<Experiment> experiments();

    /**
     * A snapshot of a run.
     *
     * @throws dev.mlops.core.NotFoundException if no run has this id
     */
    RunInfo run(String runId);

    /** The full history of one metric of a run, in the order logged. Empty if it was never logged. */
    List<MetricPoint> metricHistory(String runId, String key);

    /**
     * Searches runs. See {@link RunQuery} for the filter language and ordering.
     *
     * @throws FilterSyntaxException    if the filter or an order-by clause is malformed
     * @throws IllegalArgumentException if the page token does not belong to this query
     */
    RunPage searchRuns(RunQuery query);

    /** The files among a run's artifacts, sorted by path. */
    List<ArtifactEntry> artifacts(String runId);

    /**
     * The bytes of one artifact file, verified against its SHA-256.
     *
     * @throws dev.mlops.core.NotFoundException       if the run has no artifact at this path (lists those it has)
     * @throws dev.mlops.core.StoreCorruptedException if the stored file is missing, truncated or altered
     */
    byte[] readArtifact(String runId, String path);

    /**
     * Copies an artifact file, or every file under an artifact directory, into {@code destination}, verifying
     * each against its SHA-256; returns the path of the copy ({@code destination/<last segment of path>}).
     * Files are written to a temporary name and renamed.
     */
    Path downloadArtifacts(String runId, String path, Path destination);

    /** Flushes open buffered loggers and closes the store. Runs still running stay RUNNING. */
    @Override
    void close();

    /** Configures a {@link ModelRegistry}; not thread-safe. */
    final class Builder {
        private Path home;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private MeterRegistry meterRegistry;
        private Path sourceDirectory;
        private int bufferChunkSize = 8192;
        private boolean durableCommits = true;

        private Builder() {
        }

        /** The home directory; created if missing. Required. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /** The clock for run times and metric timestamps; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The executor that writes buffered metrics; default a single thread owned (and shut down) by the
         * registry. Chunks of one logger are written in order on any executor.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Where meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * The directory whose git checkout is recorded as {@code mlops.source.git.commit}; default the working
         * directory. Parents are searched for {@code .git}.
         */
        public Builder sourceDirectory(Path sourceDirectory) {
            this.sourceDirectory = Objects.requireNonNull(sourceDirectory, "sourceDirectory");
            return this;
        }

        /** Points per buffered-logger chunk (one transaction each), 16 to 1,048,576; default 8192. */
        public Builder bufferChunkSize(int points) {
            if (points < 16 || points > 1 << 20) {
                throw new IllegalArgumentException("bufferChunkSize must be 16 to 1048576, but was " + points);
            }
            this.bufferChunkSize = points;
            return this;
        }

        /**
         * Whether each commit is fsynced ({@code true}, the default: SQLite {@code synchronous=FULL}). With
         * {@code false} ({@code synchronous=NORMAL} in WAL mode) a commit still survives a killed process and the
         * store stays consistent, but the last commits may be lost if the machine loses power. For bulk imports.
         */
        public Builder durableCommits(boolean durableCommits) {
            this.durableCommits = durableCommits;
            return this;
        }

        /**
         * Opens the registry.
         *
         * @throws IllegalStateException                      if no home was set
         * @throws dev.mlops.core.ResourceUnavailableException if the store cannot be opened
         */
        public ModelRegistry build() {
            if (home == null) {
                throw new IllegalStateException("home is not set. Fix: call home(Path) before build()");
            }
            return new DefaultModelRegistry(home, clock, executor,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry,
                    sourceDirectory == null ? Path.of("").toAbsolutePath() : sourceDirectory, bufferChunkSize,
                    durableCommits);
        }
    }
}
