package dev.mlops.registry;

import dev.mlops.core.spi.RunTracker;
import dev.mlops.registry.internal.DefaultModelRegistry;
import dev.mlops.registry.spi.RegistryStore;
import dev.mlops.registry.spi.TrackingStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

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
 * <p><b>Storage.</b> By default everything is in the home. {@link Builder#trackingStore} and
 * {@link Builder#registryStore} move runs and models to other implementations of the storage SPI (e.g. PostgreSQL,
 * {@code mlops-registry-postgres}), so several hosts share one registry; artifacts stay in the home's
 * content-addressed store ({@link #collectGarbage} removes unreferenced blobs). Runs and experiments are deleted
 * softly ({@link #deleteRun}, {@link #deleteExperiment}; hidden from searches unless a {@link RunView} asks),
 * versions for good ({@link #deleteVersion}, refused while an alias holds the version).
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

    /**
     * Deletes a run, MLflow-style: a soft delete that hides it from {@link #searchRuns} (unless the query asks for
     * {@link RunView#DELETED_ONLY} or {@link RunView#ALL}) and refuses further logging into it; {@link #run},
     * its metrics and artifacts stay readable, and model versions created from it keep working. Idempotent.
     *
     * @throws dev.mlops.core.NotFoundException if no run has this id
     */
    void deleteRun(String runId);

    /** Undoes {@link #deleteRun} (idempotent). {@link dev.mlops.core.NotFoundException} if no run has this id. */
    void restoreRun(String runId);

    /**
     * Deletes an experiment (soft, like {@link #deleteRun}): its runs are hidden from searches (their
     * {@link RunInfo#deleted()} is true) and {@link #startRun} in it is refused until {@link #restoreExperiment}.
     * The runs' own deleted marks are kept, so restoring the experiment does not restore runs deleted one by one.
     *
     * @throws dev.mlops.core.NotFoundException if there is no experiment of that name (lists those that exist)
     */
    void deleteExperiment(String name);

    /** Undoes {@link #deleteExperiment} (idempotent). */
    void restoreExperiment(String name);

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

    /**
     * Deletes the artifact blobs that no run and no model version references any more (an artifact path logged
     * again with other content, a deleted version's files no run holds, a writer killed between storing a blob and
     * recording it), and temporary files of killed writers.
     *
     * <p>Safe while other threads and processes write: only blobs last stored more than {@code grace} ago are
     * considered, storing a blob that already exists refreshes its time, and a blob refreshed while the collector
     * decides about it is kept. So the only requirement is that {@code grace} exceeds the longest time between a
     * writer storing a blob and committing its reference (one {@code logArtifact} call).
     *
     * @param grace at least 1 minute; 1 hour is a safe choice
     * @throws IllegalArgumentException                     if {@code grace} is under 1 minute
     * @throws dev.mlops.core.ResourceUnavailableException if the artifact directory cannot be read or changed
     */
    GarbageCollection collectGarbage(java.time.Duration grace);

    // ---------------------------------------------------------------------------------------- model registry

    /**
     * Registers a model name (idempotent: an existing model is returned unchanged).
     *
     * @throws IllegalArgumentException if the name is not 1 to 200 letters, digits, '_', '-', '.'
     */
    RegisteredModel createModel(String name, String description);

    /** A registered model; {@link dev.mlops.core.NotFoundException} listing the models if unknown. */
    RegisteredModel model(String name);

    /** All registered models, by name. */
    List<RegisteredModel> models();

    /**
     * Creates the next version of a model (creating the model if needed) from a run's artifact file or directory,
     * pinning its files by SHA-256. One transaction, audited.
     *
     * @throws dev.mlops.core.NotFoundException if the run or the artifact path does not exist
     */
    ModelVersion createVersion(VersionRequest request);

    /** A version; {@link dev.mlops.core.NotFoundException} listing what exists if the model or version is unknown. */
    ModelVersion version(String model, int version);

    /** Every version of a model, oldest first. */
    List<ModelVersion> versions(String model);

    /**
     * Deletes a version (audited). Its number is never given again; its files stay in the artifact store until
     * {@link #collectGarbage} finds them unreferenced.
     *
     * @throws IllegalStateException              if an alias points at the version (the message names them): move
     *                                            or delete the alias first
     * @throws dev.mlops.core.NotFoundException if the model or version is unknown (lists what exists)
     */
    void deleteVersion(String model, int version, String reason);

    /**
     * Resolves {@code models:/<name>/<version>} or {@code models:/<name>@<alias>} to a version.
     *
     * @throws IllegalArgumentException          if the URI is malformed
     * @throws dev.mlops.core.NotFoundException if the model, version or alias is unknown (lists what exists)
     */
    ModelVersion resolve(String uri);

    /**
     * Loads the version a URI names ({@code models:/name@alias} or {@code models:/name/3}) through its flavor, after
     * verifying its files' SHA-256. Tribuo models load from their protobuf form; nothing is Java-deserialized.
     *
     * @throws IllegalArgumentException              if the version has no signature or its flavor cannot be loaded
     * @throws dev.mlops.core.StoreCorruptedException if a model file is missing, truncated or altered
     */
    Predictor load(String uri);

    /** Sets a description on a model ({@code version == 0}) or a version. Audited. */
    void setDescription(String model, int version, String description, String reason);

    /** Sets a tag on a model ({@code version == 0}) or a version. Audited. */
    void setTag(String model, int version, String key, String value, String reason);

    /**
     * Points {@code alias} at {@code version}; the alias leaves the version that held it (one version per alias).
     * Recorded in the alias history and audited. Alias names: letters, digits, '_', '-'; not purely digits.
     */
    ModelVersion setAlias(String model, String alias, int version, String reason);

    /** Removes an alias (no-op if absent). Recorded and audited. */
    void deleteAlias(String model, String alias, String reason);

    /** Every move of the alias, oldest first. */
    List<AliasChange> aliasHistory(String model, String alias);

    /**
     * The legacy stage API over aliases: PRODUCTION and STAGING move the {@code production}/{@code staging} alias to
     * the version (and clear its archived flag); ARCHIVED removes those aliases from it and marks it archived; NONE
     * removes them and clears the mark.
     */
    ModelVersion transitionStage(String model, int version, Stage stage, String reason);

    /** Evaluates a policy for moving {@code alias} to {@code candidate}, changing nothing. */
    PromotionDecision evaluate(String model, int candidate, String alias, PromotionPolicy policy);

    /**
     * Evaluates the policy and, if approved, moves the alias to the candidate, in one transaction (the champion
     * cannot change in between). The decision, approved or not, is audited.
     */
    PromotionDecision promote(String model, int candidate, String alias, PromotionPolicy policy, String reason);

    /**
     * Moves the alias back to the version that held it before its latest move (so a second rollback undoes the
     * first); returns the version now holding it.
     *
     * @throws IllegalStateException if the alias has no earlier holder
     */
    ModelVersion rollback(String model, String alias, String reason);

    /** The audit log, oldest first. */
    List<AuditEntry> auditLog();

    /** Recomputes the audit log's hash chain and reports the first entry that does not match. */
    AuditVerification verifyAuditLog();

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
        private Supplier<String> principal = () -> System.getProperty("user.name", "unknown");
        private TrackingStore trackingStore;
        private RegistryStore registryStore;

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
         * Who is acting, for the audit log: called on every registry change (so a host can return the user of
         * the current request); default the OS user name.
         */
        public Builder principal(Supplier<String> principal) {
            this.principal = Objects.requireNonNull(principal, "principal");
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
         * Where experiments, runs and their data live; default the embedded SQLite database {@code registry.db} in
         * the home. E.g. {@code PostgresTrackingStore.builder().jdbcUrl(url).build()} from
         * {@code mlops-registry-postgres}, so several hosts share one registry. The store stays the caller's: closing
         * the registry does not close it.
         */
        public Builder trackingStore(TrackingStore trackingStore) {
            this.trackingStore = Objects.requireNonNull(trackingStore, "trackingStore");
            return this;
        }

        /**
         * Where registered models, versions, aliases and the audit log live; default the embedded SQLite database
         * {@code registry.db} in the home. E.g. {@code PostgresRegistryStore.builder().jdbcUrl(url).build()}. The
         * store stays the caller's: closing the registry does not close it. Artifact files stay in the home's
         * {@code artifacts/} directory either way (on several hosts: a shared file system mounted as the home).
         */
        public Builder registryStore(RegistryStore registryStore) {
            this.registryStore = Objects.requireNonNull(registryStore, "registryStore");
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
                    durableCommits, principal, trackingStore, registryStore);
        }
    }
}
