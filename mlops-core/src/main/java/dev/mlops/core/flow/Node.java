package dev.mlops.core.flow;

import java.time.Duration;
import java.util.List;

/** One task of a built flow: its body, inputs, options and edges. Immutable once the flow is built. */
final class Node {

    final String name;
    final int index;
    final String version;
    final String[] tags;
    final Retry retry;
    final Duration timeout;
    final CachePolicy<Object> cache;
    final Input<?>[] inputs;
    final TaskBody.Invoker body;
    final Flow<?> subflow;
    final List<Bind<?>> bindings;
    /** The declared result type ({@code returns(type)}), or null if undeclared. */
    final Class<?> outputType;
    /** Task indices this task waits for (data inputs and ordering dependencies), no duplicates. */
    int[] upstream;
    /** Task indices that wait for this task. */
    int[] downstream;

    @SuppressWarnings("unchecked")
    Node(String name, int index, String version, String[] tags, Retry retry, Duration timeout,
            CachePolicy<?> cache, Input<?>[] inputs, TaskBody.Invoker body, Flow<?> subflow,
            List<Bind<?>> bindings, Class<?> outputType) {
        this.name = name;
        this.index = index;
        this.version = version;
        this.tags = tags;
        this.retry = retry;
        this.timeout = timeout;
        this.cache = (CachePolicy<Object>) cache;
        this.inputs = inputs;
        this.body = body;
        this.subflow = subflow;
        this.bindings = bindings;
        this.outputType = outputType;
    }
}
