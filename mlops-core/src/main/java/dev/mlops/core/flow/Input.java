package dev.mlops.core.flow;

/**
 * A typed value a task can take as input: a flow {@link Param} or the result of an earlier task
 * ({@link TaskHandle}). Inputs belong to the {@link Flow.Builder} that created them.
 *
 * @param <T> the type of the value
 */
public sealed interface Input<T> permits Param, TaskHandle {

    /** The parameter or task name. */
    String name();
}
