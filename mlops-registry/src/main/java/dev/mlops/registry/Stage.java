package dev.mlops.registry;

/**
 * MLflow's legacy model stages, kept as a compatibility view over aliases: a version is {@link #PRODUCTION} while
 * it holds the alias {@code production}, else {@link #STAGING} while it holds {@code staging}, else
 * {@link #ARCHIVED} if it was archived, else {@link #NONE}. See {@link ModelRegistry#transitionStage}.
 */
public enum Stage {
    NONE, STAGING, PRODUCTION, ARCHIVED;

    /** The alias that backs this stage, or {@code null} for NONE and ARCHIVED. */
    public String alias() {
        return switch (this) {
            case STAGING -> "staging";
            case PRODUCTION -> "production";
            default -> null;
        };
    }
}
