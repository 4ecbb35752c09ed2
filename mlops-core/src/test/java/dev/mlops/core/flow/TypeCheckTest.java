package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code returns(type)}: task results are checked against the declared type when the task runs. */
class TypeCheckTest {

    @TempDir
    Path home;

    /** A body that returns a String where a Long is declared; only an unchecked cast lets the compiler accept it. */
    @SuppressWarnings("unchecked")
    private static TaskBody.Of0<Long> smuggledString() {
        TaskBody.Of0<?> body = () -> "seven";
        return (TaskBody.Of0<Long>) body;
    }

    @Test
    void aValueOfTheWrongClass_failsTheTask_namingTaskExpectedAndActualType_withoutRetry() {
        AtomicInteger downstream = new AtomicInteger();
        Flow.Builder b = Flow.builder("typed");
        TaskHandle<Long> n = b.task("n").retry(Retry.fixed(3, Duration.ZERO)).returns(Long.class)
                .run(smuggledString());
        TaskHandle<Long> next = b.task("next").run(n, x -> {
            downstream.incrementAndGet();
            return x + 1;
        });
        Flow<Long> flow = b.build(next);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> r = engine.run(flow);
            assertThat(r.state()).isEqualTo(FlowState.FAILED);
            assertThat(r.task(n).state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task(n).attempts()).as("a type error is not retried").isEqualTo(1);
            assertThat(r.task(n).error()).contains("NonRetriableException")
                    .contains("task 'n' of flow 'typed' returned a java.lang.String (seven)")
                    .contains("declared to return java.lang.Long");
            assertThat(r.task(next).state()).isEqualTo(TaskState.NOT_RUN);
            assertThat(r.value(n)).isEmpty();
        }
        assertThat(downstream).hasValue(0);
    }

    @Test
    void withoutADeclaredType_theSameBodyReachesDownstreamAsAClassCastException() {
        // The contrast that motivates returns(...): the bad value travels on and fails somewhere else.
        Flow.Builder b = Flow.builder("untyped");
        TaskHandle<Long> n = b.task("n").run(smuggledString());
        TaskHandle<Long> next = b.task("next").run(n, x -> x + 1);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> r = engine.run(b.build(next));
            assertThat(r.task(n).state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task(next).error()).contains("ClassCastException");
        }
    }

    @Test
    void aRightValue_passes_andSubtypesAreInstances() {
        Flow.Builder b = Flow.builder("ok");
        TaskHandle<Number> n = b.task("n").returns(Number.class).run(() -> 3L);
        TaskHandle<CharSequence> s = b.task("s").returns(CharSequence.class).run(n, x -> "n=" + x);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThat(engine.run(b.build(s)).get()).hasToString("n=3");
        }
    }

    @Test
    void primitiveDeclaredType_isRefusedAtDefinitionTime() {
        Flow.Builder b = Flow.builder("prim");
        assertThatThrownBy(() -> b.task("n").returns(long.class))
                .isInstanceOf(FlowDefinitionException.class)
                .hasMessageContaining("task 'n' of flow 'prim'").hasMessageContaining("Long.class");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aCachedValueOfTheWrongClass_isNotTrusted_andTheTaskRecomputes() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        // writes a long; reads back the bytes as text (a serializer bug the engine must not pass on)
        ResultSerializer raw = new ResultSerializer() {
            @Override
            public byte[] write(Object value) {
                return ByteBuffer.allocate(8).putLong((Long) value).array();
            }

            @Override
            public Object read(byte[] bytes) {
                return reads.incrementAndGet() == 1 ? new String(bytes, StandardCharsets.ISO_8859_1)
                        : ByteBuffer.wrap(bytes).getLong();
            }
        };
        Flow.Builder b = Flow.builder("cached-typed");
        TaskHandle<Long> n = b.task("n").cache(CachePolicy.of((ResultSerializer<Long>) raw)).returns(Long.class)
                .run(() -> (long) calls.incrementAndGet());
        Flow<Long> flow = b.build(n);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            FlowResult<Long> r = engine.run(flow);
            assertThat(r.task(n).state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task(n).cacheNote()).contains("cache entry holds a java.lang.String")
                    .contains("not the declared java.lang.Long");
            assertThat(r.get()).isEqualTo(2L);
            assertThat(engine.run(flow).task(n).state()).isEqualTo(TaskState.CACHED);
        }
    }
}
