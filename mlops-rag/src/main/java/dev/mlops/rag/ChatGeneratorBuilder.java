package dev.mlops.rag;

import dev.mlops.rag.spi.Generator;
import java.net.URI;
import java.time.Duration;

/**
 * The settings that both chat-server generators take ({@link OllamaGenerator#builder()},
 * {@link OpenAiChatGenerator#builder()}); {@link #model} is required.
 *
 * @param <B> the concrete builder, returned by every setter
 * @param <G> the generator it builds
 */
public abstract class ChatGeneratorBuilder<B extends ChatGeneratorBuilder<B, G>, G extends Generator> {
    private final String exampleModel;
    URI baseUrl;
    String model;
    Duration connectTimeout = Duration.ofSeconds(5);
    Duration timeout = Duration.ofSeconds(120);
    int maxAttempts = 3;
    Duration backoff = Duration.ofMillis(500);
    Double temperature;
    Integer maxTokens;

    ChatGeneratorBuilder(String defaultBaseUrl, String exampleModel) {
        this.baseUrl = URI.create(defaultBaseUrl);
        this.exampleModel = exampleModel;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The server root (see each generator for its default). */
    public B baseUrl(String url) {
        this.baseUrl = HttpSettings.url(url);
        return self();
    }

    /** The model name, e.g. an Ollama tag such as {@code llama3.2:1b} or {@code gpt-4o-mini}. */
    public B model(String model) {
        this.model = HttpSettings.nonBlank("model", model);
        return self();
    }

    /** Default 5 s. */
    public B connectTimeout(Duration d) {
        this.connectTimeout = HttpSettings.positive("connectTimeout", d);
        return self();
    }

    /** Whole-response timeout per attempt; default 120 s. */
    public B timeout(Duration d) {
        this.timeout = HttpSettings.positive("timeout", d);
        return self();
    }

    /** Calls in all for retriable failures (connect, timeout, 408, 429, 5xx); default 3. */
    public B maxAttempts(int n) {
        this.maxAttempts = HttpSettings.attempts(n);
        return self();
    }

    /** First wait between attempts, doubled each time; default 500 ms; zero allowed. */
    public B backoff(Duration d) {
        this.backoff = HttpSettings.nonNegative("backoff", d);
        return self();
    }

    /** Sampling temperature; default the server's. */
    public B temperature(double t) {
        this.temperature = HttpSettings.temperature(t);
        return self();
    }

    /** The most tokens to generate (Ollama's {@code num_predict}, OpenAI's {@code max_tokens}); default the server's. */
    public B maxTokens(int n) {
        this.maxTokens = HttpSettings.maxTokens(n);
        return self();
    }

    /** Builds the generator; nothing is sent until {@code generate}. */
    public G build() {
        if (model == null) {
            throw new IllegalStateException("model is required, e.g. builder().model(\"" + exampleModel + "\")");
        }
        return create();
    }

    abstract G create();
}
