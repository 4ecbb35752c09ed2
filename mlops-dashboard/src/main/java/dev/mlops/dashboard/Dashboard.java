package dev.mlops.dashboard;

import dev.mlops.core.flow.RunHistory;
import dev.mlops.core.http.BearerToken;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.dashboard.internal.DashboardServer;
import dev.mlops.dashboard.internal.Sources;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftReport;
import dev.mlops.features.FeatureStore;
import dev.mlops.rag.CostTracker;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.ResponseCache;
import dev.mlops.registry.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * A monitoring dashboard served by the SDK itself: HTML pages over the components a host already has, on the JDK's
 * built-in HTTP server, with charts drawn as inline SVG on the server (no JavaScript, no CDN, no external resource).
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.builder()
 *         .flows(engine.history())
 *         .registry(registry)
 *         .serving(predictionLog, "breast-cancer").servingMeters(meters)
 *         .drift(monitor)
 *         .features(featureStore).featureMeters(featureMeters)
 *         .start()) {
 *     log.info("dashboard: {}", dashboard.uri());           // http://127.0.0.1:8765/?token=...
 * }
 * }</pre>
 *
 * <p><b>Pages.</b> {@code /} (overview), {@code /flows}, {@code /registry}, {@code /serving}, {@code /drift},
 * {@code /rag}, {@code /features}. Every source is optional; a page whose source is not configured says which
 * builder method configures it. Pages are computed from the sources at each request; see {@code docs/dashboard.md}
 * for exactly what each shows.
 *
 * <p><b>Security.</b> Every page needs the bearer token, presented as {@code Authorization: Bearer <token>}, as the
 * HttpOnly cookie the dashboard sets, or once as the query parameter {@code ?token=<token>}: a request carrying a
 * valid query token is answered {@code 303 See Other} to the same path without the token, with the cookie set
 * ({@code HttpOnly; SameSite=Strict; Path=/}), so a browser can open the URL {@link #uri()} prints and the token
 * leaves the address bar. Tokens are compared in constant time ({@link BearerToken}). Without a token the answer is
 * {@code 401}. Without {@link Builder#bearerToken} a random 128-bit token is generated; {@link
 * Builder#withoutAuthentication()} serves without one, only on a loopback address, and logs a loud warning. The
 * default bind address is loopback. Only {@code GET} and {@code HEAD} are served; every answer has a
 * {@code Content-Security-Policy} that forbids scripts and external resources, {@code Cache-Control: no-store} and
 * {@code Referrer-Policy: no-referrer}. All text from the sources (model names, column names, comments, errors) is
 * HTML-escaped.
 *
 * <p><b>Meters.</b> {@code mlops.dashboard.requests} (counter, tags {@code page}, {@code status}).
 */
public interface Dashboard extends AutoCloseable {

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The URL a browser can open: the root page, with {@code ?token=<token>} when the dashboard has a token. Treat it
     * like the token itself.
     */
    URI uri();

    /** The root page's URL without the token. */
    URI baseUri();

    /** The bound address (with the actual port when port 0 was asked for). */
    InetSocketAddress address();

    /** Stops the server (waiting up to one second for requests in flight). Closes no source. Idempotent. */
    @Override
    void close();

    /** Configures and starts a {@link Dashboard}; not thread-safe. */
    final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 8765;
        private BearerToken token;
        private boolean unauthenticated;
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private MeterRegistry meterRegistry;
        private RunHistory flows;
        private int flowRuns = 50;
        private ModelRegistry registry;
        private PredictionLog servingLog;
        private final List<String> servingModels = new ArrayList<>();
        private MeterRegistry servingMeters;
        private Duration servingWindow = Duration.ofHours(24);
        private final List<DriftMonitor> monitors = new ArrayList<>();
        private final Map<String, DriftReport> driftReports = new LinkedHashMap<>();
        private final Map<String, Map<String, Double>> ragEvaluations = new LinkedHashMap<>();
        private FeedbackStore feedback;
        private ResponseCache cache;
        private CostTracker cost;
        private FeatureStore features;
        private final List<String> featureViews = new ArrayList<>();
        private MeterRegistry featureMeters;
        private Duration featureMaxAge;

        private Builder() { }

        /** The address to bind; default loopback. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** The port, 0 for an ephemeral one; default 8765. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token; at least 16 characters. Default: a random 32-hex-character token, shown by {@link #uri()}. */
        public Builder bearerToken(String token) {
            this.token = BearerToken.of(token);
            return this;
        }

        /** Serves without authentication: only on a loopback address, with a warning logged at start. */
        public Builder withoutAuthentication() {
            this.unauthenticated = true;
            return this;
        }

        /** The clock that decides "now" (ages, the serving window, running durations); default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs the requests; default a private pool of 2 daemon threads, shut down on close. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Where the dashboard's own meters go; default a private {@link SimpleMeterRegistry}. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The flows page: the run history of a flow engine ({@code engine.history()}). */
        public Builder flows(RunHistory history) {
            this.flows = Objects.requireNonNull(history, "history");
            return this;
        }

        /** How many recent runs the flows page lists and charts; default 50. */
        public Builder flowRuns(int runs) {
            if (runs < 1 || runs > 10_000) {
                throw new IllegalArgumentException("flowRuns must be in [1, 10000], but was " + runs);
            }
            this.flowRuns = runs;
            return this;
        }

        /** The registry page: models, versions, aliases and their history, metric comparisons, recent runs. */
        public Builder registry(ModelRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * The serving page: traffic and latency per version of each model, from the records of {@code log} in the
         * {@linkplain #servingWindow window} ending now.
         *
         * @throws IllegalArgumentException if no model is named or a name is blank
         */
        public Builder serving(PredictionLog log, String... models) {
            Objects.requireNonNull(log, "log");
            if (models.length == 0) {
                throw new IllegalArgumentException("serving(log, models...) needs at least one model name. Fix: "
                        + "name the models whose traffic to show, e.g. serving(log, \"churn\")");
            }
            for (String m : models) {
                if (m == null || m.isBlank()) {
                    throw new IllegalArgumentException("serving model names must not be blank, but got "
                            + (m == null ? "null" : "'" + m + "'"));
                }
            }
            this.servingLog = log;
            this.servingModels.clear();
            this.servingModels.addAll(List.of(models));
            return this;
        }

        /** Also show the live serving meters ({@code mlops.serving.*}) of the registry given to the {@code ModelServer}. */
        public Builder servingMeters(MeterRegistry meters) {
            this.servingMeters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** How far back the serving page reads the prediction log; default 24 hours. */
        public Builder servingWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("servingWindow must be positive, but was " + window);
            }
            this.servingWindow = window;
            return this;
        }

        /** The drift page: a monitor's windows over time and its latest report; may be called for several monitors. */
        public Builder drift(DriftMonitor monitor) {
            this.monitors.add(Objects.requireNonNull(monitor, "monitor"));
            return this;
        }

        /** The drift page: a report computed elsewhere, under a title; a second report with the same title replaces it. */
        public Builder driftReport(String title, DriftReport report) {
            this.driftReports.put(requireText(title, "title"), Objects.requireNonNull(report, "report"));
            return this;
        }

        /**
         * The RAG page: evaluation scores of one configuration ({@code RetrievalMetrics.Result#metrics()}, e.g.
         * {@code nDCG@10}), under a name such as {@code "hybrid"}; call once per configuration.
         */
        public Builder ragEvaluation(String name, Map<String, Double> scores) {
            Objects.requireNonNull(scores, "scores");
            this.ragEvaluations.put(requireText(name, "name"), Map.copyOf(scores));
            return this;
        }

        /** The RAG page: the feedback journal. */
        public Builder ragFeedback(FeedbackStore feedback) {
            this.feedback = Objects.requireNonNull(feedback, "feedback");
            return this;
        }

        /** The RAG page: the response cache, for its hit rate. */
        public Builder ragCache(ResponseCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** The RAG page: the cost tracker of the generators. */
        public Builder ragCost(CostTracker cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /**
         * The feature store page: freshness of each view named by {@link #featureViews} or found as a
         * {@code mlops.features.freshness.seconds} gauge in the {@linkplain #featureMeters feature meters}.
         */
        public Builder features(FeatureStore store) {
            this.features = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Views whose freshness the feature page shows (besides those found in the meters). */
        public Builder featureViews(String... views) {
            for (String v : views) {
                this.featureViews.add(requireText(v, "view"));
            }
            return this;
        }

        /**
         * The meter registry given to the feature store (and to the code that reads it online): the page shows its
         * {@code mlops.features.online.read} timers (online read latency) and finds views by their freshness gauges.
         */
        public Builder featureMeters(MeterRegistry meters) {
            this.featureMeters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** Views older than this are marked STALE on the feature page; default: no threshold. */
        public Builder featureMaxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("featureMaxAge must be positive, but was " + maxAge);
            }
            this.featureMaxAge = maxAge;
            return this;
        }

        /**
         * Binds and starts the dashboard.
         *
         * @throws IllegalStateException        if both a token and {@link #withoutAuthentication()} are set, or an
         *                                      unauthenticated dashboard would bind to a non-loopback address
         * @throws java.io.UncheckedIOException if the address cannot be bound
         */
        public Dashboard start() {
            BearerToken effective = token;
            if (effective == null && !unauthenticated) {
                effective = BearerToken.random(new SecureRandom());
            }
            BearerToken.checkExposure("the dashboard", bindAddress, effective != null, unauthenticated,
                    "bearerToken(secret)");
            Sources sources = new Sources(clock, flows, flowRuns, registry, servingLog, List.copyOf(servingModels),
                    servingMeters, servingWindow, List.copyOf(monitors), new LinkedHashMap<>(driftReports),
                    new LinkedHashMap<>(ragEvaluations), feedback, cache, cost, features, List.copyOf(featureViews),
                    featureMeters, featureMaxAge);
            return DashboardServer.start(sources, new InetSocketAddress(bindAddress, port), effective, executor,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry);
        }

        private static String requireText(String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank, but was "
                        + (s == null ? "null" : "'" + s + "'"));
            }
            return s;
        }
    }
}
