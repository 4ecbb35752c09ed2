package dev.mlops.core.flow;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An immutable, validated definition of a flow: typed parameters and a DAG of named tasks whose typed
 * results feed later tasks. Run it with a {@link FlowEngine}; use it as one task of another flow with
 * {@link TaskBuilder#subflow}.
 *
 * <pre>{@code
 * Flow.Builder b = Flow.builder("train");
 * Param<Path> csv = b.param("csv", Path.class);
 * Param<Double> minAccuracy = b.param("minAccuracy", Double.class, 0.9);
 * TaskHandle<Table> data = b.task("load").retry(Retry.fixed(3, Duration.ofSeconds(1))).run(csv, this::load);
 * TaskHandle<Model> model = b.task("train").cache(CachePolicy.of(Serializers.json(Model.class)))
 *         .run(data, this::train);
 * TaskHandle<Double> accuracy = b.task("evaluate").run(model, data, this::evaluate);
 * Flow<Double> flow = b.build(accuracy);
 * }</pre>
 *
 * <p>Definition errors are {@link FlowDefinitionException}s raised by the call that makes them (a duplicate
 * task name, an input from another flow, a required subflow parameter left unbound) or by {@code build}
 * (an ordering dependency on an unknown task, a cycle): never while the flow runs.
 *
 * @param <R> the type of the flow's result (the output task's), {@code Void} if it has none
 */
public final class Flow<R> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]{0,127}");

    final String name;
    final List<Param<?>> params;
    final Node[] nodes;
    /** Node indices in a topological order. */
    final int[] order;
    final int output;
    final Object owner;
    final String experiment;

    private Flow(String name, List<Param<?>> params, Node[] nodes, int[] order, int output, Object owner,
            String experiment) {
        this.name = name;
        this.params = params;
        this.nodes = nodes;
        this.order = order;
        this.output = output;
        this.owner = owner;
        this.experiment = experiment;
    }

    /**
     * Starts a flow definition.
     *
     * @param name 1 to 128 letters, digits, {@code _ . -}, starting with a letter or digit
     */
    public static Builder builder(String name) {
        return new Builder(checkName(name, "flow name"));
    }

    /** The flow name. */
    public String name() {
        return name;
    }

    /** The declared parameters, in declaration order. */
    public List<Param<?>> params() {
        return params;
    }

    /** The task names, in declaration order. */
    public List<String> taskNames() {
        return Arrays.stream(nodes).map(n -> n.name).toList();
    }

    /** The number of tasks. */
    public int size() {
        return nodes.length;
    }

    @Override
    public String toString() {
        return "flow '" + name + "' (" + nodes.length + " tasks)";
    }

    static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!NAME.matcher(name).matches()) {
            throw new FlowDefinitionException("invalid " + what + " \"" + name + "\": use 1 to 128 letters, "
                    + "digits, '_', '.' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** Declares parameters and tasks; not thread-safe; spent after {@code build}. */
    public static final class Builder {

        private final String name;
        private final Object owner = new Object();
        private final List<Param<?>> params = new ArrayList<>();
        private final List<Node> nodes = new ArrayList<>();
        private final Map<String, Integer> taskIndex = new HashMap<>();
        private final List<List<String>> afterNames = new ArrayList<>();
        private String experiment;
        private boolean built;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * Each run of this flow opens a run in {@code experiment} of the engine's
         * {@link FlowEngine.Builder#runTracker RunTracker}: parameters are logged as params (a {@code Path} to a
         * file or a {@code Table} also as a dataset fingerprint), the flow run id as tag {@code mlops.flow.runId},
         * tasks reach it through {@link TaskContext#trackedRun()}, and it ends FINISHED, FAILED or KILLED with
         * the flow.
         */
        public Builder tracked(String experiment) {
            checkOpen();
            java.util.Objects.requireNonNull(experiment, "experiment");
            if (experiment.isBlank()) {
                throw new IllegalArgumentException("flow '" + name + "': experiment name must not be blank");
            }
            this.experiment = experiment;
            return this;
        }

        /** A required parameter. */
        public <T> Param<T> param(String name, Class<T> type) {
            return param(name, type, null, null, null);
        }

        /** A parameter with a default, used when the run gives no value. */
        public <T> Param<T> param(String name, Class<T> type, T defaultValue) {
            Objects.requireNonNull(defaultValue, "defaultValue (use param(name, type) for a required one)");
            return param(name, type, defaultValue, null, null);
        }

        /**
         * A parameter with an optional default ({@code null}: required) and a rule every value (the default
         * included) must satisfy, described by {@code ruleText} in error messages (e.g. "in (0, 1]").
         */
        public <T> Param<T> param(String name, Class<T> type, T defaultValue, Predicate<? super T> rule,
                String ruleText) {
            checkOpen();
            checkName(name, "parameter name of flow '" + this.name + "'");
            Objects.requireNonNull(type, "type");
            if (type.isPrimitive()) {
                throw new FlowDefinitionException("parameter '" + name + "' of flow '" + this.name
                        + "' is declared with primitive type " + type + ". Fix: use its wrapper class, "
                        + java.lang.invoke.MethodType.methodType(type).wrap().returnType().getSimpleName()
                        + ".class");
            }
            if ((rule == null) != (ruleText == null)) {
                throw new IllegalArgumentException("parameter '" + name + "': give both a rule and its text, "
                        + "or neither");
            }
            for (Param<?> p : params) {
                if (p.name.equals(name)) {
                    throw new FlowDefinitionException("flow '" + this.name + "' already has a parameter named '"
                            + name + "'. Fix: give each parameter a distinct name");
                }
            }
            Param<T> param = new Param<>(name, type, defaultValue, rule, ruleText, params.size(), owner);
            if (defaultValue != null) {
                if (!type.isInstance(defaultValue)) {
                    throw new FlowDefinitionException("default of parameter '" + name + "' of flow '" + this.name
                            + "' is a " + defaultValue.getClass().getName() + ", not a " + type.getName());
                }
                FlowParams.checkRule(this.name, param, defaultValue, "default");
            }
            params.add(param);
            return param;
        }

        /**
         * Starts declaring a task; finish with one of the {@link TaskBuilder} {@code run} methods.
         *
         * @throws FlowDefinitionException if the name is invalid or already used in this flow
         */
        public TaskBuilder task(String name) {
            checkOpen();
            checkName(name, "task name in flow '" + this.name + "'");
            if (taskIndex.containsKey(name)) {
                throw new FlowDefinitionException("flow '" + this.name + "' already has a task named '" + name
                        + "'. Fix: give each task a distinct name");
            }
            return new TaskBuilder(this, name);
        }

        /** Builds a flow with no result value. */
        public Flow<Void> build() {
            return buildWith(-1);
        }

        /** Builds a flow whose result is {@code output}'s value. */
        public <R> Flow<R> build(TaskHandle<R> output) {
            checkOwned(output, "the flow output");
            return buildWith(output.index);
        }

        private <R> Flow<R> buildWith(int output) {
            checkOpen();
            if (nodes.isEmpty()) {
                throw new FlowDefinitionException("flow '" + name + "' has no tasks. Fix: declare at least one "
                        + "with task(name).run(...)");
            }
            Node[] array = nodes.toArray(new Node[0]);
            List<Set<Integer>> up = new ArrayList<>();
            for (Node node : array) {
                Set<Integer> deps = new LinkedHashSet<>();
                for (Input<?> in : node.inputs) {
                    if (in instanceof TaskHandle<?> h) {
                        deps.add(h.index);
                    }
                }
                for (String after : afterNames.get(node.index)) {
                    Integer idx = taskIndex.get(after);
                    if (idx == null) {
                        throw new FlowDefinitionException("task '" + node.name + "' of flow '" + name
                                + "' runs after '" + after + "', which is not a task of this flow; tasks are "
                                + taskIndex.keySet() + ". Fix: declare it or correct the name");
                    }
                    if (idx == node.index) {
                        throw new FlowDefinitionException("task '" + node.name + "' of flow '" + name
                                + "' runs after itself: cycle " + node.name + " -> " + node.name);
                    }
                    deps.add(idx);
                }
                up.add(deps);
            }
            List<List<Integer>> down = new ArrayList<>();
            for (int i = 0; i < array.length; i++) {
                down.add(new ArrayList<>());
            }
            for (int i = 0; i < array.length; i++) {
                array[i].upstream = up.get(i).stream().mapToInt(Integer::intValue).toArray();
                for (int u : array[i].upstream) {
                    down.get(u).add(i);
                }
            }
            for (int i = 0; i < array.length; i++) {
                array[i].downstream = down.get(i).stream().mapToInt(Integer::intValue).toArray();
            }
            int[] order = topologicalOrder(array);
            built = true;
            return new Flow<>(name, Collections.unmodifiableList(new ArrayList<>(params)), array, order, output,
                    owner, experiment);
        }

        private int[] topologicalOrder(Node[] array) {
            int[] indegree = new int[array.length];
            for (Node n : array) {
                indegree[n.index] = n.upstream.length;
            }
            ArrayDeque<Integer> ready = new ArrayDeque<>();
            for (int i = 0; i < array.length; i++) {
                if (indegree[i] == 0) {
                    ready.add(i);
                }
            }
            int[] order = new int[array.length];
            int k = 0;
            while (!ready.isEmpty()) {
                int i = ready.poll();
                order[k++] = i;
                for (int d : array[i].downstream) {
                    if (--indegree[d] == 0) {
                        ready.add(d);
                    }
                }
            }
            if (k < array.length) {
                throw new FlowDefinitionException("flow '" + name + "' has a cycle: " + findCycle(array, indegree)
                        + ". Fix: remove one of these ordering dependencies (after(...))");
            }
            return order;
        }

        /** A cycle among the nodes left with a positive in-degree, as "a -> b -> a". */
        private static String findCycle(Node[] array, int[] indegree) {
            int start = 0;
            while (indegree[start] == 0) {
                start++;
            }
            // Walk upstream through unresolved nodes until a node repeats.
            List<Integer> path = new ArrayList<>();
            Map<Integer, Integer> seen = new HashMap<>();
            int cur = start;
            while (!seen.containsKey(cur)) {
                seen.put(cur, path.size());
                path.add(cur);
                int next = -1;
                for (int u : array[cur].upstream) {
                    if (indegree[u] > 0) {
                        next = u;
                        break;
                    }
                }
                cur = next;
            }
            List<Integer> cycle = new ArrayList<>(path.subList(seen.get(cur), path.size()));
            Collections.reverse(cycle);
            StringBuilder sb = new StringBuilder();
            for (int i : cycle) {
                sb.append(array[i].name).append(" -> ");
            }
            return sb.append(array[cycle.get(0)].name).toString();
        }

        private void checkOpen() {
            if (built) {
                throw new IllegalStateException("flow '" + name + "' was already built; start a new "
                        + "Flow.builder to define another");
            }
        }

        void checkOwned(Input<?> input, String role) {
            Objects.requireNonNull(input, role);
            Object inputOwner = input instanceof Param<?> p ? p.owner : ((TaskHandle<?>) input).owner;
            if (inputOwner != owner) {
                throw new FlowDefinitionException(role + " of flow '" + name + "' is " + input
                        + ", which belongs to another flow definition. Fix: use inputs declared on this "
                        + "builder, or pass values into a subflow with Bind.of(childParam, parentInput)");
            }
        }

        private <R> TaskHandle<R> add(TaskBuilder t, Input<?>[] inputs, TaskBody.Invoker body, Flow<?> subflow,
                List<Bind<?>> bindings) {
            checkOpen();
            if (taskIndex.containsKey(t.name)) {
                throw new FlowDefinitionException("flow '" + name + "' already has a task named '" + t.name
                        + "'. Fix: give each task a distinct name");
            }
            if (t.used) {
                throw new IllegalStateException("task builder '" + t.name + "' was already used");
            }
            for (int i = 0; i < inputs.length; i++) {
                checkOwned(inputs[i], "input " + (i + 1) + " of task '" + t.name + "'");
            }
            for (TaskHandle<?> h : t.afterHandles) {
                checkOwned(h, "an ordering dependency of task '" + t.name + "'");
            }
            if (t.cache != null) {
                for (Param<?> p : t.cache.keyParamList()) {
                    checkOwned(p, "a cache key parameter of task '" + t.name + "'");
                }
            }
            t.used = true;
            int index = nodes.size();
            List<String> after = new ArrayList<>(t.afterNames);
            for (TaskHandle<?> h : t.afterHandles) {
                after.add(h.name);
            }
            nodes.add(new Node(t.name, index, t.version, t.tags, t.retry, t.timeout, t.cache, inputs, body,
                    subflow, bindings, t.outputType));
            afterNames.add(after);
            taskIndex.put(t.name, index);
            return new TaskHandle<>(t.name, index, owner);
        }
    }

    /** Options of one task, finished by a {@code run} or {@code subflow} call that returns its handle. */
    public static final class TaskBuilder {

        private final Builder flow;
        private final String name;
        private String version = "1";
        private String[] tags = new String[0];
        private Retry retry = Retry.none();
        private Duration timeout;
        private CachePolicy<?> cache;
        private final List<String> afterNames = new ArrayList<>();
        private final List<TaskHandle<?>> afterHandles = new ArrayList<>();
        private Class<?> outputType;
        private boolean used;

        private TaskBuilder(Builder flow, String name) {
            this.flow = flow;
            this.name = name;
        }

        /** The task version, part of its cache key; change it when the body's logic changes. Default "1". */
        public TaskBuilder version(String version) {
            Objects.requireNonNull(version, "version");
            if (version.isBlank()) {
                throw new IllegalArgumentException("task '" + name + "': version must not be blank");
            }
            this.version = version;
            return this;
        }

        /** Tags for per-tag concurrency limits ({@link FlowEngine.Builder#tagLimit}) and meters. */
        public TaskBuilder tags(String... tags) {
            for (String tag : tags) {
                checkName(tag, "tag of task '" + name + "'");
            }
            this.tags = tags.clone();
            return this;
        }

        /** The retry policy; default {@link Retry#none()}. */
        public TaskBuilder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * The longest one attempt may run. When it expires the task's thread is interrupted, the attempt
         * fails with a {@link TaskTimeoutException} and its concurrency slot is released at once.
         */
        public TaskBuilder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("task '" + name + "': timeout must be positive, got "
                        + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Caches the task's result under this policy; the serializer must accept the task's result type. */
        public TaskBuilder cache(CachePolicy<?> policy) {
            this.cache = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Declares the task's result type, checked when the task runs: a value that is not an instance of
         * {@code type} (possible through an unchecked cast, a raw type or reflection, which the compiler cannot
         * see) fails the task with a non-retriable error naming the task, the declared type and the actual
         * class, instead of reaching a downstream task as a {@code ClassCastException}. A cached value of
         * another type is not trusted either: the task recomputes. Finish with one of the returned builder's
         * {@code run} or {@code subflow} methods.
         *
         * @throws FlowDefinitionException if {@code type} is primitive (use its wrapper class)
         */
        public <T> Returning<T> returns(Class<T> type) {
            Objects.requireNonNull(type, "type");
            if (type.isPrimitive()) {
                throw new FlowDefinitionException("task '" + name + "' of flow '" + flow.name + "' declares the "
                        + "primitive result type " + type + ". Fix: use its wrapper class, "
                        + java.lang.invoke.MethodType.methodType(type).wrap().returnType().getSimpleName() + ".class");
            }
            this.outputType = type;
            return new Returning<>(this);
        }

        /** Runs only after these tasks completed, without taking their results. */
        public TaskBuilder after(TaskHandle<?>... tasks) {
            afterHandles.addAll(Arrays.asList(tasks));
            return this;
        }

        /** Runs only after the named tasks, which may be declared later; checked by {@code build}. */
        public TaskBuilder after(String... taskNames) {
            for (String n : taskNames) {
                afterNames.add(Objects.requireNonNull(n, "task name"));
            }
            return this;
        }

        public <R> TaskHandle<R> run(TaskBody.Of0<R> body) {
            Objects.requireNonNull(body, "body");
            return flow.add(this, new Input<?>[0], args -> body.call(), null, List.of());
        }

        @SuppressWarnings("unchecked")
        public <A, R> TaskHandle<R> run(Input<A> a, TaskBody.Of1<? super A, R> body) {
            Objects.requireNonNull(body, "body");
            return flow.add(this, new Input<?>[] {a}, args -> body.call((A) args[0]), null, List.of());
        }

        @SuppressWarnings("unchecked")
        public <A, B, R> TaskHandle<R> run(Input<A> a, Input<B> b, TaskBody.Of2<? super A, ? super B, R> body) {
            Objects.requireNonNull(body, "body");
            return flow.add(this, new Input<?>[] {a, b}, args -> body.call((A) args[0], (B) args[1]), null,
                    List.of());
        }

        @SuppressWarnings("unchecked")
        public <A, B, C, R> TaskHandle<R> run(Input<A> a, Input<B> b, Input<C> c,
                TaskBody.Of3<? super A, ? super B, ? super C, R> body) {
            Objects.requireNonNull(body, "body");
            return flow.add(this, new Input<?>[] {a, b, c},
                    args -> body.call((A) args[0], (B) args[1], (C) args[2]), null, List.of());
        }

        @SuppressWarnings("unchecked")
        public <A, B, C, D, R> TaskHandle<R> run(Input<A> a, Input<B> b, Input<C> c, Input<D> d,
                TaskBody.Of4<? super A, ? super B, ? super C, ? super D, R> body) {
            Objects.requireNonNull(body, "body");
            return flow.add(this, new Input<?>[] {a, b, c, d},
                    args -> body.call((A) args[0], (B) args[1], (C) args[2], (D) args[3]), null, List.of());
        }

        /**
         * Runs {@code child} as this task: a separate flow run (with its own history record, linked by
         * its parent run id) whose parameters are bound to inputs of this flow; the task's value is the
         * child's result. Child parameters left unbound take their defaults.
         *
         * @throws FlowDefinitionException if a binding names a parameter of another flow, or a required
         *                                 child parameter is left unbound
         */
        public <R> TaskHandle<R> subflow(Flow<R> child, Bind<?>... bindings) {
            Objects.requireNonNull(child, "child");
            Set<String> bound = new LinkedHashSet<>();
            Input<?>[] inputs = new Input<?>[bindings.length];
            for (int i = 0; i < bindings.length; i++) {
                Bind<?> bind = Objects.requireNonNull(bindings[i], "bindings[" + i + "]");
                if (bind.param().owner != child.owner) {
                    throw new FlowDefinitionException("subflow task '" + name + "' binds " + bind.param()
                            + ", which is not a parameter of flow '" + child.name + "'; its parameters are "
                            + child.params.stream().map(Param::name).toList());
                }
                if (!bound.add(bind.param().name)) {
                    throw new FlowDefinitionException("subflow task '" + name + "' binds " + bind.param()
                            + " twice");
                }
                inputs[i] = bind.from();
            }
            for (Param<?> p : child.params) {
                if (p.defaultValue == null && !bound.contains(p.name)) {
                    throw new FlowDefinitionException("subflow task '" + name + "' leaves required " + p
                            + " of flow '" + child.name + "' unbound. Fix: add Bind.of(param, input)");
                }
            }
            return flow.add(this, inputs, null, child, List.of(bindings));
        }
    }

    /**
     * A task whose result type was declared with {@link TaskBuilder#returns(Class)}; its {@code run} methods
     * are those of {@link TaskBuilder} with the result type fixed to {@code T}.
     *
     * @param <T> the declared result type
     */
    public static final class Returning<T> {

        private final TaskBuilder task;

        private Returning(TaskBuilder task) {
            this.task = task;
        }

        public TaskHandle<T> run(TaskBody.Of0<? extends T> body) {
            Objects.requireNonNull(body, "body");
            return task.<T>run(body::call);
        }

        public <A> TaskHandle<T> run(Input<A> a, TaskBody.Of1<? super A, ? extends T> body) {
            Objects.requireNonNull(body, "body");
            return task.<A, T>run(a, body::call);
        }

        public <A, B> TaskHandle<T> run(Input<A> a, Input<B> b, TaskBody.Of2<? super A, ? super B, ? extends T> body) {
            Objects.requireNonNull(body, "body");
            return task.<A, B, T>run(a, b, body::call);
        }

        public <A, B, C> TaskHandle<T> run(Input<A> a, Input<B> b, Input<C> c,
                TaskBody.Of3<? super A, ? super B, ? super C, ? extends T> body) {
            Objects.requireNonNull(body, "body");
            return task.<A, B, C, T>run(a, b, c, body::call);
        }

        public <A, B, C, D> TaskHandle<T> run(Input<A> a, Input<B> b, Input<C> c, Input<D> d,
                TaskBody.Of4<? super A, ? super B, ? super C, ? super D, ? extends T> body) {
            Objects.requireNonNull(body, "body");
            return task.<A, B, C, D, T>run(a, b, c, d, body::call);
        }

        /** As {@link TaskBuilder#subflow}; the child's result is checked against {@code T}. */
        @SuppressWarnings("unchecked")
        public TaskHandle<T> subflow(Flow<? extends T> child, Bind<?>... bindings) {
            return (TaskHandle<T>) task.subflow(child, bindings);
        }
    }
}
