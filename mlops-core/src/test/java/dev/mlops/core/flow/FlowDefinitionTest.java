package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowDefinitionTest {

    @TempDir
    Path home;

    @Test
    void task_duplicateName_failsAtDefinition() {
        Flow.Builder b = Flow.builder("f");
        b.task("load").run(() -> 1);
        assertThatThrownBy(() -> b.task("load"))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("already has a task named 'load'");
    }

    @Test
    void build_cycleThroughOrderingDependencies_namesTheCycle() {
        Flow.Builder b = Flow.builder("f");
        b.task("a").after("c").run(() -> 1);
        b.task("b").after("a").run(() -> 2);
        b.task("c").after("b").run(() -> 3);
        b.task("free").run(() -> 4);
        assertThatThrownBy(b::build)
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("has a cycle")
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b",
                        "c -> a -> b -> c"));
    }

    @Test
    void build_selfDependency_isACycle() {
        Flow.Builder b = Flow.builder("f");
        b.task("a").after("a").run(() -> 1);
        assertThatThrownBy(b::build).isInstanceOf(FlowDefinitionException.class).hasMessageContaining("a -> a");
    }

    @Test
    void build_orderingDependencyOnUnknownTask_fails() {
        Flow.Builder b = Flow.builder("f");
        b.task("a").after("nope").run(() -> 1);
        assertThatThrownBy(b::build).isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("runs after 'nope', which is not a task of this flow");
    }

    @Test
    void run_inputFromAnotherFlow_isAMissingInput() {
        Flow.Builder other = Flow.builder("other");
        TaskHandle<Integer> foreign = other.task("x").run(() -> 1);
        Flow.Builder b = Flow.builder("f");
        assertThatThrownBy(() -> b.task("y").run(foreign, x -> x + 1))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("input 1 of task 'y'")
                .hasMessageContaining("belongs to another flow definition");
    }

    @Test
    void param_primitiveOrBadDefault_failsAtDefinition() {
        Flow.Builder b = Flow.builder("f");
        assertThatThrownBy(() -> b.param("n", int.class)).isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("Integer");
        assertThatThrownBy(() -> b.param("p", Double.class, 2.0, v -> v > 0 && v <= 1, "in (0, 1]"))
                .isInstanceOf(FlowDefinitionException.class).hasMessageContaining("in (0, 1]");
        b.param("q", String.class);
        assertThatThrownBy(() -> b.param("q", String.class)).isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("already has a parameter named 'q'");
    }

    @Test
    void invalidNames_areRejected() {
        assertThatThrownBy(() -> Flow.builder("bad name")).isInstanceOf(FlowDefinitionException.class);
        assertThatThrownBy(() -> Flow.builder("f").task("")).isInstanceOf(FlowDefinitionException.class);
    }

    @Test
    void parameters_wrongTypeMissingUnknownOrRuleBroken_failBeforeAnyTaskRuns() {
        AtomicInteger calls = new AtomicInteger();
        Flow.Builder b = Flow.builder("params");
        Param<Double> threshold = b.param("threshold", Double.class, 0.5, v -> v > 0 && v < 1, "in (0, 1)");
        Param<String> name = b.param("name", String.class);
        b.task("t").run(threshold, name, (t, n) -> calls.incrementAndGet());
        Flow<Void> flow = b.build();
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThatThrownBy(() -> engine.submit(flow, FlowParams.of().with("name", "x").with("threshold", "0.9")))
                    .isInstanceOf(FlowDefinitionException.class)
                    .hasMessageContaining("parameter 'threshold' of flow 'params' expects a java.lang.Double, "
                            + "got a java.lang.String (\"0.9\")");
            assertThatThrownBy(() -> engine.submit(flow, FlowParams.of()))
                    .isInstanceOf(FlowDefinitionException.class)
                    .hasMessageContaining("needs a value for required parameter 'name'");
            assertThatThrownBy(() -> engine.submit(flow, FlowParams.of().with(name, "x").with("thresh", 0.2)))
                    .isInstanceOf(FlowDefinitionException.class).hasMessageContaining("no parameter 'thresh'");
            assertThatThrownBy(() -> engine.submit(flow, FlowParams.of().with(name, "x").with(threshold, 1.5)))
                    .isInstanceOf(FlowDefinitionException.class).hasMessageContaining("breaks its rule: in (0, 1)");
            assertThat(calls).hasValue(0);
            assertThat(engine.history().lastRuns("params", 10)).isEmpty();

            FlowResult<Void> ok = engine.run(flow, FlowParams.of().with(name, "x"));
            assertThat(ok.state()).isEqualTo(FlowState.COMPLETED);
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void subflow_requiredParamLeftUnbound_failsAtDefinition() {
        Flow.Builder cb = Flow.builder("child");
        Param<Integer> x = cb.param("x", Integer.class);
        Flow<Integer> child = cb.build(cb.task("double").run(x, v -> v * 2));

        Flow.Builder pb = Flow.builder("parent");
        assertThatThrownBy(() -> pb.task("sub").subflow(child))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("leaves required parameter 'x'");
        Param<Integer> foreign = Flow.builder("z").param("x", Integer.class);
        TaskHandle<Integer> one = pb.task("one").run(() -> 1);
        assertThatThrownBy(() -> pb.task("sub2").subflow(child, Bind.of(foreign, one)))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("not a parameter of flow 'child'");
    }

    @Test
    void build_twice_isRefused() {
        Flow.Builder b = Flow.builder("f");
        b.task("a").run(() -> 1);
        b.build();
        assertThatThrownBy(() -> b.task("b")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Flow.builder("empty").build()).isInstanceOf(FlowDefinitionException.class);
    }
}
