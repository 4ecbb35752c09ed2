package dev.mlops.registry.serving;

import dev.mlops.core.http.BearerToken;
import dev.mlops.registry.serving.internal.HttpModelEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * An HTTP front for a {@link ModelServer} on the JDK's built-in server ({@code jdk.httpserver}).
 *
 * <ul>
 *   <li>{@code POST /predict} — body {@code {"rows": [{"feature": 1.5, ...}, ...], "key": "user-7"}} ({@code key}
 *       optional: sticky routing and the records' request id). Answer {@code 200}
 *       {@code {"model": "m", "predictions": [{"version": 3, "role": "primary", "value": "1",
 *       "scores": {"0": 0.1, "1": 0.9}}, ...]}}; all rows of one request are answered by one version.</li>
 *   <li>{@code GET /health} — {@code 200} when ready, {@code 503} when not; body: the loaded versions, load times
 *       and last failures.</li>
 *   <li>{@code GET /version} — {@code {"model": "m", "uri": ..., "version": 3, "loadedAt": ...}}.</li>
 *   <li>{@code GET /metrics} — the text of the {@linkplain Builder#metrics metrics supplier} (Prometheus exposition
 *       format when given {@code prometheusRegistry::scrape}); {@code 404} when none is configured.</li>
 * </ul>
 *
 * <p><b>Authentication.</b> Every path needs {@code Authorization: Bearer <token>} (compared in constant time). A
 * server built without a token logs a warning at start and may only bind to a loopback address.
 *
 * <p><b>Errors.</b> Always a JSON body {@code {"error": "<code>", "message": "..."}}: {@code 400 malformed_json},
 * {@code 400 invalid_input} (the message names the row, the feature and the value), {@code 401 unauthorized},
 * {@code 404 not_found}, {@code 405 method_not_allowed}, {@code 413 too_large} (body over {@link
 * Builder#maxRequestBytes} or more rows than {@link Builder#maxRows}), {@code 503 not_ready}; an unexpected failure is
 * {@code 500 internal} with no stack trace (it is logged).
 */
public interface ModelEndpoint extends AutoCloseable {

    /** A new builder. */
    static Builder builder() {
        return new Builder();
    }

    /** The bound address (with the actual port when port 0 was asked for). */
    InetSocketAddress address();

    /** Stops accepting requests, waits up to one second for exchanges in flight, and stops. Idempotent. */
    @Override
    void close();

    /** Configures and starts a {@link ModelEndpoint}; not thread-safe. */
    final class Builder {
        private ModelServer server;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 8080;
        private BearerToken token;
        private boolean unauthenticated;
        private int maxRequestBytes = 1 << 20;
        private int maxRows = 1_000;
        private Supplier<String> metrics;
        private Executor executor;

        private Builder() { }

        /** The server to front (required; not closed by the endpoint). */
        public Builder server(ModelServer server) {
            this.server = Objects.requireNonNull(server, "server");
            return this;
        }

        /** The address to bind; default loopback. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** The port, 0 for an ephemeral one; default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [0, 65535], but was " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token clients must send; at least 16 characters. */
        public Builder bearerToken(String token) {
            this.token = BearerToken.of(token);
            return this;
        }

        /**
         * Serves without authentication. Only allowed on a loopback address; logged as a warning at start.
         */
        public Builder withoutAuthentication() {
            this.unauthenticated = true;
            return this;
        }

        /** Largest accepted request body in bytes; default 1 MiB. */
        public Builder maxRequestBytes(int bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 64, but was " + bytes);
            }
            this.maxRequestBytes = bytes;
            return this;
        }

        /** Most rows accepted in one request; default 1,000. */
        public Builder maxRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("maxRows must be >= 1, but was " + rows);
            }
            this.maxRows = rows;
            return this;
        }

        /** What {@code GET /metrics} returns, e.g. {@code prometheusMeterRegistry::scrape}. */
        public Builder metrics(Supplier<String> metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Runs the exchanges; default a private pool of 4 daemon threads, shut down on close. */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Binds and starts the endpoint.
         *
         * @throws IllegalStateException      if no server is set, if both or neither of a token and {@link
         *                                    #withoutAuthentication()} are set, or if an unauthenticated endpoint
         *                                    would bind to a non-loopback address
         * @throws java.io.UncheckedIOException if the address cannot be bound
         */
        public ModelEndpoint start() {
            if (server == null) {
                throw new IllegalStateException("server is not set. Fix: call server(modelServer)");
            }
            BearerToken.checkExposure("the model endpoint", bindAddress, token != null, unauthenticated,
                    "bearerToken(secret)");
            return HttpModelEndpoint.start(server, new InetSocketAddress(bindAddress, port), token, maxRequestBytes,
                    maxRows, metrics, executor);
        }
    }
}
