package dev.mlops.registry.serving.internal;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.internal.BatchingPredictor;
import dev.mlops.registry.serving.InvalidInputException;
import dev.mlops.registry.serving.LoadFailure;
import dev.mlops.registry.serving.ModelNotReadyException;
import dev.mlops.registry.serving.ModelServer;
import dev.mlops.registry.serving.ServedPrediction;
import dev.mlops.registry.serving.ServedPrediction.Role;
import dev.mlops.registry.serving.ServerHealth;
import dev.mlops.registry.serving.ServerListener;
import dev.mlops.registry.serving.ShadowComparison;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ModelServer}: two {@link Slot}s (primary, optional challenger) swapped by a loader task. */
public final class DefaultModelServer implements ModelServer {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultModelServer.class);
    private static final int BUCKETS = 10_000;

    private final ModelRegistry registry;
    private final String modelName;
    private final Slot primary;
    private final Slot challenger;
    private final boolean shadow;
    private final int challengerBuckets;
    private final double shadowTolerance;
    private final PredictionLog log;
    private final boolean logging;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final Executor shadowExecutor;
    private final ExecutorService ownedShadowExecutor;
    private final boolean rejectUnknown;
    private final ServerListener listener;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final ScheduledFuture<?> polling;
    private final ModelRegistry.Subscription subscription;
    private volatile boolean closed;
    private final long batchWaitNanos;
    private final int maxBatchSize;
    private final boolean ownsLog;

    /** Use {@link ModelServer#builder()}. */
    public DefaultModelServer(ModelRegistry registry, String model, String challenger, boolean shadow,
                              double challengerPercent, double shadowTolerance, PredictionLog log,
                              MeterRegistry meters, Clock clock, ScheduledExecutorService scheduler,
                              Executor shadowExecutor, Duration pollInterval, boolean rejectUnknown,
                              ServerListener listener) {
        this(registry, model, challenger, shadow, challengerPercent, shadowTolerance, log, meters, clock, scheduler,
                shadowExecutor, pollInterval, rejectUnknown, listener, Duration.ZERO, 1, false, true);
    }

    /**
     * Use {@link ModelServer#builder()}. {@code batchWait} zero disables micro-batching; {@code ownsLog} closes the
     * log with the server.
     */
    public DefaultModelServer(ModelRegistry registry, String model, String challenger, boolean shadow,
                              double challengerPercent, double shadowTolerance, PredictionLog log,
                              MeterRegistry meters, Clock clock, ScheduledExecutorService scheduler,
                              Executor shadowExecutor, Duration pollInterval, boolean rejectUnknown,
                              ServerListener listener, Duration batchWait, int maxBatchSize, boolean ownsLog,
                              boolean pushAliasChanges) {
        this.batchWaitNanos = batchWait.toNanos();
        this.maxBatchSize = maxBatchSize;
        this.ownsLog = ownsLog;
        this.registry = registry;
        this.primary = new Slot(model, Role.PRIMARY);
        this.challenger = challenger == null ? null : new Slot(challenger, Role.CHALLENGER);
        this.shadow = shadow;
        this.challengerBuckets = (int) Math.round(challengerPercent * (BUCKETS / 100.0));
        this.shadowTolerance = shadowTolerance;
        this.log = log;
        // the no-op log discards records: skip building them (clock read, input map, record copy) on the hot path
        this.logging = log != PredictionLog.noop();
        this.meters = meters;
        this.clock = clock;
        this.rejectUnknown = rejectUnknown;
        this.listener = listener;
        String rest = model.substring("models:/".length());
        this.modelName = rest.substring(0, Math.max(rest.lastIndexOf('@'), rest.lastIndexOf('/')));
        gauge(primary);
        if (this.challenger != null) {
            gauge(this.challenger);
        }
        if (shadow && shadowExecutor == null) {
            ownedShadowExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(1024), daemon("mlops-serving-shadow"));
            this.shadowExecutor = ownedShadowExecutor;
        } else {
            ownedShadowExecutor = null;
            this.shadowExecutor = shadowExecutor;
        }
        if (pollInterval.isZero()) {
            this.scheduler = scheduler;
            this.ownsScheduler = false;
            this.polling = null;
        } else {
            this.ownsScheduler = scheduler == null;
            this.scheduler = scheduler != null ? scheduler
                    : Executors.newSingleThreadScheduledExecutor(daemon("mlops-serving-loader"));
            this.polling = this.scheduler.scheduleWithFixedDelay(this::poll, 0, pollInterval.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        // the push hook: an alias moved through this registry instance reloads at once, not at the next poll
        this.subscription = polling != null && pushAliasChanges ? registry.onAliasChange(this::aliasMoved) : null;
    }

    /** Called by the registry after an alias move committed (on the mover's thread): hand the reload to the loader. */
    private void aliasMoved(AliasChange change) {
        if (closed || !change.model().equals(modelName)) {
            return;
        }
        for (Slot slot : challenger == null ? new Slot[] {primary} : new Slot[] {primary, challenger}) {
            if (change.alias().equals(slot.alias)) {
                try {
                    scheduler.execute(() -> {
                        if (!closed) {
                            try {
                                refresh(slot);
                            } catch (RuntimeException e) {
                                LOG.error("model server {}: reloading after an alias move failed unexpectedly; the"
                                        + " next poll retries", slot.uri, e);
                            }
                        }
                    });
                } catch (RejectedExecutionException e) {
                    LOG.debug("model server {}: loader gone (closing); alias move {} left to nobody", slot.uri, change);
                }
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void gauge(Slot slot) {
        Gauge.builder("mlops.serving.loaded.version", slot, s -> {
            Loaded l = s.current.get();
            return l == null ? Double.NaN : l.version.version();
        }).description("the version answering for a URI, NaN before the first load")
                .tags("model", modelName, "uri", slot.uri).register(meters);
    }

    // ----------------------------------------------------------------------------------------- loading

    private void poll() {
        if (closed) {
            return;
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            // refresh reports load failures itself; this is a defect (e.g. a meter registry failing): keep polling
            LOG.error("model server {}: refreshing failed unexpectedly; will retry at the next poll", primary.uri, e);
        }
    }

    @Override
    public ServerHealth refresh() {
        refresh(primary);
        if (challenger != null) {
            refresh(challenger);
        }
        return health();
    }

    private void refresh(Slot slot) {
        synchronized (slot) {
            ModelVersion target;
            try {
                target = registry.resolve(slot.uri);
            } catch (RuntimeException e) {
                if (slot.lastFailure == null || slot.lastFailure.version() != null
                        || !slot.lastFailure.message().equals(String.valueOf(e.getMessage()))) {
                    fail(slot, null, e);
                }
                return;
            }
            Loaded current = slot.current.get();
            if (current != null && current.version.version() == target.version()) {
                slot.failedVersion = null;
                if (slot.lastFailure != null && slot.lastFailure.version() == null) {
                    slot.lastFailure = null;
                }
                return;
            }
            if (Objects.equals(slot.failedVersion, target.version())) {
                return;
            }
            Loaded next;
            try {
                Predictor predictor = registry.load(target.uri());
                next = new Loaded(predictor.version(), predictor, clock.instant(), slot.role, meters, batchWaitNanos,
                        maxBatchSize);
            } catch (RuntimeException e) {
                slot.failedVersion = target.version();
                fail(slot, target.version(), e);
                return;
            }
            slot.current.set(next);
            slot.failedVersion = null;
            slot.lastFailure = null;
            loads(slot, "success").increment();
            Integer previous = current == null ? null : current.version.version();
            LOG.info("model server: {} now answers with version {} (was {})", slot.uri, target.version(), previous);
            if (slot == primary) {
                ready.countDown();
            }
            try {
                listener.versionLoaded(slot.uri, previous, target.version());
            } catch (RuntimeException e) {
                LOG.warn("model server: listener failed on versionLoaded({}, {})", slot.uri, target.version(), e);
            }
        }
    }

    private void fail(Slot slot, Integer version, RuntimeException e) {
        LoadFailure failure = new LoadFailure(slot.uri, version, clock.instant(), String.valueOf(e.getMessage()));
        slot.lastFailure = failure;
        loads(slot, "failure").increment();
        Loaded current = slot.current.get();
        LOG.error("model server: cannot follow {} to version {}; {} keeps answering", slot.uri, version,
                current == null ? "nothing" : "version " + current.version.version(), e);
        try {
            listener.loadFailed(failure, e);
        } catch (RuntimeException le) {
            LOG.warn("model server: listener failed on loadFailed({})", failure, le);
        }
    }

    private Counter loads(Slot slot, String result) {
        return Counter.builder("mlops.serving.loads").description("attempts to load the version a URI names")
                .tags("model", modelName, "uri", slot.uri, "result", result).register(meters);
    }

    // ----------------------------------------------------------------------------------------- serving

    @Override
    public ServedPrediction predict(Map<String, ?> features) {
        return predict(null, features);
    }

    @Override
    public ServedPrediction predict(String requestKey, Map<String, ?> features) {
        long start = System.nanoTime();
        Loaded model = route(requestKey);
        return serve(model, model.role, requestKey, checked(model, 0, features), start);
    }

    @Override
    public List<ServedPrediction> predictAll(String requestKey, List<? extends Map<String, ?>> rows) {
        Objects.requireNonNull(rows, "rows");
        long start = System.nanoTime();
        Loaded model = route(requestKey);
        List<InputCheck.Checked> inputs = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            inputs.add(checked(model, r, rows.get(r)));
        }
        List<ServedPrediction> out = new ArrayList<>(rows.size());
        if (model.predictor instanceof BatchingPredictor b && rows.size() > 1) {
            // one model call for the whole request; each row's latency is the shared call's
            List<Prediction> predictions;
            try {
                List<double[]> values = new ArrayList<>(rows.size());
                for (InputCheck.Checked in : inputs) {
                    values.add(in.values);
                }
                predictions = b.predictInputs(values);
            } catch (RuntimeException e) {
                error(model, model.role, "model");
                throw e;
            }
            long latency = System.nanoTime() - start;
            for (int r = 0; r < rows.size(); r++) {
                out.add(served(model, model.role, requestKey, inputs.get(r), predictions.get(r), latency));
            }
            return out;
        }
        for (int r = 0; r < rows.size(); r++) {
            out.add(serve(model, model.role, requestKey, inputs.get(r), r == 0 ? start : System.nanoTime()));
        }
        return out;
    }

    private Loaded route(String requestKey) {
        if (closed) {
            throw new IllegalStateException("model server for " + primary.uri + " is closed");
        }
        if (challenger != null && !shadow && challengerBuckets > 0) {
            int bucket = requestKey == null ? ThreadLocalRandom.current().nextInt(BUCKETS) : bucket(requestKey);
            if (bucket < challengerBuckets) {
                Loaded c = challenger.current.get();
                if (c != null) {
                    return c;
                }
            }
        }
        Loaded p = primary.current.get();
        if (p == null) {
            error(null, Role.PRIMARY, "not_ready");
            LoadFailure failure = primary.lastFailure;
            throw new ModelNotReadyException("no version of " + primary.uri + " is loaded yet"
                    + (failure == null ? " (first load pending)" : "; last failure: " + failure.message())
                    + ". Fix: wait for health().ready(), or check that the alias exists and its version loads");
        }
        return p;
    }

    /** The split bucket of a request key: FNV-1a over its chars, stable across JVMs and runs. */
    static int bucket(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        return (int) Math.floorMod(h, (long) BUCKETS);
    }

    private InputCheck.Checked checked(Loaded model, int row, Map<String, ?> features) {
        try {
            return InputCheck.check(model, row, features, rejectUnknown);
        } catch (InvalidInputException e) {
            error(model, model.role, "invalid_input");
            throw e;
        }
    }

    private ServedPrediction serve(Loaded model, Role role, String requestKey, InputCheck.Checked inputs, long start) {
        Prediction prediction;
        try {
            // validated once above: the model gets the numbers, not the map again
            prediction = model.batcher != null ? model.batcher.predictValues(inputs.values)
                    : model.validated != null ? model.validated.predictValidated(inputs.values)
                    : model.predictor.predict(inputs.map());
        } catch (RuntimeException e) {
            error(model, role, "model");
            throw e;
        }
        return served(model, role, requestKey, inputs, prediction, System.nanoTime() - start);
    }

    private ServedPrediction served(Loaded model, Role role, String requestKey, InputCheck.Checked inputs,
                                    Prediction prediction, long latency) {
        model.latency.record(latency, TimeUnit.NANOSECONDS);
        model.requests.increment();
        if (logging) {
            append(model, requestKey, inputs.map(), prediction, latency);
        }
        if (shadow) {
            shadow(requestKey, model, inputs.map(), prediction);
        }
        return new ServedPrediction(model.version.model(), model.version.version(), role, prediction, latency);
    }

    private void append(Loaded model, String requestKey, Map<String, Object> inputs, Prediction prediction,
                        long latency) {
        try {
            log.append(new PredictionRecord(model.version.model(), model.versionTag, clock.instant(), requestKey,
                    inputs, prediction.value(), latency));
        } catch (RuntimeException e) {
            // the prediction itself succeeded: a log that cannot take records must not fail serving
            Counter.builder("mlops.serving.log.failures").tags("model", modelName).register(meters).increment();
            LOG.warn("model server: the prediction log rejected a record of {}", model.version.uri(), e);
        }
    }

    private void shadow(String requestKey, Loaded served, Map<String, Object> inputs, Prediction answer) {
        Loaded s = challenger.current.get();
        if (s == null) {
            return;
        }
        try {
            shadowExecutor.execute(() -> runShadow(s, requestKey, served, inputs, answer));
        } catch (RejectedExecutionException e) {
            shadowCounter("result", "rejected");
        }
    }

    private void runShadow(Loaded s, String requestKey, Loaded served, Map<String, Object> inputs, Prediction answer) {
        long start = System.nanoTime();
        Prediction p;
        try {
            InputCheck.Checked in = InputCheck.check(s, 0, inputs, rejectUnknown);
            p = s.validated != null ? s.validated.predictValidated(in.values) : s.predictor.predict(in.map());
        } catch (RuntimeException e) {
            shadowCounter("result", "failed");
            LOG.warn("model server: shadow {} failed on a request", s.version.uri(), e);
            return;
        }
        long latency = System.nanoTime() - start;
        s.latency.record(latency, TimeUnit.NANOSECONDS);
        s.requests.increment();
        append(s, requestKey, inputs, p, latency);
        boolean agree = agree(answer.value(), p.value());
        shadowCounter("agree", Boolean.toString(agree));
        try {
            listener.shadowCompared(new ShadowComparison(requestKey, served.version.version(), s.version.version(),
                    answer.value(), p.value(), agree));
        } catch (RuntimeException e) {
            LOG.warn("model server: listener failed on shadowCompared", e);
        }
    }

    private boolean agree(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return Math.abs(x - y) <= shadowTolerance;
        }
        return a.equals(b);
    }

    private void shadowCounter(String key, String value) {
        Counter.builder("mlops.serving.shadow").description("shadow predictions by outcome")
                .tags("model", modelName, key, value).register(meters).increment();
    }

    private void error(Loaded model, Role role, String cause) {
        Counter.builder("mlops.serving.errors").description("failed requests by cause")
                .tags("model", modelName, "version", model == null ? "none" : model.versionTag,
                        "role", role.name().toLowerCase(java.util.Locale.ROOT), "cause", cause)
                .register(meters).increment();
    }

    // ----------------------------------------------------------------------------------------- lifecycle

    @Override
    public ServerHealth health() {
        return new ServerHealth(primary.current.get() != null, primary.status(),
                challenger == null ? null : challenger.status());
    }

    @Override
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (subscription != null) {
            subscription.close();
        }
        if (polling != null) {
            polling.cancel(false);
        }
        if (ownsScheduler) {
            scheduler.shutdown();
        }
        if (ownedShadowExecutor != null) {
            ownedShadowExecutor.shutdown();
        }
        if (ownsLog) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.warn("model server: closing the default prediction log failed", e);
            }
        }
    }
}
