package dev.mlops.core;

import dev.mlops.core.internal.Messages;
import java.io.Serial;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A named thing (a column, a model, an alias, a file) does not exist. The message lists what does exist
 * (the first 20, then a count) and, when one existing name is within edit distance 2 of the requested one,
 * suggests it:
 *
 * <pre>column 'prise' not found; did you mean 'price'? Available (3): 'date', 'price', 'qty'</pre>
 *
 * <p>The distance ignores case, so {@code 'ID'} is suggested for {@code 'id'}. A suggestion needs fewer
 * edits than the requested name has characters, so {@code 'x'} never suggests {@code 'y'}.
 */
public class NotFoundException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The largest edit distance at which a name is suggested. */
    static final int MAX_SUGGESTION_DISTANCE = 2;

    private final String kind;
    private final String name;
    private final String[] available; // an array, not a List, so the exception stays serializable

    /**
     * @param kind      what was looked up, singular, e.g. {@code "column"} or {@code "model"}
     * @param name      the name that was not found
     * @param available the names that do exist, in the order to list them (may be empty)
     */
    public NotFoundException(String kind, String name, Collection<String> available) {
        this(kind, name, copy(available), null);
    }

    /** As {@link #NotFoundException(String, String, Collection)}, with the underlying failure. */
    public NotFoundException(String kind, String name, Collection<String> available, Throwable cause) {
        this(kind, name, copy(available), cause);
    }

    private NotFoundException(String kind, String name, List<String> available, Throwable cause) {
        super(message(kind, name, available), cause);
        this.kind = kind;
        this.name = name;
        this.available = available.toArray(String[]::new);
    }

    /** What was looked up, e.g. {@code "column"}. */
    public String kind() {
        return kind;
    }

    /** The name that was not found. */
    public String name() {
        return name;
    }

    /** The names that do exist, unmodifiable. */
    public List<String> available() {
        return List.of(available);
    }

    /** The existing name closest to {@link #name()} within edit distance 2, if there is one. */
    public Optional<String> suggestion() {
        return closest(name, available());
    }

    private static List<String> copy(Collection<String> available) {
        Objects.requireNonNull(available, "available");
        return available.stream().map(String::valueOf).toList();
    }

    private static String message(String kind, String name, List<String> available) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        String hint = closest(name, available).map(s -> "; did you mean '" + s + "'? ").orElse(". ");
        return kind + " '" + name + "' not found" + hint
                + "Available (" + available.size() + "): " + Messages.list(available);
    }

    static Optional<String> closest(String name, List<String> candidates) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                continue;
            }
            int d = distance(wanted, candidate.toLowerCase(Locale.ROOT), MAX_SUGGESTION_DISTANCE);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        boolean close = bestDistance <= MAX_SUGGESTION_DISTANCE && bestDistance < name.length();
        return close ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, or {@code limit + 1} as soon as it is known to exceed {@code limit}. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
                rowMin = Math.min(rowMin, current[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return Math.min(previous[b.length()], limit + 1);
    }
}
