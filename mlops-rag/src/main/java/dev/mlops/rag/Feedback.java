package dev.mlops.rag;

import java.time.Instant;
import java.util.Objects;

/** A user's verdict on an answer: thumbs up or down, an optional comment ("" when none), when. */
public record Feedback(String answerId, Rating rating, String comment, Instant at) {

    /** Thumbs up or down. */
    public enum Rating { UP, DOWN }

    public Feedback {
        Objects.requireNonNull(answerId, "answerId");
        Objects.requireNonNull(rating, "rating");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(at, "at");
    }
}
