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
 * A {@link Generator} over Ollama's {@code POST <baseUrl>/api/chat} with {@code "stream": false}.
 *
 * <p>Request: {@code {"model", "messages": [{"role", "content"}...], "stream": false, "options":
 * {"temperature", "num_predict"}}} (options only when set). Response: {@code message.content} is the
 * text, {@code prompt_eval_count}/{@code eval_count} the token counts (0 when absent), {@code model} the
 * model. Errors: Ollama's {@code {"error": "..."}} is quoted; retries as in {@link Builder#maxAttempts}.
 */
public final class OllamaGenerator implements Generator {

    private final ChatHttp http;
    private final String model;
    private final Double temperature;
    private final Integer maxTokens;

    private OllamaGenerator(Builder b) {
        this.http = new ChatHttp(URI.create(b.baseUrl + "/api/chat"), b.connectTimeout, b.timeout, b.maxAttempts,
                b.backoff, Map.of());
        this.model = b.model;
        this.temperature = b.temperature;
        this.maxTokens = b.maxTokens;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@code model} is required; the server root defaults to {@code http://127.0.0.1:11434}. */
    public static final class Builder extends ChatGeneratorBuilder<Builder, OllamaGenerator> {
        private Builder() {
            super("http://127.0.0.1:11434", "llama3.2:1b");
        }

        @Override
        OllamaGenerator create() {
            return new OllamaGenerator(this);
        }
    }

    @Override
    public String modelId() {
        return "ollama:" + model;
    }

    @Override
    public Generation generate(GenerationRequest request) {
        ObjectNode body = ChatHttp.json().createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        body.put("stream", false);
        if (temperature != null || maxTokens != null) {
            ObjectNode options = body.putObject("options");
            if (temperature != null) {
                options.put("temperature", temperature);
            }
            if (maxTokens != null) {
                options.put("num_predict", maxTokens);
            }
        }
        String url = http.endpoint().toString();
        JsonNode root = http.post(body, n -> n.path("error").isTextual() ? n.path("error").asText() : null);
        JsonNode content = ChatHttp.require(root, url, "message", "content");
        if (!content.isTextual()) {
            throw new GenerationException(url, -1, "message.content in the response from " + url
                    + " is not a string: " + content);
        }
        return new Generation(content.asText(), root.path("model").asText(model),
                HttpSettings.count(root, "prompt_eval_count", url), HttpSettings.count(root, "eval_count", url));
    }

}
