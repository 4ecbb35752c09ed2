package dev.mlops.core;

import dev.mlops.core.internal.Messages;
import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * Data failed its expectations (value ranges, null rates, uniqueness, ...). Holds a one-line summary and the
 * individual failures, one line each; the message shows the summary and the first 20 failures.
 */
public class ValidationException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String summary;
    private final String[] failures; // an array, not a List, so the exception stays serializable

    /** A validation failure described by its summary alone. */
    public ValidationException(String summary) {
        this(summary, List.of());
    }

    /**
     * @param summary  one line, e.g. {@code "3 of 12 expectations failed on 'train.csv'"}
     * @param failures one line per failed expectation, e.g. {@code "column 'age': 14 values < 0 (min -3)"}
     */
    public ValidationException(String summary, List<String> failures) {
        super(message(Objects.requireNonNull(summary, "summary"), failures));
        this.summary = summary;
        this.failures = failures.stream().map(String::valueOf).toArray(String[]::new);
    }

    /** The one-line summary. */
    public String summary() {
        return summary;
    }

    /** One line per failed expectation, unmodifiable; empty if only a summary was given. */
    public List<String> failures() {
        return List.of(failures);
    }

    private static String message(String summary, List<String> failures) {
        StringBuilder sb = new StringBuilder(summary);
        int shown = Math.min(failures.size(), Messages.MAX_LISTED);
        for (int i = 0; i < shown; i++) {
            sb.append("\n  - ").append(failures.get(i));
        }
        if (failures.size() > shown) {
            sb.append("\n  ... and ").append(failures.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
