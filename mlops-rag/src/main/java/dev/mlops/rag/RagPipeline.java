package dev.mlops.rag;

import dev.mlops.rag.spi.ChatMessage;
import dev.mlops.rag.spi.Generation;
import dev.mlops.rag.spi.GenerationRequest;
import dev.mlops.rag.spi.Generator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Question → {@link Answer}: rate limit, cache, retrieve, prompt, generate, account.
 *
 * <p>{@link #ask} does, in order: (1) take one token from the caller's bucket, or throw
 * {@link RateLimitedException} (cache hits count too); (2) look the question up in the cache under
 * (index version, embedding model, prompt id, generator model) and return the stored answer on a hit
 * (same id, so feedback on it lands on the original); (3) retrieve the top k chunks; (4) render the
 * prompt with {@code question} and {@code context} ({@link PromptTemplate#context}) as one user
 * message; (5) generate; (6) record tokens and cost; (7) build the answer (new random UUID, chunk ids
 * in retrieval order, time from the clock) and cache it. A failure in (3)-(6) caches nothing.
 */
public final class RagPipeline {

    private final Retriever retriever;
    private final Generator generator;
    private final PromptTemplate prompt;
    private final String indexVersion;
    private final String embeddingModelId;
    private final int topK;
    private final Filter filter;
    private final ResponseCache cache;
    private final RateLimiter rateLimiter;
    private final CostTracker costTracker;
    private final Clock clock;
    private final Supplier<String> ids;

    private RagPipeline(Builder b) {
        this.retriever = b.retriever;
        this.generator = b.generator;
        this.prompt = b.prompt;
        this.indexVersion = b.indexVersion;
        this.embeddingModelId = b.embeddingModelId;
        this.topK = b.topK;
        this.filter = b.filter;
        this.cache = b.cache;
        this.rateLimiter = b.rateLimiter;
        this.costTracker = b.costTracker;
        this.clock = b.clock;
        this.ids = b.ids;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; {@code retriever} and {@code indexVersion} are required. */
    public static final class Builder {
        private Retriever retriever;
        private Generator generator = ExtractiveGenerator.create();
        private PromptTemplate prompt = PromptTemplate.RAG_ANSWER;
        private String indexVersion;
        private String embeddingModelId = "none";
        private int topK = 5;
        private Filter filter = Filter.all();
        private ResponseCache cache;
        private RateLimiter rateLimiter;
        private CostTracker costTracker;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> ids = () -> UUID.randomUUID().toString();

        private Builder() {}

        public Builder retriever(Retriever retriever) {
            this.retriever = Objects.requireNonNull(retriever, "retriever");
            return this;
        }

        /** Default {@link ExtractiveGenerator#create()}. */
        public Builder generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** Default {@link PromptTemplate#RAG_ANSWER}; must use exactly {@code question} and {@code context}. */
        public Builder prompt(PromptTemplate prompt) {
            if (!new java.util.HashSet<>(prompt.variables()).equals(java.util.Set.of("question", "context"))) {
                throw new IllegalArgumentException("prompt " + prompt.id() + " must use exactly the variables "
                        + "[question, context], uses " + prompt.variables());
            }
            this.prompt = prompt;
            return this;
        }

        /** The version of the index the retriever reads; part of the cache key and of every answer. */
        public Builder index(String indexVersion, String embeddingModelId) {
            if (indexVersion == null || indexVersion.isBlank()) {
                throw new IllegalArgumentException("indexVersion must not be blank, was '" + indexVersion + "'");
            }
            this.indexVersion = indexVersion;
            this.embeddingModelId = Objects.requireNonNull(embeddingModelId, "embeddingModelId");
            return this;
        }

        public Builder topK(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("topK must be >= 1, was " + k);
            }
            this.topK = k;
            return this;
        }

        public Builder filter(Filter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        public Builder cache(ResponseCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        public Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
            return this;
        }

        public Builder costTracker(CostTracker costTracker) {
            this.costTracker = Objects.requireNonNull(costTracker, "costTracker");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Answer ids; default random UUIDs. */
        public Builder ids(Supplier<String> ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        public RagPipeline build() {
            if (retriever == null || indexVersion == null) {
                throw new IllegalStateException("retriever and index(version, embeddingModelId) are required");
            }
            return new RagPipeline(this);
        }
    }

    /** Answers a question for a caller (the rate-limit bucket). */
    public Answer ask(String caller, String question) {
        Objects.requireNonNull(caller, "caller");
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank, was '" + question + "'");
        }
        if (rateLimiter != null) {
            rateLimiter.acquire(caller, 1);
        }
        ResponseCache.Key key = new ResponseCache.Key(indexVersion, embeddingModelId, prompt.id(),
                generator.modelId());
        if (cache != null) {
            Optional<ResponseCache.Hit> hit = cache.get(key, question);
            if (hit.isPresent()) {
                return hit.get().answer();
            }
        }
        List<SearchHit> hits = retriever.retrieve(question, topK, filter);
        String text = prompt.render(Map.of("question", question, "context", PromptTemplate.context(hits)));
        Generation g = generator.generate(new GenerationRequest(question, hits, List.of(ChatMessage.user(text))));
        if (costTracker != null) {
            costTracker.record(generator.modelId(), g.inputTokens(), g.outputTokens());
        }
        Answer answer = new Answer(ids.get(), question, g.text(), prompt.id(), indexVersion, embeddingModelId,
                generator.modelId(), hits.stream().map(SearchHit::chunkId).toList(), g.inputTokens(),
                g.outputTokens(), clock.instant());
        if (cache != null) {
            cache.put(question, answer);
        }
        return answer;
    }
}
