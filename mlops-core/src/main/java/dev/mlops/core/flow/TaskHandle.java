package dev.mlops.core.flow;

/**
 * The typed future result of a task in a flow definition. Pass it to later tasks as an input, or read the
 * value of a finished run with {@link FlowResult#value(TaskHandle)}.
 *
 * @param <T> the type the task returns
 */
public final class TaskHandle<T> implements Input<T> {

    final String name;
    final int index;
    final Object owner;

    TaskHandle(String name, int index, Object owner) {
        this.name = name;
        this.index = index;
        this.owner = owner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "task '" + name + "'";
    }
}
