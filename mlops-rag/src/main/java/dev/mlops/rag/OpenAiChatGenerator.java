package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.rag.internal.ChatHttp;
import dev.mlops.rag.spi.ChatMessage;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import dev.mlops.rag.spi.Generator;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link Generator} over an OpenAI-compatible {@code POST <baseUrl>/v1/chat/completions} (OpenAI,
 * vLLM, llama.cpp server, LM Studio, Ollama's compatibility endpoint).
 *
 * <p>Request: {@code {"model", "messages": [{"role", "content"}...], "temperature", "max_tokens"}}
 * (the last two only when set), header {@code Authorization: Bearer <apiKey>} when a key is set.
 * Response: {@code choices[0].message.content} is the text, {@code usage.prompt_tokens} /
 * {@code usage.completion_tokens} the token counts (0 when absent), {@code model} the model. Errors:
 * {@code {"error": {"message": "..."}}} is quoted; retries as in {@link Builder#maxAttempts}.
 */
public final class OpenAiChatGenerator implements Generator {

    private final ChatHttp http;
    private final String model;
    private final Double temperature;
    private final Integer maxTokens;

    private OpenAiChatGenerator(Builder b) {
        this.http = new ChatHttp(URI.create(b.baseUrl + "/v1/chat/completions"), b.connectTimeout, b.timeout,
                b.maxAttempts, b.backoff, b.apiKey == null ? Map.of() : Map.of("Authorization", "Bearer " + b.apiKey));
        this.model = b.model;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@code model} is required. */
    public static final class Builder {
        private URI baseUrl = URI.create("https://api.openai.com");
        private String apiKey;
        private String model;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration timeout = Duration.ofSeconds(120);
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(500);
        private Double temperature;
        private Integer maxTokens;

        private Builder() {}

        /** The API key, sent as a bearer token; never logged. */
        public Builder apiKey(String key) {
            this.apiKey = HttpSettings.nonBlank("apiKey", key);
            return this;
        }

        /** The server root without {@code /v1}; default {@code https://api.openai.com}. */
        public Builder baseUrl(String url) {
            this.baseUrl = HttpSettings.url(url);
            return this;
        }

        /** The model name, e.g. {@code gpt-4o-mini}. */
        public Builder model(String model) {
            this.model = HttpSettings.nonBlank("model", model);
            return this;
        }

        /** Default 5 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = HttpSettings.positive("connectTimeout", d);
            return this;
        }

        /** Whole-response timeout per attempt; default 120 s. */
        public Builder timeout(Duration d) {
            this.timeout = HttpSettings.positive("timeout", d);
            return this;
        }

        /** Calls in all for retriable failures (connect, timeout, 408, 429, 5xx); default 3. */
        public Builder maxAttempts(int n) {
            this.maxAttempts = HttpSettings.attempts(n);
            return this;
        }

        /** First wait between attempts, doubled each time; default 500 ms; zero allowed. */
        public Builder backoff(Duration d) {
            this.backoff = HttpSettings.nonNegative("backoff", d);
            return this;
        }

        public Builder temperature(double t) {
            this.temperature = HttpSettings.temperature(t);
            return this;
        }

        /** {@code max_tokens}. */
        public Builder maxTokens(int n) {
            this.maxTokens = HttpSettings.maxTokens(n);
            return this;
        }

        public OpenAiChatGenerator build() {
            if (model == null) {
                throw new IllegalStateException("model is required, e.g. builder().model(\"gpt-4o-mini\")");
            }
            return new OpenAiChatGenerator(this);
        }
    }

    @Override
    public String modelId() {
        return "openai:" + model;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        ObjectNode body = ChatHttp.json().createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        if (temperature != null) {
            body.put("temperature", temperature);
        }
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        String url = http.endpoint().toString();
        JsonNode root = http.post(body, n -> n.path("error").path("message").isTextual()
                ? n.path("error").path("message").asText()
                : n.path("error").isTextual() ? n.path("error").asText() : null);
        JsonNode content = ChatHttp.require(root, url, "choices", "0", "message", "content");
        if (!content.isTextual()) {
            throw new GenerationException(url, -1, "choices[0].message.content in the response from " + url
                    + " is not a string: " + content);
        }
        return new Generation(content.asText(), root.path("model").asText(model),
                HttpSettings.count(root.path("usage"), "prompt_tokens", url),
                HttpSettings.count(root.path("usage"), "completion_tokens", url));
    }

}
