package dev.mlops.registry.serving;

import static dev.mlops.registry.serving.ServingFixture.MODEL;
import static dev.mlops.registry.serving.ServingFixture.expected;
import static dev.mlops.registry.serving.ServingFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.serving.ServedPrediction.Role;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelServerTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final String CHAMPION = "models:/m@champion";

    ModelRegistry registry;
    MutableClock clock = new MutableClock(T0);
    SimpleMeterRegistry meters;
    PredictionLog log;
    Random random = new Random(7);

    @BeforeAll
    void setUp(@TempDir Path home) throws Exception {
        registry = ServingFixture.registry(home, clock);
    }

    @AfterAll
    void tearDown() {
        registry.close();
    }

    @BeforeEach
    void reset() {
        registry.setAlias(MODEL, "champion", 1, "reset");
        registry.deleteAlias(MODEL, "challenger", "reset");
        meters = new SimpleMeterRegistry();
        log = PredictionLog.inMemory(10_000);
    }

    ModelServer.Builder manual() {
        return ModelServer.builder().registry(registry).model(CHAMPION).pollInterval(Duration.ZERO)
                .meterRegistry(meters).predictionLog(log).clock(clock);
    }

    @Test
    void predict_answersWithTheChampionAndNamesTheVersion() {
        try (ModelServer server = manual().build()) {
            assertThat(server.health().ready()).isFalse();
            Instant before = clock.instant();
            clock.advanceMillis(1_000);
            ServerHealth health = server.refresh();
            assertThat(health.ready()).isTrue();
            assertThat(health.primary().version()).isEqualTo(1);
            assertThat(health.primary().loadedAt()).isEqualTo(before.plusSeconds(1));

            for (int i = 0; i < 50; i++) {
                Map<String, Object> row = request(random);
                ServedPrediction p = server.predict("req-" + i, row);
                assertThat(p.version()).isEqualTo(1);
                assertThat(p.role()).isEqualTo(Role.PRIMARY);
                assertThat(p.label()).isEqualTo(expected(1, row));
                assertThat(p.versionUri()).isEqualTo("models:/m/1");
            }
            List<PredictionRecord> records = log.read(MODEL, T0, T0.plus(Duration.ofDays(1)));
            assertThat(records).hasSize(50);
            PredictionRecord first = records.get(0);
            assertThat(first.version()).isEqualTo("1");
            assertThat(first.requestId()).isEqualTo("req-0");
            assertThat(first.timestamp()).isEqualTo(before.plusSeconds(1));
            assertThat(first.inputs()).containsOnlyKeys("x1", "x2", "n", "flag");
            assertThat(first.output()).isIn("a0", "a1");
            assertThat(first.latencyNanos()).isPositive();
        }
    }

    @Test
    void refresh_swapsToTheVersionTheAliasNowNames_andBackOnRollback() {
        List<String> events = new CopyOnWriteArrayList<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void versionLoaded(String uri, Integer previousVersion, int version) {
                events.add(uri + ":" + previousVersion + "->" + version);
            }
        };
        try (ModelServer server = manual().listener(listener).build()) {
            server.refresh();
            registry.setAlias(MODEL, "champion", 2, "promote");
            Instant before = clock.instant();
            clock.advanceMillis(5_000);
            // nothing moves until the server looks again
            assertThat(server.predict(request(random)).version()).isEqualTo(1);
            assertThat(server.refresh().primary().loadedAt()).isEqualTo(before.plusSeconds(5));
            Map<String, Object> row = request(random);
            ServedPrediction p = server.predict(row);
            assertThat(p.version()).isEqualTo(2);
            assertThat(p.label()).isEqualTo(expected(2, row));

            registry.rollback(MODEL, "champion", "bad promotion");
            server.refresh();
            assertThat(server.predict(row).label()).isEqualTo(expected(1, row));
            assertThat(events).containsExactly(CHAMPION + ":null->1", CHAMPION + ":1->2", CHAMPION + ":2->1");
            assertThat(meters.get("mlops.serving.loaded.version").tag("uri", CHAMPION).gauge().value()).isEqualTo(1);
        }
    }

    @Test
    void polling_swapsInTheBackground() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (ModelServer server = manual().scheduler(scheduler).pollInterval(Duration.ofMillis(10)).build()) {
            assertThat(server.awaitReady(Duration.ofSeconds(20))).isTrue();
            assertThat(server.health().primary().version()).isEqualTo(1);
            registry.setAlias(MODEL, "champion", 2, "promote");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.health().primary().version() != 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Map<String, Object> row = request(random);
            assertThat(server.predict(row).label()).isEqualTo(expected(2, row));
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aVersionThatFailsToLoad_keepsTheCurrentOneServing_andIsReported() {
        List<LoadFailure> failures = new CopyOnWriteArrayList<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void loadFailed(LoadFailure failure, Exception cause) {
                failures.add(failure);
            }
        };
        try (ModelServer server = manual().listener(listener).build()) {
            server.refresh();
            registry.setAlias(MODEL, "champion", 3, "promote the corrupt one");
            Instant before = clock.instant();
            clock.advanceMillis(2_000);
            ServerHealth health = server.refresh();
            assertThat(health.ready()).isTrue();
            assertThat(health.primary().version()).isEqualTo(1);
            assertThat(health.primary().lastFailure().version()).isEqualTo(3);
            assertThat(health.primary().lastFailure().at()).isEqualTo(before.plusSeconds(2));
            Map<String, Object> row = request(random);
            assertThat(server.predict(row).label()).isEqualTo(expected(1, row));
            // not retried on every poll while the alias stays on the broken version
            server.refresh();
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).uri()).isEqualTo(CHAMPION);
            assertThat(meters.get("mlops.serving.loads").tag("result", "failure").counter().count()).isEqualTo(1);

            registry.setAlias(MODEL, "champion", 2, "fix");
            health = server.refresh();
            assertThat(health.primary().version()).isEqualTo(2);
            assertThat(health.primary().lastFailure()).isNull();
        }
    }

    @Test
    void anUnknownAlias_leavesTheServerNotReady() {
        try (ModelServer server = manual().model("models:/m@nobody").build()) {
            ServerHealth health = server.refresh();
            assertThat(health.ready()).isFalse();
            assertThat(health.primary().lastFailure().version()).isNull();
            assertThat(health.primary().lastFailure().message()).contains("nobody");
            assertThatThrownBy(() -> server.predict(request(random)))
                    .isInstanceOf(ModelNotReadyException.class)
                    .hasMessageContaining("models:/m@nobody")
                    .hasMessageContaining("nobody");
            assertThat(meters.get("mlops.serving.errors").tag("cause", "not_ready").counter().count()).isEqualTo(1);
        }
    }

    static Map<String, Object> goodRow() {
        Map<String, Object> row = new HashMap<>();
        row.put("x1", 1.5);
        row.put("x2", -1.5);
        row.put("n", 2L);
        row.put("flag", true);
        return row;
    }

    static Map<String, Object> with(String key, Object value) {
        Map<String, Object> row = goodRow();
        row.put(key, value);
        return row;
    }

    @Test
    void misspeltFeatures_getADidYouMean_fromTheServerAndFromThePredictor() {
        try (ModelServer server = manual().build()) {
            server.refresh();
            Map<String, Object> renamed = goodRow();
            renamed.put("FLAG", renamed.remove("flag"));
            assertInvalid(server, renamed, "flag", "feature 'flag' is missing (the row has 'FLAG': a misspelling?)");
            assertInvalid(server, with("flagg", true), "flagg",
                    "unknown feature 'flagg' (did you mean 'flag'?); models:/m/1 takes only [x1, x2, n, flag]");
            // nothing close: no guess
            assertInvalid(server, with("x3", 1.0), "x3", "unknown feature 'x3'; models:/m/1 takes only");
        }
        // the flavor's own validation (TribuoPredictor, through the shared SignatureInputs) says the same
        Map<String, Object> renamed = goodRow();
        renamed.put("flg", renamed.remove("flag"));
        assertThatThrownBy(() -> registry.load("models:/m/1").predict(renamed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature 'flag' is missing (the row has 'flg': a misspelling?)");
    }

    @Test
    void invalidInput_isRejectedWithTheFeatureAndValue_andNothingIsLogged() {
        try (ModelServer server = manual().build()) {
            server.refresh();
            Map<String, Object> missing = goodRow();
            missing.remove("x2");
            assertInvalid(server, missing, "x2", "feature 'x2' is missing");
            assertInvalid(server, with("x3", 1.0), "x3", "unknown feature 'x3'");
            assertInvalid(server, with("x1", "1.5"), "x1", "feature 'x1' is the string '1.5', but the signature says DOUBLE");
            assertInvalid(server, with("x1", Double.NaN), "x1", "feature 'x1' is NaN");
            assertInvalid(server, with("x2", Double.NEGATIVE_INFINITY), "x2", "is -Infinity");
            assertInvalid(server, with("x1", null), "x1", "feature 'x1' is null");
            assertInvalid(server, with("n", 2.5), "n", "feature 'n' is 2.5, but the signature says LONG");
            assertInvalid(server, with("flag", 1), "flag", "feature 'flag' is the number '1', but the signature says BOOLEAN");
            assertThat(log.read(MODEL, T0, T0.plus(Duration.ofDays(1)))).isEmpty();
            assertThat(meters.get("mlops.serving.errors").tag("cause", "invalid_input").counter().count()).isEqualTo(8);

            // accepted spellings: an int for a DOUBLE, a whole double for a LONG
            ServedPrediction ok = server.predict(with("n", 3.0));
            assertThat(ok.label()).isEqualTo("a1");
            assertThat(server.predict(with("x1", -2)).label()).isEqualTo("a0");
            assertThat(log.read(MODEL, T0, T0.plus(Duration.ofDays(1))).get(0).inputs().get("n")).isEqualTo(3L);
        }
        try (ModelServer lenient = manual().rejectUnknownFeatures(false).build()) {
            lenient.refresh();
            assertThat(lenient.predict(with("x3", "ignored")).label()).isEqualTo("a1");
        }
    }

    void assertInvalid(ModelServer server, Map<String, Object> row, String feature, String message) {
        assertThatThrownBy(() -> server.predict(row))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.feature()).isEqualTo(feature);
                    assertThat(e.row()).isZero();
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining(message);
    }

    @Test
    void predictAll_validatesEveryRowBeforePredictingAny() {
        try (ModelServer server = manual().build()) {
            server.refresh();
            List<Map<String, Object>> rows = List.of(goodRow(), goodRow(), with("x2", "oops"));
            assertThatThrownBy(() -> server.predictAll(null, rows))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.row()).isEqualTo(2))
                    .hasMessageStartingWith("row 2: feature 'x2'");
            assertThat(log.read(MODEL, T0, T0.plus(Duration.ofDays(1)))).isEmpty();
            assertThat(server.predictAll("k", List.of(goodRow(), with("x1", -1.0))))
                    .extracting(ServedPrediction::label).containsExactly("a1", "a0");
        }
    }

    @Test
    void meters_countRequestsAndTimeThemPerVersion() {
        try (ModelServer server = manual().build()) {
            server.refresh();
            for (int i = 0; i < 30; i++) {
                server.predict(request(random));
            }
            registry.setAlias(MODEL, "champion", 2, "promote");
            server.refresh();
            for (int i = 0; i < 12; i++) {
                server.predict(request(random));
            }
            assertThat(meters.get("mlops.serving.requests").tag("version", "1").counter().count()).isEqualTo(30);
            assertThat(meters.get("mlops.serving.requests").tag("version", "2").counter().count()).isEqualTo(12);
            Timer timer = meters.get("mlops.serving.latency").tag("version", "1").tag("role", "primary").timer();
            assertThat(timer.count()).isEqualTo(30);
            assertThat(timer.takeSnapshot().percentileValues()).extracting(v -> v.percentile())
                    .containsExactly(0.5, 0.9, 0.99);
        }
    }

    @Test
    void split_sendsTheConfiguredShareToTheChallenger_stickyPerKey() {
        registry.setAlias(MODEL, "challenger", 2, "try it");
        try (ModelServer server = manual().challenger("models:/m@challenger", 30).build()) {
            server.refresh();
            int challenger = 0;
            int n = 10_000;
            Map<String, Integer> versionByKey = new HashMap<>();
            for (int i = 0; i < n; i++) {
                Map<String, Object> row = request(random);
                ServedPrediction p = server.predict("user-" + i, row);
                assertThat(p.label()).isEqualTo(expected(p.version(), row));
                assertThat(p.role()).isEqualTo(p.version() == 2 ? Role.CHALLENGER : Role.PRIMARY);
                challenger += p.version() == 2 ? 1 : 0;
                versionByKey.put("user-" + i, p.version());
            }
            // binomial(10000, 0.3): sd = 45.8; 5 sd either side
            assertThat(challenger).isBetween(3000 - 230, 3000 + 230);
            for (int i = 0; i < 500; i++) {
                assertThat(server.predict("user-" + i, request(random)).version()).isEqualTo(versionByKey.get("user-" + i));
            }
            int unkeyed = 0;
            for (int i = 0; i < n; i++) {
                unkeyed += server.predict(request(random)).version() == 2 ? 1 : 0;
            }
            assertThat(unkeyed).isBetween(3000 - 230, 3000 + 230);
        }
        try (ModelServer all = manual().challenger("models:/m@challenger", 100).build();
             ModelServer none = manual().challenger("models:/m@challenger", 0).build()) {
            all.refresh();
            none.refresh();
            for (int i = 0; i < 200; i++) {
                assertThat(all.predict("k" + i, request(random)).version()).isEqualTo(2);
                assertThat(none.predict("k" + i, request(random)).version()).isEqualTo(1);
            }
        }
    }

    @Test
    void split_withoutALoadedChallenger_sendsEverythingToThePrimary() {
        try (ModelServer server = manual().challenger("models:/m@challenger", 100).build()) {
            ServerHealth health = server.refresh();
            assertThat(health.ready()).isTrue();
            assertThat(health.challenger().loaded()).isFalse();
            assertThat(server.predict("k", request(random)).version()).isEqualTo(1);
        }
    }

    @Test
    void shadow_logsAndComparesTheChallenger_neverReturnsIt() {
        registry.setAlias(MODEL, "challenger", 2, "shadow it");
        List<ShadowComparison> comparisons = Collections.synchronizedList(new ArrayList<>());
        ServerListener listener = new ServerListener() {
            @Override
            public void shadowCompared(ShadowComparison comparison) {
                comparisons.add(comparison);
            }
        };
        try (ModelServer server = manual().shadow("models:/m@challenger").shadowExecutor(Runnable::run)
                .listener(listener).build()) {
            server.refresh();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Map<String, Object> row = request(random);
                rows.add(row);
                ServedPrediction p = server.predict("r" + i, row);
                assertThat(p.version()).isEqualTo(1);
                assertThat(p.label()).isEqualTo(expected(1, row));
            }
            assertThat(comparisons).hasSize(40);
            for (int i = 0; i < 40; i++) {
                ShadowComparison c = comparisons.get(i);
                assertThat(c.requestKey()).isEqualTo("r" + i);
                assertThat(c.primaryValue()).isEqualTo(expected(1, rows.get(i)));
                assertThat(c.shadowValue()).isEqualTo(expected(2, rows.get(i)));
                assertThat(c.agree()).isFalse();
            }
            List<PredictionRecord> records = log.read(MODEL, T0, T0.plus(Duration.ofDays(1)));
            assertThat(records).filteredOn(r -> r.version().equals("2")).hasSize(40);
            assertThat(records).filteredOn(r -> r.version().equals("1")).hasSize(40);
            assertThat(meters.get("mlops.serving.shadow").tag("agree", "false").counter().count()).isEqualTo(40);
        }
        registry.setAlias(MODEL, "challenger", 1, "same as champion");
        comparisons.clear();
        try (ModelServer same = manual().shadow("models:/m@challenger").shadowExecutor(Runnable::run)
                .listener(listener).build()) {
            same.refresh();
            same.predict(request(random));
            assertThat(comparisons).singleElement().extracting(ShadowComparison::agree).isEqualTo(true);
        }
    }

    @Test
    void shadow_thatIsSlowOrRejected_neverTouchesThePrimaryAnswer() {
        registry.setAlias(MODEL, "challenger", 2, "shadow it");
        List<Runnable> neverRun = new CopyOnWriteArrayList<>();
        try (ModelServer slow = manual().shadow("models:/m@challenger").shadowExecutor(neverRun::add).build();
             ModelServer full = manual().shadow("models:/m@challenger").shadowExecutor(r -> {
                 throw new RejectedExecutionException("queue full");
             }).build()) {
            slow.refresh();
            full.refresh();
            Map<String, Object> row = request(random);
            assertThat(slow.predict(row).label()).isEqualTo(expected(1, row));
            assertThat(neverRun).hasSize(1);
            assertThat(full.predict(row).label()).isEqualTo(expected(1, row));
            assertThat(meters.get("mlops.serving.shadow").tag("result", "rejected").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void builder_failsFastOnBadOrConflictingSettings() {
        assertThatThrownBy(() -> ModelServer.builder().model("m@champion"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'m@champion'");
        assertThatThrownBy(() -> ModelServer.builder().challenger("models:/m@c", 101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        assertThatThrownBy(() -> ModelServer.builder().challenger("models:/m@c", 5).shadow("models:/m@c"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicts");
        assertThatThrownBy(() -> ModelServer.builder().registry(registry).model(CHAMPION)
                .challenger("models:/other@c", 5).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("models:/other@c");
        assertThatThrownBy(() -> ModelServer.builder().model(CHAMPION).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registry");
        ModelServer closed = manual().build();
        closed.refresh();
        closed.close();
        assertThatThrownBy(() -> closed.predict(goodRow())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
