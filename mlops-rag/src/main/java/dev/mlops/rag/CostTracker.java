package dev.mlops.rag;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Token and cost accounting per generator model. Prices are per million tokens, input and output
 * separately (as providers publish them); cost of a call = {@code in * inPrice / 1e6 + out * outPrice /
 * 1e6}, computed in {@link BigDecimal} (exact for decimal prices). A model without a price is an
 * error, so a new model is never silently free.
 *
 * <p>Meters: {@code mlops.rag.tokens{model, direction=in|out}} and {@code mlops.rag.cost{model}}
 * (in the prices' currency). Thread-safe.
 */
public final class CostTracker {

    /** Price per million tokens. */
    public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
        public Price {
            if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
                throw new IllegalArgumentException("prices must be >= 0, were " + inputPerMillion + " / "
                        + outputPerMillion);
            }
        }
    }

    /** Totals for one model. */
    public record Usage(long calls, long inputTokens, long outputTokens, BigDecimal cost) {}

    private final Map<String, Price> prices;
    private final MeterRegistry registry;
    private final Map<String, Usage> usage = new HashMap<>();

    private CostTracker(Builder b) {
        this.prices = Map.copyOf(b.prices);
        this.registry = b.registry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings: one {@link #price} per model id (as {@link dev.mlops.rag.spi.Generator#modelId()}). */
    public static final class Builder {
        private final Map<String, Price> prices = new HashMap<>();
        private MeterRegistry registry = new SimpleMeterRegistry();

        private Builder() {}

        /** Prices as decimal strings, e.g. {@code price("openai:gpt-4o-mini", "0.15", "0.60")}. */
        public Builder price(String modelId, String inputPerMillion, String outputPerMillion) {
            Objects.requireNonNull(modelId, "modelId");
            try {
                prices.put(modelId, new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("price of '" + modelId + "' is not a decimal number: '"
                        + inputPerMillion + "' / '" + outputPerMillion + "'", e);
            }
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public CostTracker build() {
            return new CostTracker(this);
        }
    }

    /**
     * Records one call and returns its cost.
     *
     * @throws IllegalArgumentException for a model without a price (listing the priced ones) or a
     *     negative count; nothing is recorded then
     */
    public BigDecimal record(String modelId, long inputTokens, long outputTokens) {
        Price p = prices.get(modelId);
        if (p == null) {
            throw new IllegalArgumentException("no price for model '" + modelId + "'; priced: "
                    + new TreeSet<>(prices.keySet()) + ". Fix: CostTracker.builder().price(\"" + modelId
                    + "\", inPerMillion, outPerMillion) (\"0\", \"0\" for a free local model)");
        }
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0, were " + inputTokens + " / " + outputTokens);
        }
        BigDecimal million = BigDecimal.valueOf(1_000_000);
        BigDecimal cost = p.inputPerMillion().multiply(BigDecimal.valueOf(inputTokens))
                .add(p.outputPerMillion().multiply(BigDecimal.valueOf(outputTokens)))
                .divide(million, MathContext.DECIMAL128).stripTrailingZeros();
        synchronized (usage) {
            usage.merge(modelId, new Usage(1, inputTokens, outputTokens, cost), (a, b) -> new Usage(a.calls() + 1,
                    a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(), a.cost().add(b.cost())));
        }
        Counter.builder("mlops.rag.tokens").tag("model", modelId).tag("direction", "in").register(registry)
                .increment(inputTokens);
        Counter.builder("mlops.rag.tokens").tag("model", modelId).tag("direction", "out").register(registry)
                .increment(outputTokens);
        Counter.builder("mlops.rag.cost").tag("model", modelId).register(registry).increment(cost.doubleValue());
        return cost;
    }

    /** Totals per model, sorted by model id. */
    public Map<String, Usage> usage() {
        synchronized (usage) {
            return new TreeMap<>(usage);
        }
    }
}
