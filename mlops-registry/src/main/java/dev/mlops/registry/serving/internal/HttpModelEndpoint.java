package dev.mlops.registry.serving.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.core.http.BearerToken;
import dev.mlops.registry.serving.InvalidInputException;
import dev.mlops.registry.serving.LoadFailure;
import dev.mlops.registry.serving.ModelEndpoint;
import dev.mlops.registry.serving.ModelNotReadyException;
import dev.mlops.registry.serving.ModelServer;
import dev.mlops.registry.serving.ServedPrediction;
import dev.mlops.registry.serving.ServerHealth;
import dev.mlops.registry.serving.SlotStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link ModelEndpoint} on {@code com.sun.net.httpserver}. */
public final class HttpModelEndpoint implements ModelEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(HttpModelEndpoint.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ModelServer server;
    private final HttpServer http;
    private final BearerToken token;
    private final int maxRequestBytes;
    private final int maxRows;
    private final Supplier<String> metrics;
    private final ExecutorService ownedExecutor;
    private volatile boolean closed;

    private HttpModelEndpoint(ModelServer server, HttpServer http, BearerToken token, int maxRequestBytes, int maxRows,
                              Supplier<String> metrics, ExecutorService ownedExecutor) {
        this.server = server;
        this.http = http;
        this.token = token;
        this.maxRequestBytes = maxRequestBytes;
        this.maxRows = maxRows;
        this.metrics = metrics;
        this.ownedExecutor = ownedExecutor;
    }

    /** Use {@link ModelEndpoint#builder()}. */
    public static ModelEndpoint start(ModelServer server, InetSocketAddress address, BearerToken token, int maxRequestBytes,
                                      int maxRows, Supplier<String> metrics, Executor executor) {
        HttpServer http;
        try {
            http = HttpServer.create(address, 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the model endpoint to " + address + ": " + e.getMessage()
                    + ". Fix: choose a free port (0 for an ephemeral one)", e);
        }
        ExecutorService owned = null;
        if (executor == null) {
            AtomicInteger n = new AtomicInteger();
            owned = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "mlops-endpoint-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            executor = owned;
        }
        HttpModelEndpoint endpoint = new HttpModelEndpoint(server, http, token, maxRequestBytes, maxRows, metrics,
                owned);
        http.setExecutor(executor);
        http.createContext("/", endpoint::handle);
        http.start();
        if (token == null) {
            LOG.warn("*** MODEL ENDPOINT WITHOUT AUTHENTICATION on {} ***: anyone who can reach this address can "
                    + "call it. Bound to loopback only; set a bearer token before exposing it.", http.getAddress());
        } else {
            LOG.info("model endpoint listening on {}", http.getAddress());
        }
        return endpoint;
    }

    @Override
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        http.stop(1);
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    /** An HTTP error with its JSON code. */
    private static final class HttpError extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        HttpError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                authenticate(exchange);
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                switch (path) {
                    case "/predict" -> {
                        expect(method, "POST", path);
                        predict(exchange);
                    }
                    case "/health" -> {
                        expect(method, "GET", path);
                        ServerHealth h = server.health();
                        send(exchange, h.ready() ? 200 : 503, health(h));
                    }
                    case "/version" -> {
                        expect(method, "GET", path);
                        version(exchange);
                    }
                    case "/metrics" -> {
                        expect(method, "GET", path);
                        if (metrics == null) {
                            throw new HttpError(404, "not_found", "no metrics are configured on this endpoint. Fix: "
                                    + "start it with metrics(prometheusRegistry::scrape)");
                        }
                        byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
                        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                    }
                    default -> throw new HttpError(404, "not_found", "no resource at " + path
                            + "; this endpoint serves POST /predict, GET /health, GET /version and GET /metrics");
                }
            } catch (HttpError e) {
                sendError(exchange, e.status, e.code, e.getMessage());
            } catch (InvalidInputException e) {
                sendError(exchange, 400, "invalid_input", e.getMessage());
            } catch (ModelNotReadyException e) {
                sendError(exchange, 503, "not_ready", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("model endpoint: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                sendError(exchange, 500, "internal", "the server failed to answer (" + e.getClass().getSimpleName()
                        + "); details are in the server log");
            }
        }
    }

    private void authenticate(HttpExchange exchange) throws HttpError {
        if (token == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "unauthorized", "missing Authorization header. Fix: send "
                    + "'Authorization: Bearer <token>'");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "unauthorized", "the Authorization header is not a bearer token. Fix: send "
                    + "'Authorization: Bearer <token>'");
        }
        if (!token.matches(BearerToken.fromAuthorizationHeader(header))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new HttpError(401, "unauthorized", "the bearer token is wrong");
        }
    }

    private static void expect(String method, String wanted, String path) throws HttpError {
        if (!method.equals(wanted)) {
            throw new HttpError(405, "method_not_allowed", method + " " + path + " is not supported; use " + wanted);
        }
    }

    // ------------------------------------------------------------------------------------------------ handlers

    private void predict(HttpExchange exchange) throws IOException, HttpError {
        JsonNode root = parse(readBody(exchange));
        if (!root.isObject()) {
            throw new HttpError(400, "malformed_json", "the body must be a JSON object {\"rows\": [...]}, but is "
                    + kind(root));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("rows") && !name.equals("key")) {
                throw new HttpError(400, "malformed_json", "unknown field '" + name + "' in the body; expected "
                        + "\"rows\" and optionally \"key\"");
            }
        }
        JsonNode rows = root.get("rows");
        if (rows == null || !rows.isArray()) {
            throw new HttpError(400, "malformed_json", "\"rows\" must be an array of objects (feature name to "
                    + "value), but is " + (rows == null ? "missing" : kind(rows)));
        }
        if (rows.isEmpty()) {
            throw new HttpError(400, "malformed_json", "\"rows\" is empty; send at least one row");
        }
        if (rows.size() > maxRows) {
            throw new HttpError(413, "too_large", "the request has " + rows.size() + " rows; at most " + maxRows
                    + " are accepted. Fix: split it");
        }
        JsonNode keyNode = root.get("key");
        if (keyNode != null && !keyNode.isTextual() && !keyNode.isNull()) {
            throw new HttpError(400, "malformed_json", "\"key\" must be a string, but is " + kind(keyNode));
        }
        String key = keyNode == null || keyNode.isNull() ? null : keyNode.asText();
        List<Map<String, Object>> features = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isObject()) {
                throw new HttpError(400, "malformed_json", "rows[" + r + "] must be an object of feature name to "
                        + "value, but is " + kind(row));
            }
            Map<String, Object> values = LinkedHashMap.newLinkedHashMap(row.size());
            for (Map.Entry<String, JsonNode> field : row.properties()) {
                JsonNode v = field.getValue();
                Object value;
                if (v.isNull()) {
                    value = null;
                } else if (v.isBoolean()) {
                    value = v.booleanValue();
                } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                    value = v.longValue();
                } else if (v.isNumber()) {
                    value = v.doubleValue();
                } else if (v.isTextual()) {
                    value = v.textValue();
                } else {
                    throw new InvalidInputException(r, field.getKey(), "row " + r + ": feature '" + field.getKey()
                            + "' is " + kind(v) + ", but features are numbers or booleans");
                }
                values.put(field.getKey(), value);
            }
            features.add(values);
        }
        List<ServedPrediction> answers = server.predictAll(key, features);
        ObjectNode out = JSON.createObjectNode();
        out.put("model", answers.get(0).model());
        ArrayNode predictions = out.putArray("predictions");
        for (ServedPrediction p : answers) {
            ObjectNode one = predictions.addObject();
            one.put("version", p.version());
            one.put("role", p.role().name().toLowerCase(Locale.ROOT));
            if (p.value() instanceof Double d) {
                one.put("value", d);
            } else {
                one.put("value", p.label());
            }
            ObjectNode scores = one.putObject("scores");
            p.scores().forEach(scores::put);
        }
        send(exchange, 200, out);
    }

    private byte[] readBody(HttpExchange exchange) throws IOException, HttpError {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "malformed_request", "Content-Length '" + length + "' is not a number");
            }
            if (declared > maxRequestBytes) {
                throw new HttpError(413, "too_large", "the body has " + declared + " bytes; at most "
                        + maxRequestBytes + " are accepted. Fix: send fewer rows per request");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(maxRequestBytes + 1);
            if (body.length > maxRequestBytes) {
                throw new HttpError(413, "too_large", "the body has more than " + maxRequestBytes + " bytes. Fix: "
                        + "send fewer rows per request");
            }
            return body;
        }
    }

    private static JsonNode parse(byte[] body) throws HttpError {
        if (body.length == 0) {
            throw new HttpError(400, "malformed_json", "the body is empty; send {\"rows\": [{...}]}");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new HttpError(400, "malformed_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new HttpError(400, "malformed_json", "the body could not be read as JSON: " + e.getMessage());
        }
    }

    private void version(HttpExchange exchange) throws IOException, HttpError {
        SlotStatus primary = server.health().primary();
        if (!primary.loaded()) {
            throw new HttpError(503, "not_ready", "no version of " + primary.uri() + " is loaded yet");
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("uri", primary.uri());
        out.put("version", primary.version());
        out.put("loadedAt", primary.loadedAt().toString());
        send(exchange, 200, out);
    }

    private static ObjectNode health(ServerHealth h) {
        ObjectNode out = JSON.createObjectNode();
        out.put("ready", h.ready());
        slot(out.putObject("primary"), h.primary());
        if (h.challenger() != null) {
            slot(out.putObject("challenger"), h.challenger());
        }
        return out;
    }

    private static void slot(ObjectNode out, SlotStatus s) {
        out.put("uri", s.uri());
        if (s.loaded()) {
            out.put("version", s.version());
            out.put("loadedAt", s.loadedAt().toString());
        } else {
            out.putNull("version");
            out.putNull("loadedAt");
        }
        LoadFailure f = s.lastFailure();
        if (f == null) {
            out.putNull("lastFailure");
        } else {
            ObjectNode fo = out.putObject("lastFailure");
            if (f.version() == null) {
                fo.putNull("version");
            } else {
                fo.put("version", f.version());
            }
            fo.put("at", f.at().toString());
            fo.put("message", f.message());
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "the string " + node;
            case NUMBER -> "the number " + node;
            case BOOLEAN -> "the boolean " + node;
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        send(exchange, status, body);
    }
}
