package dev.mlops.core.flow;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A typed flow parameter, declared with {@link Flow.Builder#param}. Values are checked (presence, type,
 * rule) before any task of a run starts.
 *
 * @param <T> the parameter type
 */
public final class Param<T> implements Input<T> {

    final String name;
    final Class<T> type;
    final T defaultValue;
    final Predicate<? super T> rule;
    final String ruleText;
    final int index;
    final Object owner;

    Param(String name, Class<T> type, T defaultValue, Predicate<? super T> rule, String ruleText, int index,
            Object owner) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.rule = rule;
        this.ruleText = ruleText;
        this.index = index;
        this.owner = owner;
    }

    @Override
    public String name() {
        return name;
    }

    /** The declared type. */
    public Class<T> type() {
        return type;
    }

    /** The default, or empty if the parameter is required. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    @Override
    public String toString() {
        return "parameter '" + name + "' (" + type.getSimpleName() + ")";
    }
}
