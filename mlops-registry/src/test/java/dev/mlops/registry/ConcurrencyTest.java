package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads hammering one registry; exact counts afterwards. */
class ConcurrencyTest {

    @TempDir
    Path home;

    @Test
    void manyThreadsLoggingAtOnceLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 200;
        int bufferedPerThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (ModelRegistry registry = ModelRegistry.builder().home(home).bufferChunkSize(1024).build()) {
            RegistryRun shared = registry.startRun("exp", "shared");
            MetricLogger sharedLogger = shared.bufferedLogger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> own = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                own.add(pool.submit(() -> {
                    start.await();
                    try (RegistryRun mine = registry.startRun("exp", "t" + thread)) {
                        for (int i = 0; i < perThread; i++) {
                            shared.logMetric("direct", i, thread * perThread + i);
                            shared.logParam("p" + thread + "_" + i, "v");
                            shared.setTag("t" + thread, Integer.toString(i));
                            mine.logMetric("own", i, i);
                        }
                        for (int i = 0; i < bufferedPerThread; i++) {
                            sharedLogger.log("buffered", thread, (long) thread * bufferedPerThread + i);
                        }
                        return mine.runId();
                    }
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            for (Future<String> f : own) {
                ids.add(f.get());
            }
            sharedLogger.flush();
            shared.close();
            assertThat(ids).hasSize(threads);
            assertThat(registry.metricHistory(shared.runId(), "direct")).hasSize(threads * perThread);
            assertThat(registry.run(shared.runId()).params()).hasSize(threads * perThread);
            List<MetricPoint> buffered = registry.metricHistory(shared.runId(), "buffered");
            assertThat(buffered).hasSize(threads * bufferedPerThread);
            assertThat(buffered.stream().map(MetricPoint::step).distinct().count()).isEqualTo((long) threads * bufferedPerThread);
            for (String id : ids) {
                assertThat(registry.metricHistory(id, "own")).hasSize(perThread);
            }
            for (int t = 0; t < threads; t++) {
                assertThat(registry.run(shared.runId()).tags()).containsEntry("t" + t, Integer.toString(perThread - 1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void endingARunFlushesItsBufferedLoggersAndLaterPointsAreRefused() {
        try (ModelRegistry registry = ModelRegistry.builder().home(home).bufferChunkSize(16).build()) {
            RegistryRun run = registry.startRun("exp", null);
            MetricLogger log = run.bufferedLogger();
            for (int i = 0; i < 1000; i++) {
                log.log("x", i, i);
            }
            run.close();
            assertThat(registry.metricHistory(run.runId(), "x")).hasSize(1000);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.log("x", 1, 1))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
