package dev.mlops.registry;

import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.internal.Gate;
import java.util.Objects;

/**
 * A declarative promotion gate, evaluated against the candidate version's run and the current holder of the
 * target alias (the champion):
 *
 * <pre>{@code
 * PromotionPolicy policy = PromotionPolicy.builder()
 *         .gate("accuracy >= 0.95 and f1 >= champion.f1 + 0.005")
 *         .sameDataset("eval")
 *         .build();
 * }</pre>
 *
 * <p>Gate grammar: clauses joined by {@code and}; a clause is {@code expr op expr} with {@code op} one of
 * {@code >= > <= < = !=}; an expression is numbers and metric references joined by {@code +} and {@code -}; a
 * reference is a metric key of the candidate's run ({@code f1}) or of the champion's run ({@code champion.f1}),
 * back-quoted if it has other characters. The latest value of each metric is used. A clause fails when a metric
 * it needs is missing or NaN. A clause that references the champion passes when no version holds the alias yet.
 *
 * <p>{@link Builder#sameDataset(String)} adds a check: the candidate's run must have logged that dataset, and
 * with the same fingerprint as the champion's run, so the comparison is on the same evaluation data.
 */
public final class PromotionPolicy {

    private final String gate;
    private final String dataset;

    private PromotionPolicy(Builder b) {
        this.gate = b.gate;
        this.dataset = b.dataset;
        Gate.parse(b.gate); // fail fast

    }

    /** A new builder; the default gate {@code ""} approves everything. */
    public static Builder builder() {
        return new Builder();
    }

    /** A policy with just this gate. */
    public static PromotionPolicy of(String gate) {
        return builder().gate(gate).build();
    }

    /** The gate text. */
    public String gate() {
        return gate;
    }

    /** The dataset name both runs must share, or {@code null}. */
    public String sameDataset() {
        return dataset;
    }

    @Override
    public String toString() {
        return "PromotionPolicy[" + gate + (dataset == null ? "" : ", same dataset '" + dataset + "'") + "]";
    }

    /** Builds a {@link PromotionPolicy}. */
    public static final class Builder {
        private String gate = "";
        private String dataset;

        private Builder() {
        }

        /** The gate expression; parsed by {@link #build()}. */
        public Builder gate(String gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /** Requires the candidate and the champion to have logged dataset {@code name} with equal fingerprints. */
        public Builder sameDataset(String name) {
            this.dataset = TrackedRun.checkKey(name);
            return this;
        }

        /**
         * @throws FilterSyntaxException if the gate does not parse (the message points at the character)
         */
        public PromotionPolicy build() {
            return new PromotionPolicy(this);
        }
    }
}
