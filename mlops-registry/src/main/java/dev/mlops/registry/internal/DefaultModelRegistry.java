package dev.mlops.registry.internal;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.ArtifactEntry;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunPage;
import dev.mlops.registry.RunQuery;
import dev.mlops.registry.spi.Filter;
import dev.mlops.registry.spi.RegistryStore;
import dev.mlops.registry.spi.TrackingStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ModelRegistry}: a tracking store and a registry store (embedded SQLite in the home unless others are
 * supplied) plus content-addressed artifacts in the home.
 */
public final class DefaultModelRegistry implements ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModelRegistry.class);

    private final Path home;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final TrackingStore store;
    private final SqliteTrackingStore ownedSqlite;
    private final SqliteTrackingStore fastPath;
    private final RegistryStore registryStore;
    private final ContentStore contents;
    private final Map<String, String> provenance;
    private final Path sourceDirectory;
    private final int chunkSize;
    private final ModelStore models;
    private final Set<DefaultRun> openRuns = ConcurrentHashMap.newKeySet();
    private final Counter runsStarted;
    private final Timer searchTimer;

    public DefaultModelRegistry(Path home, Clock clock, Executor executor, MeterRegistry meters, Path sourceDirectory,
                                int chunkSize, boolean durableCommits,
                                java.util.function.Supplier<String> principal, TrackingStore trackingStore,
                                RegistryStore registryStore) {
        this.home = home.toAbsolutePath().normalize();
        this.clock = clock;
        this.sourceDirectory = sourceDirectory;
        this.chunkSize = chunkSize;
        if (executor == null) {
            this.ownedExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mlops-registry-writer");
                t.setDaemon(true);
                return t;
            });
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
        // the embedded SQLite database is opened only when a store was not supplied
        SqliteTrackingStore sqlite = trackingStore == null || registryStore == null
                ? new SqliteTrackingStore(this.home.resolve("registry.db"), durableCommits) : null;
        this.ownedSqlite = sqlite;
        this.store = trackingStore != null ? trackingStore : sqlite;
        this.fastPath = this.store instanceof SqliteTrackingStore s ? s : null;
        SqliteRegistryStore sqliteRegistry = registryStore == null ? new SqliteRegistryStore(sqlite) : null;
        this.registryStore = registryStore != null ? registryStore : sqliteRegistry;
        this.contents = new ContentStore(this.home.resolve("artifacts"), clock);
        this.provenance = Provenance.tags(sourceDirectory, fastPath != null ? fastPath.sqliteVersion() : null);
        this.models = new ModelStore(this.registryStore, this.store, clock, principal);
        this.runsStarted = Counter.builder("mlops.registry.runs.started").register(meters);
        this.searchTimer = Timer.builder("mlops.registry.search.latency").publishPercentiles(0.5, 0.99)
                .register(meters);
        LOG.debug("opened registry in {} (tracking store {}, registry store {})", this.home,
                this.store.getClass().getSimpleName(), this.registryStore.getClass().getSimpleName());
    }

    TrackingStore store() {
        return store;
    }

    /** The SQLite store when tracking is embedded (the buffered logger's fast path), else {@code null}. */
    SqliteTrackingStore fastPath() {
        return fastPath;
    }

    /** The tracking store, for the model registry and tests. */
    public TrackingStore trackingStore() {
        return store;
    }

    /** The registry store, for tests. */
    public RegistryStore registryStore() {
        return registryStore;
    }

    ContentStore contentStore() {
        return contents;
    }

    Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    BufferedMetricLogger newLogger(DefaultRun run) {
        return new BufferedMetricLogger(run, executor, clock, chunkSize);
    }

    void forget(DefaultRun run) {
        openRuns.remove(run);
    }

    @Override
    public RegistryRun startRun(String experiment, String runName) {
        Objects.requireNonNull(experiment, "experiment");
        if (experiment.isBlank()) {
            throw new IllegalArgumentException("experiment name is blank. Fix: name the experiment, e.g. 'churn'");
        }
        Experiment e = store.experiment(experiment, now());
        if (e.deleted()) {
            throw new IllegalStateException("experiment '" + experiment + "' is deleted; no run was started. Fix:"
                    + " restoreExperiment(\"" + experiment + "\") first, or use another experiment name");
        }
        return startRun(e.id(), runName, null);
    }

    DefaultRun startRun(String experimentId, String runName, String parentRunId) {
        if (runName != null && runName.isBlank()) {
            throw new IllegalArgumentException("run name is blank. Fix: pass a name or null for a generated one");
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        String name = runName != null ? runName : "run-" + id.substring(0, 8);
        store.createRun(new TrackingStore.NewRun(id, experimentId, name, parentRunId, now(), provenance));
        runsStarted.increment();
        DefaultRun run = new DefaultRun(this, id, experimentId);
        openRuns.add(run);
        return run;
    }

    @Override
    public Optional<Experiment> experiment(String name) {
        return store.findExperiment(Objects.requireNonNull(name, "name"));
    }

    @Override
    public List<Experiment> experiments() {
        return store.experiments();
    }

    @Override
    public RunInfo run(String runId) {
        return store.run(Objects.requireNonNull(runId, "runId"));
    }

    @Override
    public List<MetricPoint> metricHistory(String runId, String key) {
        return store.metricHistory(Objects.requireNonNull(runId, "runId"), Objects.requireNonNull(key, "key"));
    }

    @Override
    public RunPage searchRuns(RunQuery query) {
        Objects.requireNonNull(query, "query");
        long t0 = System.nanoTime();
        Filter filter = FilterParser.parse(query.filter());
        List<Filter.OrderBy> order = new ArrayList<>();
        for (String clause : query.orderBy()) {
            order.add(FilterParser.parseOrderBy(clause));
        }
        String key = query.experiments() + "\u0000" + query.filter() + "\u0000" + query.orderBy()
                + (query.view() == dev.mlops.registry.RunView.ACTIVE_ONLY ? "" : "\u0000" + query.view());
        int offset = query.pageToken() == null ? 0 : PageToken.decode(query.pageToken(), key);
        List<String> ids = new ArrayList<>();
        for (String name : query.experiments()) {
            store.findExperiment(name).ifPresent(e -> ids.add(e.id()));
        }
        if (!query.experiments().isEmpty() && ids.isEmpty()) {
            return new RunPage(List.of(), null);
        }
        List<RunInfo> runs = store.search(ids, filter, order, offset, query.maxResults() + 1, query.view());
        String next = null;
        if (runs.size() > query.maxResults()) {
            runs = runs.subList(0, query.maxResults());
            next = PageToken.encode(offset + query.maxResults(), key);
        }
        searchTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return new RunPage(runs, next);
    }

    @Override
    public void deleteRun(String runId) {
        if (store.setRunDeleted(Objects.requireNonNull(runId, "runId"), true)) {
            LOG.info("deleted run {}", runId);
        }
    }

    @Override
    public void restoreRun(String runId) {
        if (store.setRunDeleted(Objects.requireNonNull(runId, "runId"), false)) {
            LOG.info("restored run {}", runId);
        }
    }

    @Override
    public void deleteExperiment(String name) {
        if (store.setExperimentDeleted(experimentId(name), true)) {
            LOG.info("deleted experiment '{}'", name);
        }
    }

    @Override
    public void restoreExperiment(String name) {
        if (store.setExperimentDeleted(experimentId(name), false)) {
            LOG.info("restored experiment '{}'", name);
        }
    }

    private String experimentId(String name) {
        Objects.requireNonNull(name, "name");
        return store.findExperiment(name).orElseThrow(() -> new NotFoundException("experiment", name,
                store.experiments().stream().map(Experiment::name).toList())).id();
    }

    @Override
    public List<ArtifactEntry> artifacts(String runId) {
        return store.artifacts(Objects.requireNonNull(runId, "runId"));
    }

    @Override
    public byte[] readArtifact(String runId, String path) {
        TrackedRun.checkArtifactPath(path);
        List<ArtifactEntry> all = artifacts(runId);
        for (ArtifactEntry a : all) {
            if (a.path().equals(path)) {
                return contents.read(a.sha256(), a.size());
            }
        }
        throw new NotFoundException("artifact of run " + runId, path, all.stream().map(ArtifactEntry::path).toList());
    }

    @Override
    public Path downloadArtifacts(String runId, String path, Path destination) {
        TrackedRun.checkArtifactPath(path);
        Objects.requireNonNull(destination, "destination");
        List<ArtifactEntry> all = artifacts(runId);
        Path dest = destination.toAbsolutePath().normalize();
        String last = path.isEmpty() ? "" : path.substring(path.lastIndexOf('/') + 1);
        Path root = last.isEmpty() ? dest : dest.resolve(last).normalize();
        int copied = 0;
        for (ArtifactEntry a : all) {
            String rel;
            if (a.path().equals(path)) {
                rel = "";
            } else if (path.isEmpty()) {
                rel = a.path();
            } else if (a.path().startsWith(path + "/")) {
                rel = a.path().substring(path.length() + 1);
            } else {
                continue;
            }
            Path target = (rel.isEmpty() ? root : root.resolve(rel)).normalize();
            if (!target.startsWith(dest) || target.equals(dest)) {
                throw new dev.mlops.core.StoreCorruptedException(home.resolve("registry.db"), "artifact entry '"
                        + a.path() + "' of run " + runId + " would be written outside '" + dest + "'",
                        "the database was edited; remove the entry or restore registry.db from a backup");
            }
            contents.copyTo(a.sha256(), a.size(), target);
            copied++;
        }
        if (copied == 0) {
            throw new NotFoundException("artifact of run " + runId, path, all.stream().map(ArtifactEntry::path).toList());
        }
        return root;
    }

    // ---------------------------------------------------------------------------------------- model registry

    @Override
    public dev.mlops.registry.RegisteredModel createModel(String name, String description) {
        return models.createModel(name, description);
    }

    @Override
    public dev.mlops.registry.RegisteredModel model(String name) {
        return models.model(name);
    }

    @Override
    public List<dev.mlops.registry.RegisteredModel> models() {
        return models.models();
    }

    @Override
    public dev.mlops.registry.ModelVersion createVersion(dev.mlops.registry.VersionRequest request) {
        return models.createVersion(request);
    }

    @Override
    public dev.mlops.registry.ModelVersion version(String model, int version) {
        return models.version(model, version);
    }

    @Override
    public List<dev.mlops.registry.ModelVersion> versions(String model) {
        return models.versions(model);
    }

    @Override
    public dev.mlops.registry.GarbageCollection collectGarbage(java.time.Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("grace must be at least 1 minute (longer than any artifact upload), but"
                    + " was " + grace + ". Fix: e.g. Duration.ofHours(1)");
        }
        ContentStore.Collected c = contents.collect(() -> {
            java.util.Set<String> refs = new java.util.HashSet<>(store.artifactDigests());
            refs.addAll(models.referencedDigests());
            return refs;
        }, now().minus(grace));
        LOG.info("artifact garbage collection in {}: deleted {} blobs ({} bytes), kept {} referenced and {} younger"
                + " than {}", home, c.deleted(), c.bytesFreed(), c.kept(), c.tooYoung(), grace);
        return new dev.mlops.registry.GarbageCollection(c.deleted(), c.bytesFreed(), c.kept(), c.tooYoung());
    }

    @Override
    public void deleteVersion(String model, int version, String reason) {
        models.deleteVersion(model, version, reason);
    }

    @Override
    public dev.mlops.registry.ModelVersion resolve(String uri) {
        return models.resolve(uri);
    }

    @Override
    public dev.mlops.registry.Predictor load(String uri) {
        dev.mlops.registry.ModelVersion v = models.resolve(uri);
        boolean onnx = v.flavor().equals(dev.mlops.registry.OnnxModels.FLAVOR);
        if (!onnx && !v.flavor().equals(dev.mlops.registry.TribuoModels.FLAVOR)) {
            throw new IllegalArgumentException("model " + v.uri() + " has flavor '" + v.flavor() + "', which cannot be"
                    + " loaded here (loadable: 'tribuo', 'onnx'). Fix: download its files with downloadArtifacts");
        }
        if (v.signature() == null) {
            throw new IllegalArgumentException("model " + v.uri() + " has no signature, so its inputs cannot be"
                    + " validated. Fix: register it with VersionRequest.Builder.signature(...)");
        }
        if (onnx) {
            return OnnxSupport.load(v, fileBytes(v, dev.mlops.registry.OnnxModels.FILE),
                    fileBytes(v, dev.mlops.registry.OnnxModels.LAYOUT));
        }
        ArtifactEntry file = v.files().stream().filter(f -> f.path().equals(dev.mlops.registry.TribuoModels.FILE))
                .findFirst().orElseThrow(() -> new NotFoundException("file of " + v.uri(),
                        dev.mlops.registry.TribuoModels.FILE, v.files().stream().map(ArtifactEntry::path).toList()));
        byte[] bytes = contents.read(file.sha256(), file.size());
        return new TribuoPredictor(v, TribuoSupport.read(bytes, v.uri()));
    }

    private byte[] fileBytes(dev.mlops.registry.ModelVersion v, String name) {
        ArtifactEntry file = v.files().stream().filter(f -> f.path().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("file of " + v.uri(), name,
                        v.files().stream().map(ArtifactEntry::path).toList()));
        return contents.read(file.sha256(), file.size());
    }

    @Override
    public void setDescription(String model, int version, String description, String reason) {
        models.setDescription(model, version, description, reason);
    }

    @Override
    public void setTag(String model, int version, String key, String value, String reason) {
        models.setTag(model, version, key, value, reason);
    }

    @Override
    public dev.mlops.registry.ModelVersion setAlias(String model, String alias, int version, String reason) {
        return models.setAlias(model, alias, version, reason);
    }

    @Override
    public void deleteAlias(String model, String alias, String reason) {
        models.deleteAlias(model, alias, reason);
    }

    @Override
    public List<dev.mlops.registry.AliasChange> aliasHistory(String model, String alias) {
        return models.aliasHistory(model, alias);
    }

    @Override
    public dev.mlops.registry.ModelVersion transitionStage(String model, int version, dev.mlops.registry.Stage stage,
                                                           String reason) {
        return models.transitionStage(model, version, stage, reason);
    }

    @Override
    public dev.mlops.registry.PromotionDecision evaluate(String model, int candidate, String alias,
                                                         dev.mlops.registry.PromotionPolicy policy) {
        return models.evaluate(model, candidate, alias, policy);
    }

    @Override
    public dev.mlops.registry.PromotionDecision promote(String model, int candidate, String alias,
                                                        dev.mlops.registry.PromotionPolicy policy, String reason) {
        return models.promote(model, candidate, alias, policy, reason);
    }

    @Override
    public dev.mlops.registry.ModelVersion rollback(String model, String alias, String reason) {
        return models.rollback(model, alias, reason);
    }

    @Override
    public List<dev.mlops.registry.AuditEntry> auditLog() {
        return models.auditLog();
    }

    @Override
    public dev.mlops.registry.AuditVerification verifyAuditLog() {
        return models.verifyAuditLog();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (DefaultRun run : List.copyOf(openRuns)) {
            try {
                run.flushLoggers();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                ownedExecutor.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // stores handed in through the builder stay open: they belong to the host
        if (ownedSqlite != null) {
            ownedSqlite.close();
        }
        if (first != null) {
            throw first;
        }
    }
}
