package dev.mlops.core.validation;

/**
 * Which ends of a numeric range belong to it. {@link #CLOSED} is the default of
 * {@link Expectations.ColumnExpectations#between(double, double)}.
 */
public enum Bounds {
    /** {@code [min, max]}: both bounds allowed. */
    CLOSED("[", "]"),
    /** {@code (min, max)}: neither bound allowed. */
    OPEN("(", ")"),
    /** {@code [min, max)}: the lower bound allowed, the upper not. */
    CLOSED_OPEN("[", ")"),
    /** {@code (min, max]}: the upper bound allowed, the lower not. */
    OPEN_CLOSED("(", "]");

    private final String left;
    private final String right;

    Bounds(String left, String right) {
        this.left = left;
        this.right = right;
    }

    boolean minInclusive() {
        return left.equals("[");
    }

    boolean maxInclusive() {
        return right.equals("]");
    }

    String format(double min, double max) {
        return left + min + ", " + max + right;
    }
}
