package dev.mlops.registry;

import java.util.List;

/**
 * The outcome of evaluating a {@link PromotionPolicy} for a candidate version.
 *
 * @param approved  whether every clause passed
 * @param model     the model
 * @param alias     the alias the candidate would take
 * @param candidate the candidate version
 * @param champion  the version holding the alias at evaluation time, or {@code null}
 * @param reasons   one line per check, saying what was compared, the values, and pass or fail
 */
public record PromotionDecision(boolean approved, String model, String alias, int candidate, Integer champion,
                                List<String> reasons) {
    public PromotionDecision {
        reasons = List.copyOf(reasons);
    }
}
