package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads submit runs to one engine at once; afterwards every result and the history must agree. */
class ConcurrentRunsTest {

    @TempDir
    Path home;

    @Test
    void manyConcurrentRuns_onOneEngine_keepResultsAndHistoryConsistent() throws Exception {
        Flow.Builder b = Flow.builder("hammer");
        Param<Long> n = b.param("n", Long.class);
        TaskHandle<Long> a = b.task("a").run(n, x -> x * 2);
        TaskHandle<Long> c = b.task("c").cache(CachePolicy.of(Serializers.longs())).run(n, x -> x * 3);
        TaskHandle<Long> f = b.task("f").retry(Retry.fixed(2, Duration.ZERO)).run(n, x -> {
            if (x % 5 == 0) {
                throw new IllegalStateException("multiple of five: " + x);
            }
            return x;
        });
        Flow<Long> flow = b.build(b.task("sum").run(a, c, f, (x, y, z) -> x + y + z));
        int threads = 8;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(3).build()) {
            List<Future<List<FlowResult<Long>>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long base = t * 1000L;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<FlowResult<Long>> results = new ArrayList<>();
                    for (int k = 0; k < perThread; k++) {
                        long v = base + k % 10; // repeated values exercise the cache concurrently
                        results.add(engine.run(flow, FlowParams.of().with(n, v)));
                    }
                    return results;
                }));
            }
            go.countDown();
            int failed = 0;
            for (Future<List<FlowResult<Long>>> future : futures) {
                for (FlowResult<Long> r : future.get(120, TimeUnit.SECONDS)) {
                    long v = (Long) r.value(a).orElseThrow() / 2;
                    if (v % 5 == 0) {
                        failed++;
                        assertThat(r.state()).isEqualTo(FlowState.FAILED);
                        assertThat(r.task("f").attempts()).isEqualTo(3);
                        assertThat(r.task("sum").state()).isEqualTo(TaskState.NOT_RUN);
                    } else {
                        assertThat(r.get()).isEqualTo(2 * v + 3 * v + v);
                    }
                    assertThat(r.value(c)).contains(3 * v);
                }
            }
            int total = threads * perThread;
            assertThat(engine.history().lastRuns("hammer", 10_000)).hasSize(total)
                    .allSatisfy(run -> assertThat(run.tasks()).hasSize(4));
            assertThat(engine.history().failedSince(java.time.Instant.EPOCH)).hasSize(failed);
            assertThat(failed).isEqualTo(threads * 5); // k % 10 in {0, 5} for 5 of each thread's 25 runs
        } finally {
            pool.shutdownNow();
        }
    }
}
