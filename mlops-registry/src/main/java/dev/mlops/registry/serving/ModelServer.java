package dev.mlops.registry.serving;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.serving.internal.DefaultModelServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Serves a registered model in-process by URI, usually an alias ({@code models:/breast-cancer@champion}).
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.builder()
 *         .registry(registry)
 *         .model("models:/breast-cancer@champion")
 *         .predictionLog(log)
 *         .build()) {
 *     server.awaitReady(Duration.ofSeconds(10));
 *     ServedPrediction p = server.predict(Map.of("mean radius", 1.2, ...));
 *     p.label();     // "1"
 *     p.version();   // the version that answered
 * }
 * }</pre>
 *
 * <p><b>Following the alias.</b> The registry pushes every alias move made through it
 * ({@link ModelRegistry#onAliasChange}), and the server reloads at once on its loader; as a fallback for moves made by
 * other processes sharing the registry's home, a loader task on the injected scheduler also resolves each URI every
 * {@linkplain Builder#pollInterval poll interval} (and {@link #refresh()} does it at once, on the caller's thread).
 * When the alias points at another version (promotion, rollback), that version is loaded off the request path and
 * swapped in atomically: requests read one immutable loaded-model holder, so none waits for or fails because of a
 * swap, and each {@link ServedPrediction} names the version that answered. If the new version fails to load (corrupt
 * file, unsupported flavor, no signature), the current one keeps answering, and the failure shows in
 * {@link #health()}, the {@code mlops.serving.loads{result=failure}} counter and
 * {@link ServerListener#loadFailed}; it is not retried until the alias moves again.
 *
 * <p><b>Validation.</b> Each row is checked against the answering version's signature before the model sees it: a
 * missing feature, a feature the signature does not have, a null, a value of the wrong type (a string or boolean for
 * a number, a fraction for a LONG) or NaN/infinity is an {@link InvalidInputException} naming the row, the feature
 * and the value; nothing of the request is predicted or logged.
 *
 * <p><b>Routing.</b> Optionally a challenger URI either takes a percentage of the traffic ({@link
 * Builder#challenger}; a request with a key always goes to the same side, chosen by a hash of the key) or runs in
 * shadow ({@link Builder#shadow}): it sees every request on the shadow executor, its answers are logged and compared
 * with the primary's, never returned, and its failures or slowness never reach the caller. While the challenger is not
 * loaded, all traffic goes to the primary.
 *
 * <p><b>Records and meters.</b> Every returned prediction (and every shadow prediction) is appended to the
 * {@link PredictionLog} as a {@link dev.mlops.core.spi.PredictionRecord} (inputs, output, version, latency, request
 * key as request id). Meters, tagged {@code model}, {@code version} and {@code role}: timer
 * {@code mlops.serving.latency} (p50, p90, p99), counter {@code mlops.serving.requests}, counter
 * {@code mlops.serving.errors} (tag {@code cause}: {@code invalid_input}, {@code not_ready}, {@code model}),
 * counter {@code mlops.serving.loads} (tags {@code uri}, {@code result}), gauge {@code mlops.serving.loaded.version}
 * (tag {@code uri}), counter {@code mlops.serving.shadow} (tags {@code agree}, or {@code result=failed|rejected}).
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe. {@link #close()} stops following aliases (and shuts down the
 * scheduler and shadow executor only when the server created them); it does not close the registry, nor a log
 * given to {@link Builder#predictionLog} (the default log of {@link Builder#home} is closed with the server).
 */
public interface ModelServer extends AutoCloseable {

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Predicts one row, routed without a key.
     *
     * @throws InvalidInputException  if the row does not match the signature
     * @throws ModelNotReadyException if no version is loaded yet
     */
    ServedPrediction predict(Map<String, ?> features);

    /**
     * Predicts one row; {@code requestKey} (e.g. a user id, may be {@code null}) makes the traffic split sticky and
     * becomes the prediction record's request id.
     *
     * @throws InvalidInputException  if the row does not match the signature
     * @throws ModelNotReadyException if no version is loaded yet
     */
    ServedPrediction predict(String requestKey, Map<String, ?> features);

    /**
     * Predicts several rows with one version (all rows are answered by the same model version), after validating
     * every row: if any row is invalid, none is predicted.
     *
     * @throws InvalidInputException  naming the first invalid row
     * @throws ModelNotReadyException if no version is loaded yet
     */
    List<ServedPrediction> predictAll(String requestKey, List<? extends Map<String, ?>> rows);

    /** Readiness, the loaded versions, when they were loaded, and the latest load failures. */
    ServerHealth health();

    /** Waits until the primary slot has a loaded version; returns false on timeout. */
    boolean awaitReady(Duration timeout) throws InterruptedException;

    /** Resolves the URIs now, on this thread, and loads and swaps in what changed; returns {@link #health()}. */
    ServerHealth refresh();

    /** Stops following the aliases; predictions still in flight complete. Idempotent. */
    @Override
    void close();

    /** Configures a {@link ModelServer}; not thread-safe. */
    final class Builder {
        private ModelRegistry registry;
        private String model;
        private String challenger;
        private double challengerPercent = -1;
        private boolean shadow;
        private double shadowTolerance = 1e-9;
        private PredictionLog predictionLog = PredictionLog.noop();
        private MeterRegistry meterRegistry;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;
        private Executor shadowExecutor;
        private Duration pollInterval = Duration.ofSeconds(5);
        private boolean rejectUnknownFeatures = true;
        private ServerListener listener = ServerListener.NONE;
        private boolean logSet;
        private Path home;
        private Duration batchWait = Duration.ZERO;
        private int maxBatchSize = 64;
        private boolean pushAliasChanges = true;

        private Builder() { }

        /** The registry to resolve and load from (required; not closed by the server). */
        public Builder registry(ModelRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The primary URI, {@code models:/name@alias} (followed) or {@code models:/name/3} (fixed). Required. */
        public Builder model(String uri) {
            this.model = checkUri("model", uri);
            return this;
        }

        /**
         * Sends {@code percent} (0 to 100) of the traffic to the challenger URI, which must name the same model.
         *
         * @throws IllegalStateException if {@link #shadow} was set
         */
        public Builder challenger(String uri, double percent) {
            if (shadow) {
                throw new IllegalStateException("challenger(" + uri + ", " + percent + ") conflicts with shadow(...): "
                        + "a challenger either takes a share of the traffic or runs in shadow. Fix: call one of them");
            }
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("challenger percent must be in [0, 100], but was " + percent);
            }
            this.challenger = checkUri("challenger", uri);
            this.challengerPercent = percent;
            return this;
        }

        /**
         * Runs the challenger URI in shadow: it predicts every request on the shadow executor; its answers are logged
         * and compared, never returned.
         *
         * @throws IllegalStateException if {@link #challenger} was set
         */
        public Builder shadow(String uri) {
            if (challengerPercent >= 0) {
                throw new IllegalStateException("shadow(" + uri + ") conflicts with challenger(...): a challenger "
                        + "either takes a share of the traffic or runs in shadow. Fix: call one of them");
            }
            this.challenger = checkUri("shadow", uri);
            this.shadow = true;
            return this;
        }

        /** How far two regression values may differ and still count as agreeing in shadow mode; default 1e-9. */
        public Builder shadowTolerance(double tolerance) {
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("shadowTolerance must be >= 0, but was " + tolerance);
            }
            this.shadowTolerance = tolerance;
            return this;
        }

        /** Where every prediction goes; default {@link PredictionLog#noop()}. Not closed by the server. */
        public Builder predictionLog(PredictionLog predictionLog) {
            this.predictionLog = Objects.requireNonNull(predictionLog, "predictionLog");
            this.logSet = true;
            return this;
        }

        /** Where the meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /** The clock for load times and prediction timestamps; default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs the alias polling and loading; default a private single daemon thread, shut down on close. An injected
         * scheduler is not shut down.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * How often the URIs are resolved; default 5 s. Moves made through the same {@link ModelRegistry} instance
         * are also pushed (see {@link #pushAliasChanges}) and picked up at once; the poll is the fallback for moves
         * made by other processes sharing the registry's home. {@link Duration#ZERO} disables polling and the push:
         * the first load and later swaps then happen only through {@link ModelServer#refresh()}.
         */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must be >= 0, but was " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Runs shadow predictions; default a private daemon thread with a bounded queue of 1,024 (a full queue drops
         * the shadow call and counts it as {@code result=rejected}). An injected executor is not shut down.
         */
        public Builder shadowExecutor(Executor shadowExecutor) {
            this.shadowExecutor = Objects.requireNonNull(shadowExecutor, "shadowExecutor");
            return this;
        }

        /**
         * Whether to follow alias moves pushed by the registry ({@link ModelRegistry#onAliasChange}); default true.
         * When on (and polling is on), a {@code setAlias}, {@code rollback} or approved {@code promote} through the
         * same registry instance schedules the reload on the loader at once instead of waiting up to one
         * {@link #pollInterval}. Polling stays on as the fallback for other processes.
         */
        public Builder pushAliasChanges(boolean push) {
            this.pushAliasChanges = push;
            return this;
        }

        /** Whether a feature the signature does not have is an error (default true) or ignored. */
        public Builder rejectUnknownFeatures(boolean reject) {
            this.rejectUnknownFeatures = reject;
            return this;
        }

        /**
         * The server's home directory. When set and no {@link #predictionLog} is given, predictions go to core's
         * durable rolling files {@code PredictionLog.rollingFiles(home.resolve("predictions"))} (bounded disk use),
         * which the server opens at {@link #build()} and closes with itself. Without a home the default stays
         * {@link PredictionLog#noop()}.
         */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        /**
         * Micro-batching for flavors that answer many rows per call much faster than one (ONNX; Tribuo models are
         * unaffected): concurrent single-row {@code predict} calls are gathered into one model call. The first
         * request of a batch waits at most {@code maxWait} (e.g. 200 microseconds) for others, or until
         * {@code maxBatchSize} rows have gathered, and not at all when no other request is in flight; every caller
         * gets its own row's answer, validated and logged as a single request. {@link Duration#ZERO} (the default)
         * turns it off.
         */
        public Builder microBatching(Duration maxWait, int maxBatchSize) {
            Objects.requireNonNull(maxWait, "maxWait");
            if (maxWait.isNegative() || maxWait.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("microBatching maxWait must be in [0, 1 s], but was " + maxWait
                        + ". Fix: a few hundred microseconds, e.g. Duration.ofNanos(200_000)");
            }
            if (maxBatchSize < 1 || maxBatchSize > 65_536) {
                throw new IllegalArgumentException("microBatching maxBatchSize must be in [1, 65536], but was "
                        + maxBatchSize);
            }
            this.batchWait = maxWait;
            this.maxBatchSize = maxBatchSize;
            return this;
        }

        /** Lifecycle events; default {@link ServerListener#NONE}. */
        public Builder listener(ServerListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the server and schedules the first load at once on the scheduler (unless polling is disabled): the
         * server is not ready until it completes, see {@link ModelServer#awaitReady}.
         *
         * @throws IllegalStateException if the registry or model is missing, or the challenger names another model
         */
        public ModelServer build() {
            if (registry == null) {
                throw new IllegalStateException("registry is not set. Fix: call registry(...)");
            }
            if (model == null) {
                throw new IllegalStateException("model is not set. Fix: call model(\"models:/name@alias\")");
            }
            if (challenger != null && !modelName(challenger).equals(modelName(model))) {
                throw new IllegalStateException("the challenger " + challenger + " names another model than "
                        + model + ". Fix: use an alias or version of " + modelName(model));
            }
            boolean ownsLog = !logSet && home != null;
            PredictionLog log = ownsLog ? PredictionLog.rollingFiles(home.resolve("predictions")) : predictionLog;
            try {
                return new DefaultModelServer(registry, model, challenger, shadow, Math.max(0, challengerPercent),
                        shadowTolerance, log, meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry,
                        clock, scheduler, shadowExecutor, pollInterval, rejectUnknownFeatures, listener, batchWait,
                        maxBatchSize, ownsLog, pushAliasChanges);
            } catch (RuntimeException e) {
                if (ownsLog) {
                    log.close();
                }
                throw e;
            }
        }

        private static String checkUri(String what, String uri) {
            Objects.requireNonNull(uri, what);
            if (!uri.startsWith("models:/") || uri.length() <= "models:/".length()) {
                throw new IllegalArgumentException(what + " URI must look like models:/name@alias or models:/name/3,"
                        + " but was '" + uri + "'");
            }
            modelName(uri);
            return uri;
        }

        private static String modelName(String uri) {
            String rest = uri.substring("models:/".length());
            int at = rest.lastIndexOf('@');
            int slash = rest.lastIndexOf('/');
            int cut = Math.max(at, slash);
            if (cut <= 0 || cut == rest.length() - 1) {
                throw new IllegalArgumentException("model URI must look like models:/name@alias or models:/name/3, "
                        + "but was '" + uri + "'");
            }
            return rest.substring(0, cut);
        }
    }
}
