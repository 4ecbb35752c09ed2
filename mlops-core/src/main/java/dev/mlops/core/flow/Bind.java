package dev.mlops.core.flow;

import java.util.Objects;

/**
 * Binds a parameter of a subflow to an input of the parent flow; the types must agree at compile time.
 *
 * @param param the subflow's parameter
 * @param from  the parent's parameter or task result that feeds it
 * @param <T>   the value type
 */
public record Bind<T>(Param<T> param, Input<? extends T> from) {

    public Bind {
        Objects.requireNonNull(param, "param");
        Objects.requireNonNull(from, "from");
    }

    /** Shorthand for the constructor. */
    public static <T> Bind<T> of(Param<T> param, Input<? extends T> from) {
        return new Bind<>(param, from);
    }
}
