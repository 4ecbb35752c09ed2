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

    /**
     * Settings; {@code model} is required; the server root (without {@code /v1}) defaults to
     * {@code https://api.openai.com}.
     */
    public static final class Builder extends ChatGeneratorBuilder<Builder, OpenAiChatGenerator> {
        private String apiKey;

        private Builder() {
            super("https://api.openai.com", "gpt-4o-mini");
        }

        /** The API key, sent as a bearer token; never logged. */
        public Builder apiKey(String key) {
            this.apiKey = HttpSettings.nonBlank("apiKey", key);
            return this;
        }

        @Override
        OpenAiChatGenerator create() {
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
