package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.rag.spi.ChatMessage;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against a local server speaking Ollama's /api/chat (responses shaped as in Ollama's docs/api.md). */
class OllamaGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Ollama docs/api.md, "Chat request (No streaming)" response, content shortened.
    private static final String OK = """
            {"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z",
             "message":{"role":"assistant","content":"Hello! How are you today?"},
             "done":true,"total_duration":5191566416,"load_duration":2154458,
             "prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}""";

    private static GenerationRequest request() {
        return new GenerationRequest("why?", List.of(),
                List.of(ChatMessage.system("be brief"), ChatMessage.user("why is the sky blue?")));
    }

    private static OllamaGenerator.Builder gen(FakeChatServer s) {
        return OllamaGenerator.builder().baseUrl(s.baseUrl()).model("llama3.2").backoff(Duration.ZERO);
    }

    @Test
    void generate_sendsTheChatRequestAndParsesTheReply() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, OK)) {
            Generation g = gen(s).temperature(0.2).maxTokens(64).build().generate(request());

            assertThat(g).isEqualTo(new Generation("Hello! How are you today?", "llama3.2", 26, 298));
            assertThat(s.requests).hasSize(1);
            assertThat(s.requests.get(0).method()).isEqualTo("POST");
            assertThat(s.requests.get(0).path()).isEqualTo("/api/chat");
            JsonNode sent = JSON.readTree(s.requests.get(0).body());
            assertThat(sent).isEqualTo(JSON.readTree("""
                    {"model":"llama3.2","messages":[{"role":"system","content":"be brief"},
                     {"role":"user","content":"why is the sky blue?"}],
                     "stream":false,"options":{"temperature":0.2,"num_predict":64}}"""));
        }
    }

    @Test
    void generate_withoutOptions_sendsNoOptionsObject_andMissingCountsAreZero() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat")
                .respond(200, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"hi\"}}")) {
            Generation g = gen(s).build().generate(request());
            assertThat(g).isEqualTo(new Generation("hi", "llama3.2", 0, 0));
            assertThat(JSON.readTree(s.requests.get(0).body()).has("options")).isFalse();
        }
    }

    @Test
    void generate_retries5xxThenSucceeds() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(503, "{\"error\":\"loading model\"}")
                .respond(500, "oops").respond(200, OK)) {
            Generation g = gen(s).maxAttempts(3).build().generate(request());
            assertThat(g.text()).isEqualTo("Hello! How are you today?");
            assertThat(s.requests).hasSize(3);
            assertThat(s.bodies()).allMatch(b -> b.equals(s.bodies().get(0)));
        }
    }

    @Test
    void generate_5xxOnEveryAttempt_isRetriableWithTheServerMessage() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(503, "{\"error\":\"server busy\"}")) {
            assertThatThrownBy(() -> gen(s).maxAttempts(2).build().generate(request()))
                    .isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("/api/chat").hasMessageContaining("HTTP 503")
                    .hasMessageContaining("'server busy'").hasMessageContaining("attempt 2 of 2");
            assertThat(s.requests).hasSize(2);
        }
    }

    @Test
    void generate_404_isNotRetriedAndQuotesOllamasError() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat")
                .respond(404, "{\"error\":\"model \\\"nope\\\" not found, try pulling it first\"}")) {
            assertThatThrownBy(() -> gen(s).model("nope").build().generate(request()))
                    .isInstanceOfSatisfying(GenerationException.class, e -> {
                        assertThat(e.status()).isEqualTo(404);
                        assertThat(e.retriable()).isFalse();
                        assertThat(e.endpoint()).endsWith("/api/chat");
                    })
                    .hasMessageContaining("model \"nope\" not found").hasMessageContaining("ollama pull");
            assertThat(s.requests).hasSize(1);
        }
    }

    @Test
    void generate_malformedJson_isAPreciseError() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, "{\"message\": {\"content\": ")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("malformed JSON")
                    .hasMessageContaining("{\"message\": {\"content\":");
        }
    }

    @Test
    void generate_jsonWithoutContent_namesTheMissingField() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, "{\"model\":\"x\",\"done\":true}")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("no 'message'");
        }
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, "[1,2]")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("not a JSON object");
        }
        try (FakeChatServer s = new FakeChatServer("/api/chat")
                .respond(200, "{\"message\":{\"content\":\"x\"},\"eval_count\":\"many\"}")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("'eval_count'");
        }
    }

    @Test
    void generate_timeout_isRetriedThenRetriable() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/api/chat").respond(200, OK, 1500)) {
            assertThatThrownBy(() -> gen(s).timeout(Duration.ofMillis(200)).maxAttempts(2).build().generate(request()))
                    .isInstanceOf(ResourceUnavailableException.class).hasMessageContaining("no response within PT0.2S");
            assertThat(s.requests).hasSize(2);
        }
    }

    @Test
    void generate_connectionRefused_isRetriable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        OllamaGenerator g = OllamaGenerator.builder().baseUrl("http://127.0.0.1:" + port).model("m")
                .maxAttempts(2).backoff(Duration.ZERO).build();
        assertThatThrownBy(() -> g.generate(request())).isInstanceOf(ResourceUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining("attempt 2 of 2");
    }

    @Test
    void builder_rejectsBadSettings() {
        assertThatThrownBy(() -> OllamaGenerator.builder().baseUrl("ftp://x")).hasMessageContaining("ftp://x");
        assertThatThrownBy(() -> OllamaGenerator.builder().maxAttempts(0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> OllamaGenerator.builder().temperature(3)).hasMessageContaining("was 3.0");
        assertThatThrownBy(() -> OllamaGenerator.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("model is required");
        assertThat(OllamaGenerator.builder().model("m").build().modelId()).isEqualTo("ollama:m");
    }
}
