package dev.mlops.registry.serving;

import static dev.mlops.registry.serving.ServingFixture.MODEL;
import static dev.mlops.registry.serving.ServingFixture.expected;
import static dev.mlops.registry.serving.ServingFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.registry.ModelRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many threads predict while another moves the alias back and forth and the server's own poller follows it: every
 * answer must be the one its named version's training rule gives (see {@link ServingFixture}), and no call may fail.
 */
class ServingConcurrencyTest {

    /** The in-memory log's capacity; workers stop before it is full so that every answer's record can be checked. */
    private static final int LOG_CAPACITY = 1_000_000;

    @Test
    void hammeringPredictWhileTheAliasFlips_everyAnswerMatchesTheVersionItNames(@TempDir Path home) throws Exception {
        ModelRegistry registry = ServingFixture.registry(home, Clock.systemUTC());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PredictionLog log = PredictionLog.inMemory(LOG_CAPACITY);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int threads = 8;
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        LongAdder served = new LongAdder();
        LongAdder[] byVersion = {new LongAdder(), new LongAdder(), new LongAdder()};
        AtomicLong swaps = new AtomicLong();
        ServerListener countSwaps = new ServerListener() {
            @Override
            public void versionLoaded(String uri, Integer previousVersion, int version) {
                swaps.incrementAndGet();
            }
        };
        try (ModelServer server = ModelServer.builder().registry(registry).model("models:/m@champion")
                .scheduler(scheduler).pollInterval(Duration.ofMillis(1)).predictionLog(log).meterRegistry(meters)
                .listener(countSwaps).build()) {
            assertThat(server.awaitReady(Duration.ofSeconds(30))).isTrue();
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                Thread worker = new Thread(() -> {
                    Random random = new Random(seed);
                    try {
                        // a fast idle machine serves more than the log holds in the flipping time: stop short of it
                        // (each loop adds at most 3 records, 8 workers)
                        while (!stop.get() && served.sum() < LOG_CAPACITY - 64) {
                            if (random.nextInt(10) == 0) {
                                List<Map<String, Object>> rows = List.of(request(random), request(random),
                                        request(random));
                                List<ServedPrediction> answers = server.predictAll("t" + seed, rows);
                                for (int i = 0; i < rows.size(); i++) {
                                    check(answers.get(i), rows.get(i), problems);
                                    if (answers.get(i).version() != answers.get(0).version()) {
                                        problems.add("one request answered by two versions: " + answers);
                                    }
                                }
                                served.add(rows.size());
                                byVersion[answers.get(0).version()].add(rows.size());
                            } else {
                                Map<String, Object> row = request(random);
                                ServedPrediction p = server.predict(row);
                                check(p, row, problems);
                                served.increment();
                                byVersion[p.version()].increment();
                            }
                        }
                    } catch (RuntimeException e) {
                        problems.add("predict failed: " + e);
                    } finally {
                        done.countDown();
                    }
                });
                workers.add(worker);
                worker.start();
            }
            // flip the alias (promote / roll back) for two seconds and until the server swapped at least 6 times
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            long hardEnd = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int flips = 0;
            while ((System.nanoTime() < end || swaps.get() < 6) && System.nanoTime() < hardEnd) {
                registry.setAlias(MODEL, "champion", flips % 2 == 0 ? 2 : 1, "flip " + flips);
                flips++;
                Thread.sleep(20);
            }
            stop.set(true);
            done.await();
            for (Thread w : workers) {
                w.join();
            }

            assertThat(problems).isEmpty();
            assertThat(served.sum()).isGreaterThan(1_000);
            assertThat(byVersion[1].sum()).isPositive();
            assertThat(byVersion[2].sum()).isPositive();
            assertThat(swaps.get()).isGreaterThanOrEqualTo(6);
            assertThat(meters.find("mlops.serving.errors").counters()).isEmpty();
            List<PredictionRecord> records = log.read(MODEL, Instant.EPOCH, Instant.now().plusSeconds(3600));
            assertThat(records).hasSize((int) served.sum());
            for (PredictionRecord r : records) {
                String want = expected(Integer.parseInt(r.version()), r.inputs());
                if (!want.equals(r.output())) {
                    problems.add("logged " + r);
                }
            }
            assertThat(problems).isEmpty();
        } finally {
            scheduler.shutdownNow();
            registry.close();
        }
    }

    private static void check(ServedPrediction p, Map<String, Object> row, ConcurrentLinkedQueue<String> problems) {
        String want = expected(p.version(), row);
        if (!want.equals(p.label())) {
            problems.add("version " + p.version() + " answered " + p.label() + " for " + row + ", rule says " + want);
        }
    }
}
