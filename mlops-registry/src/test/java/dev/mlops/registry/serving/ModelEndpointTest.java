package dev.mlops.registry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.registry.ModelRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP endpoint over real HTTP on 127.0.0.1 and an ephemeral port. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelEndpointTest {

    static final String TOKEN = "test-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    ModelRegistry registry;
    ModelServer server;
    ModelEndpoint endpoint;
    PrometheusMeterRegistry prometheus;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base;
    PredictionLog log = PredictionLog.inMemory(1000);

    @BeforeAll
    void start(@TempDir Path home) throws Exception {
        registry = ServingFixture.registry(home, Clock.systemUTC());
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = ModelServer.builder().registry(registry).model("models:/m@champion").pollInterval(Duration.ZERO)
                .meterRegistry(prometheus).predictionLog(log).build();
        server.refresh();
        endpoint = ModelEndpoint.builder().server(server).port(0).bearerToken(TOKEN).maxRequestBytes(4096)
                .maxRows(10).metrics(prometheus::scrape).start();
        base = "http://127.0.0.1:" + endpoint.address().getPort();
    }

    @AfterAll
    void stop() {
        endpoint.close();
        server.close();
        registry.close();
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String row(String x1, String x2) {
        return "{\"x1\": " + x1 + ", \"x2\": " + x2 + ", \"n\": 1, \"flag\": false}";
    }

    void assertError(HttpResponse<String> response, int status, String code, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(message);
        assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void predict_returnsPredictionsWithTheVersion() throws Exception {
        HttpResponse<String> r = post("/predict", "{\"rows\": [" + row("2.0", "-1.0") + ", " + row("-1.5", "3")
                + "], \"key\": \"user-1\"}", TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("model").asText()).isEqualTo("m");
        JsonNode p = body.get("predictions");
        assertThat(p).hasSize(2);
        // version 1 learned x1 > 0 ? "a1" : "a0" (ServingFixture)
        assertThat(p.get(0).get("value").asText()).isEqualTo("a1");
        assertThat(p.get(1).get("value").asText()).isEqualTo("a0");
        assertThat(p.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(p.get(0).get("role").asText()).isEqualTo("primary");
        assertThat(p.get(0).get("scores").get("a1").asDouble()).isGreaterThan(0.5);
    }

    @Test
    void numbers_areParsedExactlyAsTheJdkParsesThem() throws Exception {
        // hard cases for a decimal parser: halfway and long decimals, the largest finite and the smallest subnormal
        String[][] cases = {{"0.1000000000000000055511151231257827", "2.2250738585072011e-308"},
                {"1e22", "4.9e-324"}, {"9007199254740993.0", "0.30000000000000004"}};
        for (String[] c : cases) {
            assertThat(post("/predict", "{\"rows\": [" + row(c[0], c[1]) + "], \"key\": \"exact\"}", TOKEN)
                    .statusCode()).isEqualTo(200);
            java.util.List<dev.mlops.core.spi.PredictionRecord> records = log.read("m", java.time.Instant.EPOCH,
                    java.time.Instant.parse("2999-01-01T00:00:00Z"));
            dev.mlops.core.spi.PredictionRecord last = records.get(records.size() - 1);
            assertThat(last.inputs().get("x1")).isEqualTo(Double.parseDouble(c[0]));   // the JDK's reference parser
            assertThat(last.inputs().get("x2")).isEqualTo(Double.parseDouble(c[1]));
        }
        // the largest finite double is a valid number, but the logistic regression overflows on it: a 422 that
        // names the input, not a 500
        assertError(post("/predict", "{\"rows\": [" + row("1.7976931348623157e308", "4.9e-324")
                + "]}", TOKEN), 422, "unprocessable_input", "overflowed on these inputs");
    }

    @Test
    void authentication_missingOrWrongTokenIs401() throws Exception {
        String body = "{\"rows\": [" + row("1", "1") + "]}";
        HttpResponse<String> missing = post("/predict", body, null);
        assertError(missing, 401, "unauthorized", "missing Authorization header");
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertError(post("/predict", body, TOKEN + "x"), 401, "unauthorized", "wrong");
        assertError(post("/predict", body, "short"), 401, "unauthorized", "wrong");
        assertError(get("/health", null), 401, "unauthorized", "Authorization");
    }

    @Test
    void badInput_is4xxWithAPreciseMessage() throws Exception {
        assertError(post("/predict", "{\"rows\": [" + row("1", "1") + "", TOKEN), 400, "malformed_json",
                "not valid JSON at line 1");
        assertError(post("/predict", "", TOKEN), 400, "malformed_json", "empty");
        assertError(post("/predict", "[1, 2]", TOKEN), 400, "malformed_json", "must be a JSON object");
        assertError(post("/predict", "{\"rowz\": []}", TOKEN), 400, "malformed_json", "unknown field 'rowz'");
        assertError(post("/predict", "{\"rows\": {}}", TOKEN), 400, "malformed_json", "\"rows\" must be an array");
        assertError(post("/predict", "{\"rows\": [" + row("1", "1") + ", 7]}", TOKEN), 400, "malformed_json",
                "rows[1] must be an object");
        assertError(post("/predict", "{\"rows\": [{\"x1\": 1, \"x2\": 1, \"n\": 1, \"flag\": true, \"x9\": 2}]}",
                TOKEN), 400, "invalid_input", "row 0: unknown feature 'x9'");
        assertError(post("/predict", "{\"rows\": [" + row("1", "1") + ", {\"x1\": 1, \"n\": 1, \"flag\": true}]}",
                TOKEN), 400, "invalid_input", "row 1: feature 'x2' is missing");
        assertError(post("/predict", "{\"rows\": [" + row("\"abc\"", "1") + "]}", TOKEN), 400, "invalid_input",
                "row 0: feature 'x1' is the string 'abc', but the signature says DOUBLE");
        assertError(post("/predict", "{\"rows\": [" + row("NaN", "1") + "]}", TOKEN), 400, "invalid_input",
                "row 0: feature 'x1' is NaN");
        assertError(post("/predict", "{\"rows\": [" + row("[1]", "1") + "]}", TOKEN), 400, "invalid_input",
                "feature 'x1' is an array");
        assertError(post("/predict", "{\"rows\": [" + row("1", "1") + "], \"key\": 5}", TOKEN), 400,
                "malformed_json", "\"key\" must be a string");
    }

    @Test
    void limits_oversizedBodiesAndTooManyRowsAre413() throws Exception {
        String big = "{\"rows\": [" + row("1", "1") + "], \"key\": \"" + "k".repeat(5000) + "\"}";
        assertError(post("/predict", big, TOKEN), 413, "too_large", "at most 4096");
        StringBuilder many = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append(row("1", "1"));
        }
        assertError(post("/predict", many.append("]}").toString(), TOKEN), 413, "too_large", "11 rows; at most 10");
    }

    @Test
    void routes_wrongMethodAndUnknownPath() throws Exception {
        assertError(get("/predict", TOKEN), 405, "method_not_allowed", "use POST");
        assertError(get("/nope", TOKEN), 404, "not_found", "POST /predict");
    }

    @Test
    void health_version_metrics() throws Exception {
        HttpResponse<String> health = get("/health", TOKEN);
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = JSON.readTree(health.body());
        assertThat(h.get("ready").asBoolean()).isTrue();
        assertThat(h.get("primary").get("version").asInt()).isEqualTo(1);
        assertThat(h.get("primary").get("uri").asText()).isEqualTo("models:/m@champion");

        JsonNode v = JSON.readTree(get("/version", TOKEN).body());
        assertThat(v.get("version").asInt()).isEqualTo(1);
        assertThat(v.get("loadedAt").asText()).isNotEmpty();

        post("/predict", "{\"rows\": [" + row("1", "1") + "]}", TOKEN);
        HttpResponse<String> metrics = get("/metrics", TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("mlops_serving_requests_total{")
                .contains("mlops_serving_latency_seconds{")
                .contains("quantile=\"0.99\"");
    }

    @Test
    void notReady_is503() throws Exception {
        try (ModelServer empty = ModelServer.builder().registry(registry).model("models:/m@nobody")
                .pollInterval(Duration.ZERO).build();
             ModelEndpoint open = ModelEndpoint.builder().server(empty).port(0).withoutAuthentication().start()) {
            assertThat(open.address().getAddress().isLoopbackAddress()).isTrue();
            String url = "http://127.0.0.1:" + open.address().getPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).get("ready").asBoolean()).isFalse();
            HttpResponse<String> predict = http.send(HttpRequest.newBuilder(URI.create(url + "/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"rows\": [" + row("1", "1") + "]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(predict, 503, "not_ready", "models:/m@nobody");
        }
    }

    @Test
    void builder_authenticationIsOnByDefault_andOpenEndpointsStayOnLoopback() throws Exception {
        assertThatThrownBy(() -> ModelEndpoint.builder().server(server).port(0).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no bearer token");
        assertThatThrownBy(() -> ModelEndpoint.builder().server(server).port(0).withoutAuthentication()
                .bindAddress(InetAddress.getByName("0.0.0.0")).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only bind to loopback");
        assertThatThrownBy(() -> ModelEndpoint.builder().bearerToken("short"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> ModelEndpoint.builder().server(server).bearerToken(TOKEN).withoutAuthentication()
                .start()).isInstanceOf(IllegalStateException.class).hasMessageContaining("choose one");
    }
}
