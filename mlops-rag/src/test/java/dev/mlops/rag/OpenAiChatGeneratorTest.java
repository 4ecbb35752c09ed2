package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.rag.spi.ChatMessage;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against a local server speaking /v1/chat/completions (shapes from OpenAI's API reference). */
class OpenAiChatGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // OpenAI API reference, "Create chat completion" example response.
    private static final String OK = """
            {"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how may I assist you today?"},
                         "logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}""";

    private static GenerationRequest request() {
        return new GenerationRequest("q", List.of(), List.of(ChatMessage.user("Hello!")));
    }

    private static OpenAiChatGenerator.Builder gen(FakeChatServer s) {
        return OpenAiChatGenerator.builder().baseUrl(s.baseUrl()).model("gpt-4o-mini").backoff(Duration.ZERO);
    }

    @Test
    void generate_sendsTheCompletionRequestWithBearerKey_andParsesUsage() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions").respond(200, OK)) {
            Generation g = gen(s).apiKey("sk-test").temperature(0).maxTokens(100).build().generate(request());

            assertThat(g).isEqualTo(new Generation("Hello there, how may I assist you today?", "gpt-4o-mini", 9, 12));
            FakeChatServer.Received r = s.requests.get(0);
            assertThat(r.path()).isEqualTo("/v1/chat/completions");
            assertThat(r.headers().get("Authorization")).containsExactly("Bearer sk-test");
            assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
                    {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],
                     "temperature":0.0,"max_tokens":100}"""));
        }
    }

    @Test
    void generate_withoutKey_sendsNoAuthorization_andBaseUrlPathIsKept() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/proxy/v1/chat/completions").respond(200, OK)) {
            OpenAiChatGenerator.builder().baseUrl(s.baseUrl() + "/proxy/").model("m").build().generate(request());
            assertThat(s.requests.get(0).headers()).doesNotContainKey("Authorization");
            assertThat(JSON.readTree(s.requests.get(0).body()).has("temperature")).isFalse();
        }
    }

    @Test
    void generate_429ThenOk_isRetried() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}")
                .respond(200, OK)) {
            assertThat(gen(s).build().generate(request()).outputTokens()).isEqualTo(12);
            assertThat(s.requests).hasSize(2);
        }
    }

    @Test
    void generate_401_quotesTheErrorMessageAndSuggestsTheKey() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions").respond(401, """
                {"error":{"message":"Incorrect API key provided: sk-bad.","type":"invalid_request_error",
                 "param":null,"code":"invalid_api_key"}}""")) {
            assertThatThrownBy(() -> gen(s).apiKey("sk-bad").build().generate(request()))
                    .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.status()).isEqualTo(401))
                    .hasMessageContaining("'Incorrect API key provided: sk-bad.'")
                    .hasMessageContaining("check the API key");
            assertThat(s.requests).hasSize(1);
        }
    }

    @Test
    void generate_502WithHtmlBody_quotesTheBody() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(502, "<html>Bad Gateway</html>")) {
            assertThatThrownBy(() -> gen(s).maxAttempts(1).build().generate(request()))
                    .isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("HTTP 502").hasMessageContaining("<html>Bad Gateway</html>");
        }
    }

    @Test
    void generate_emptyChoices_namesTheMissingField() throws Exception {
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, "{\"choices\":[],\"model\":\"m\"}")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("no 'choices.0'");
        }
        try (FakeChatServer s = new FakeChatServer("/v1/chat/completions")
                .respond(200, "{\"choices\":[{\"message\":{\"content\":[1]}}]}")) {
            assertThatThrownBy(() -> gen(s).build().generate(request()))
                    .isInstanceOf(GenerationException.class).hasMessageContaining("is not a string");
        }
    }

    @Test
    void modelId_isPrefixed() {
        assertThat(OpenAiChatGenerator.builder().model("gpt-4o-mini").build().modelId())
                .isEqualTo("openai:gpt-4o-mini");
    }
}
