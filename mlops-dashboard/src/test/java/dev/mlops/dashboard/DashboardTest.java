package dev.mlops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardTest {

    private static final String TOKEN = "0123456789abcdef-secret";
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private HttpResponse<String> get(URI uri, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Dashboard.Builder builder() {
        return Dashboard.builder().port(0).clock(new MutableClock(Instant.parse("2026-05-01T00:00:00Z")));
    }

    @Test
    void withoutTheToken_everyPathIs401() throws Exception {
        try (Dashboard d = builder().bearerToken(TOKEN).start()) {
            for (String path : new String[] {"/", "/flows", "/registry", "/serving", "/drift", "/rag", "/features",
                    "/nope"}) {
                HttpResponse<String> r = get(d.baseUri().resolve(path), Map.of());
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(r.body()).doesNotContain(TOKEN);
            }
            assertThat(get(d.baseUri(), Map.of("Authorization", "Bearer wrong-token-0123456789")).statusCode())
                    .isEqualTo(401);
            assertThat(get(d.baseUri(), Map.of("Cookie", "mlops_dashboard_token=wrong-token-0123456789"))
                    .statusCode()).isEqualTo(401);
            assertThat(get(URI.create(d.baseUri() + "flows?token=wrong-token-0123456789"), Map.of()).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void theHeader_theCookie_andTheOneTimeQueryToken_areAccepted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Dashboard d = builder().bearerToken(TOKEN).meterRegistry(meters).start()) {
            assertThat(d.uri().toString()).isEqualTo(d.baseUri() + "?token=" + TOKEN);
            assertThat(d.baseUri().getHost()).isEqualTo("127.0.0.1");

            HttpResponse<String> ok = get(d.baseUri().resolve("/flows"), Map.of("Authorization", "Bearer " + TOKEN));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'").doesNotContain("script-src"));
            assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(ok.body()).contains("<h1>Flows</h1>").contains("is not configured");

            HttpResponse<String> login = get(URI.create(d.baseUri() + "drift?token=" + TOKEN), Map.of());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValue("/drift");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("mlops_dashboard_token=" + TOKEN + ";").contains("HttpOnly")
                    .contains("SameSite=Strict").contains("Path=/");

            HttpResponse<String> withCookie = get(d.baseUri().resolve("/drift"),
                    Map.of("Cookie", "other=1; " + cookie.substring(0, cookie.indexOf(';'))));
            assertThat(withCookie.statusCode()).isEqualTo(200);
            assertThat(withCookie.body()).contains("<h1>Drift</h1>");

            assertThat(get(d.baseUri().resolve("/nope"), Map.of("Authorization", "Bearer " + TOKEN)).statusCode())
                    .isEqualTo(404);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(d.baseUri())
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(meters.get("mlops.dashboard.requests").tags("page", "/flows", "status", "200").counter()
                    .count()).isEqualTo(1);
        }
    }

    @Test
    void aTokenWithUrlAndCookieSpecialCharacters_stillSignsIn() throws Exception {
        String odd = "s3cret token; with=&?%\"chars";
        try (Dashboard d = builder().bearerToken(odd).start()) {
            HttpResponse<String> login = get(d.uri(), Map.of());
            assertThat(login.statusCode()).isEqualTo(303);
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            String pair = cookie.substring(0, cookie.indexOf(';'));
            assertThat(pair).doesNotContain(" ").doesNotContain("\"");
            assertThat(get(d.baseUri().resolve("/rag"), Map.of("Cookie", pair)).statusCode()).isEqualTo(200);
            assertThat(get(d.baseUri(), Map.of("Authorization", "Bearer " + odd)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void byDefault_aRandomTokenProtectsIt() throws Exception {
        try (Dashboard a = builder().start(); Dashboard b = builder().start()) {
            String ta = a.uri().getQuery().substring("token=".length());
            String tb = b.uri().getQuery().substring("token=".length());
            assertThat(ta).matches("[0-9a-f]{32}");
            assertThat(ta).isNotEqualTo(tb);
            assertThat(get(a.baseUri(), Map.of()).statusCode()).isEqualTo(401);
            assertThat(get(a.baseUri(), Map.of("Authorization", "Bearer " + ta)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutAuthentication_onlyOnLoopback() throws Exception {
        try (Dashboard d = builder().withoutAuthentication().start()) {
            assertThat(d.uri()).isEqualTo(d.baseUri());
            assertThat(get(d.baseUri().resolve("/rag"), Map.of()).statusCode()).isEqualTo(200);
        }
        InetAddress any = InetAddress.getByName("0.0.0.0");
        assertThatThrownBy(() -> builder().withoutAuthentication().bindAddress(any).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only bind to loopback")
                .hasMessageContaining("0.0.0.0");
        assertThatThrownBy(() -> builder().withoutAuthentication().bearerToken(TOKEN).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("choose one");
    }

    @Test
    void builder_rejectsBadValues_withTheParameterAndValue() {
        assertThatThrownBy(() -> Dashboard.builder().bearerToken("short")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("at least 16").hasMessageContaining("has 5");
        assertThatThrownBy(() -> Dashboard.builder().port(70_000)).hasMessageContaining("70000");
        assertThatThrownBy(() -> Dashboard.builder().serving(dev.mlops.core.spi.PredictionLog.noop()))
                .hasMessageContaining("at least one model");
        assertThatThrownBy(() -> Dashboard.builder().ragEvaluation(" ", Map.of())).hasMessageContaining("name");
        assertThatThrownBy(() -> Dashboard.builder().flowRuns(0)).hasMessageContaining("flowRuns");
    }
}
