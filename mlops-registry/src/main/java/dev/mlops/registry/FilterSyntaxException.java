package dev.mlops.registry;

import dev.mlops.core.NonRetriableException;
import java.io.Serial;
import java.util.Objects;

/**
 * A run filter or ordering clause that does not parse or does not type-check. The message shows the input
 * with a caret under the offending character:
 *
 * <pre>
 * bad filter at character 22: expected a value after '&gt;', found 'and'. Fix: compare with a number, e.g. 0.9
 *   metrics.accuracy &gt; and params.model = 'rf'
 *                      ^
 * </pre>
 */
public class FilterSyntaxException extends NonRetriableException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int position;

    /**
     * @param input    the whole filter or order-by text
     * @param position the 0-based index of the offending character ({@code input.length()} for "at the end")
     * @param problem  what is wrong and how to fix it
     */
    public FilterSyntaxException(String input, int position, String problem) {
        this("filter", input, position, problem);
    }

    /**
     * @param kind what was parsed, e.g. {@code "filter"} or {@code "promotion gate"}
     */
    public FilterSyntaxException(String kind, String input, int position, String problem) {
        super(message(kind, input, position, problem));
        this.input = input;
        this.position = position;
    }

    private static String message(String kind, String input, int position, String problem) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(problem, "problem");
        return "bad " + kind + " at character " + (position + 1) + ": " + problem + "\n  "
                + input.replace('\n', ' ').replace('\t', ' ') + "\n  " + " ".repeat(Math.max(0, position)) + "^";
    }

    /** The filter text as given. */
    public String input() {
        return input;
    }

    /** The 0-based index of the offending character. */
    public int position() {
        return position;
    }
}
