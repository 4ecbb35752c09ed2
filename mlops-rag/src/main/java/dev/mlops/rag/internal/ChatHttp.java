package dev.mlops.rag.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.io.Json;
import dev.mlops.rag.GenerationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON to a chat endpoint with a request timeout and retries: a connect failure, a timeout, 408,
 * 429 and 5xx are retried up to {@code maxAttempts} calls in all, waiting {@code backoff * 2^(attempt-1)}
 * between calls; the last failure becomes a {@link ResourceUnavailableException}. Other 4xx and an
 * unparsable body become a {@link GenerationException} at once.
 */
public final class ChatHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ChatHttp.class);
    static final ObjectMapper JSON = Json.newMapper();

    private final HttpClient client;
    private final URI endpoint;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration backoff;
    private final Map<String, String> headers;

    public ChatHttp(URI endpoint, Duration connectTimeout, Duration timeout, int maxAttempts, Duration backoff,
            Map<String, String> headers) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.headers = Map.copyOf(headers);
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * Sends the body, returns the parsed JSON of a 2xx response. {@code errorMessage} extracts the
     * server's error text from an error body (may return null).
     */
    public JsonNode post(JsonNode body, java.util.function.Function<JsonNode, String> errorMessage) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new GenerationException(endpoint.toString(), -1, "could not serialise the request to " + endpoint, e);
        }
        String lastProblem = null;
        Exception lastCause = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleep(backoff.multipliedBy(1L << Math.min(attempt - 2, 20)));
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            headers.forEach(rb::header);
            HttpResponse<String> response;
            try {
                response = client.send(rb.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                lastProblem = "no response within " + timeout + " (attempt " + attempt + " of " + maxAttempts + ")";
                lastCause = e;
                LOG.warn("{}: {}", endpoint, lastProblem);
                continue;
            } catch (ConnectException e) {
                lastProblem = "connection failed: " + e + " (attempt " + attempt + " of " + maxAttempts + ")";
                lastCause = e;
                LOG.warn("{}: {}", endpoint, lastProblem);
                continue;
            } catch (IOException e) {
                lastProblem = "I/O error: " + e + " (attempt " + attempt + " of " + maxAttempts + ")";
                lastCause = e;
                LOG.warn("{}: {}", endpoint, lastProblem);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResourceUnavailableException(endpoint.toString(), "interrupted while waiting for a response",
                        e);
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                JsonNode root;
                try {
                    root = JSON.readTree(response.body());
                } catch (IOException e) {
                    throw new GenerationException(endpoint.toString(), status, "malformed JSON in the " + status
                            + " response from " + endpoint + ": " + e.getMessage().lines().findFirst().orElse("")
                            + "; body starts with '" + abbreviate(response.body())
                            + "'. Fix: check that the URL points at the right API", e);
                }
                if (root == null || !root.isObject()) {
                    throw new GenerationException(endpoint.toString(), status, "the " + status + " response from "
                            + endpoint + " is not a JSON object: '" + abbreviate(response.body())
                            + "'. Fix: check that the URL points at the right API");
                }
                return root;
            }
            String serverMessage = serverMessage(response.body(), errorMessage);
            if (status == 408 || status == 429 || status >= 500) {
                lastProblem = "HTTP " + status + ": " + serverMessage + " (attempt " + attempt + " of " + maxAttempts
                        + ")";
                lastCause = null;
                LOG.warn("{}: {}", endpoint, lastProblem);
                continue;
            }
            throw new GenerationException(endpoint.toString(), status, "HTTP " + status + " from " + endpoint + ": "
                    + serverMessage + ". Fix: " + fix(status));
        }
        throw new ResourceUnavailableException(endpoint.toString(), lastProblem, lastCause);
    }

    private static String fix(int status) {
        return switch (status) {
            case 401, 403 -> "check the API key";
            case 404 -> "check the URL and that the model is available on the server (e.g. `ollama pull <model>`)";
            default -> "check the request: model name and options";
        };
    }

    private static String serverMessage(String body, java.util.function.Function<JsonNode, String> errorMessage) {
        try {
            String m = errorMessage.apply(JSON.readTree(body));
            if (m != null) {
                return "'" + m + "'";
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: quote the raw body instead
        }
        return "body '" + abbreviate(body) + "'";
    }

    static String abbreviate(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    private void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceUnavailableException(endpoint.toString(), "interrupted during retry backoff", e);
        }
    }

    /** Throws a precise error for a missing or non-textual field of a 2xx response. */
    public static JsonNode require(JsonNode root, String endpoint, String... path) {
        JsonNode n = root;
        StringBuilder where = new StringBuilder();
        for (String p : path) {
            where.append(where.isEmpty() ? "" : ".").append(p);
            n = p.matches("\\d+") ? n.path(Integer.parseInt(p)) : n.path(p);
            if (n.isMissingNode() || n.isNull()) {
                throw new GenerationException(endpoint, -1, "the response from " + endpoint + " has no '" + where
                        + "': '" + abbreviate(root.toString()) + "'. Fix: check that the URL speaks this API");
            }
        }
        return n;
    }
}
