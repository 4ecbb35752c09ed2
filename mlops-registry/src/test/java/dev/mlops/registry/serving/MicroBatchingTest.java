package dev.mlops.registry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.OnnxModels;
import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.VersionRequest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micro-batching of an ONNX model (the fixture's rule {@code x1 > 0 ? "a1" : "a0"}, exported from Tribuo) under
 * many threads, and the server's default durable prediction log in its home directory. The reference for each answer
 * is the same row predicted alone through {@code registry.load} (no batching) and the rule the model learned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroBatchingTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    static final String URI = "models:/onnx-m@champion";
    ModelRegistry registry;
    Predictor single;

    @BeforeAll
    void register(@TempDir Path home) throws Exception {
        registry = ModelRegistry.builder().home(home).clock(CLOCK).principal(() -> "test").build();
        try (RegistryRun run = registry.startRun("serving", "onnx")) {
            OnnxModels.logModel(run, ServingFixture.train(0, "a"), "model");
            registry.createVersion(VersionRequest.builder("onnx-m", run.runId(), "model").flavor(OnnxModels.FLAVOR)
                    .signature(ServingFixture.SIGNATURE).build());
        }
        registry.setAlias("onnx-m", "champion", 1, "first");
        single = registry.load(URI);
    }

    @AfterAll
    void close() {
        registry.close();
    }

    @Test
    void concurrentRowsAreBatchedAndEachCallerGetsItsOwnRowsAnswer() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        long maxWaitNanos = 200_000;
        int threads = 8;
        int perThread = 1_500; // many rows, so that two callers overlap even when other builds crowd the 2 cores
        try (ModelServer server = ModelServer.builder().registry(registry).model(URI).meterRegistry(meters)
                .pollInterval(Duration.ZERO).microBatching(Duration.ofNanos(maxWaitNanos), 16).build()) {
            server.refresh();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        rows.add(ServingFixture.request(random));
                    }
                    start.await();
                    long worst = 0;
                    long mismatches = 0;
                    List<ServedPrediction> answers = new ArrayList<>();
                    for (Map<String, Object> row : rows) {
                        long t0 = System.nanoTime();
                        answers.add(server.predict(row));
                        worst = Math.max(worst, System.nanoTime() - t0);
                    }
                    for (int i = 0; i < perThread; i++) {
                        Prediction alone = single.predict(rows.get(i));
                        ServedPrediction got = answers.get(i);
                        boolean same = got.label().equals(alone.label())
                                && got.label().equals(ServingFixture.expected(1, rows.get(i)))
                                && Math.abs(got.prediction().score("a1") - alone.score("a1")) <= 1e-6;
                        mismatches += same ? 0 : 1;
                    }
                    return new long[] {worst, mismatches};
                }));
            }
            long worst = 0;
            for (Future<long[]> f : futures) {
                long[] r = f.get();
                worst = Math.max(worst, r[0]);
                assertThat(r[1]).as("answers differing from the single-row prediction").isZero();
            }
            pool.shutdown();
            DistributionSummary sizes = meters.get("mlops.serving.batch.size").summary();
            assertThat(sizes.totalAmount()).as("every row went through the batcher").isEqualTo(threads * perThread);
            assertThat(sizes.count()).as("model calls: fewer than rows, so rows were gathered")
                    .isLessThan(threads * perThread);
            assertThat(sizes.max()).isLessThanOrEqualTo(16);
            // functional bound only (not a performance assertion): the wait bound plus a generous allowance for
            // the model call on a shared 2-core machine
            assertThat(worst).isLessThan(maxWaitNanos + Duration.ofSeconds(2).toNanos());
        }
    }

    @Test
    void aBatchClosesWhenFullAndInvalidRowsNeverReachIt() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ModelServer server = ModelServer.builder().registry(registry).model(URI).meterRegistry(meters)
                .pollInterval(Duration.ZERO).microBatching(Duration.ofMillis(300), 4).build()) {
            server.refresh();
            Map<String, Object> bad = ServingFixture.request(new Random(1));
            bad.put("x1", Double.NaN);
            assertThatThrownBy(() -> server.predict(bad)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("x1");
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = 100 + t;
                futures.add(pool.submit(() -> {
                    Map<String, Object> row = ServingFixture.request(new Random(seed));
                    start.await();
                    return server.predict(row).label().equals(ServingFixture.expected(1, row));
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
            pool.shutdown();
            DistributionSummary sizes = meters.get("mlops.serving.batch.size").summary();
            assertThat(sizes.totalAmount()).isEqualTo(4);
            assertThat(sizes.max()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void tribuoModelsAreNotBatched(@TempDir Path home) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (ModelRegistry tribuo = ServingFixture.registry(home, CLOCK);
             ModelServer server = ModelServer.builder().registry(tribuo).model("models:/m@champion")
                     .meterRegistry(meters).pollInterval(Duration.ZERO).microBatching(Duration.ofNanos(200_000), 16)
                     .build()) {
            server.refresh();
            Map<String, Object> row = ServingFixture.request(new Random(3));
            assertThat(server.predict(row).label()).isEqualTo(ServingFixture.expected(1, row));
            assertThat(meters.find("mlops.serving.batch.size").summary()).isNull();
        }
    }

    @Test
    void predictAllOnOnnxIsOneCallWithTheSingleRowAnswers() {
        try (ModelServer server = ModelServer.builder().registry(registry).model(URI).pollInterval(Duration.ZERO)
                .build()) {
            server.refresh();
            Random random = new Random(9);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rows.add(ServingFixture.request(random));
            }
            List<ServedPrediction> all = server.predictAll("k", rows);
            for (int i = 0; i < rows.size(); i++) {
                assertThat(all.get(i).label()).isEqualTo(ServingFixture.expected(1, rows.get(i)));
                assertThat(all.get(i).prediction().score("a1"))
                        .isCloseTo(single.predict(rows.get(i)).score("a1"), within(1e-6));
            }
        }
    }

    @Test
    void badBatchingSettingsAreRejected() {
        assertThatThrownBy(() -> ModelServer.builder().microBatching(Duration.ofNanos(-1), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        assertThatThrownBy(() -> ModelServer.builder().microBatching(Duration.ofNanos(200_000), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatchSize");
    }

    @Test
    void aHomeWithoutALogWritesDurableRollingFilesAndClosesThem(@TempDir Path home) {
        Map<String, Object> row = ServingFixture.request(new Random(5));
        try (ModelServer server = ModelServer.builder().registry(registry).model(URI).home(home).clock(CLOCK)
                .pollInterval(Duration.ZERO).build()) {
            server.refresh();
            server.predict("req-1", row);
        }
        assertThat(home.resolve("predictions")).isDirectory();
        try (PredictionLog reopened = PredictionLog.rollingFiles(home.resolve("predictions"))) {
            List<PredictionRecord> records = reopened.read("onnx-m", T0, T0.plusSeconds(1));
            assertThat(records).hasSize(1);
            assertThat(records.get(0).requestId()).isEqualTo("req-1");
            assertThat(records.get(0).output()).isEqualTo(ServingFixture.expected(1, row));
            assertThat(records.get(0).version()).isEqualTo("1");
        }
    }

    @Test
    void aGivenLogWinsOverHomeAndStaysOpen(@TempDir Path home) {
        PredictionLog log = PredictionLog.inMemory(10);
        try (ModelServer server = ModelServer.builder().registry(registry).model(URI).home(home).predictionLog(log)
                .clock(CLOCK).pollInterval(Duration.ZERO).build()) {
            server.refresh();
            server.predict(ServingFixture.request(new Random(6)));
        }
        assertThat(log.read("onnx-m", T0, T0.plusSeconds(1))).hasSize(1); // still open: read does not throw
        assertThat(Files.exists(home.resolve("predictions"))).isFalse();
        log.close();
    }
}
