package dev.mlops.registry.serving;

import static dev.mlops.registry.serving.ServingFixture.MODEL;
import static dev.mlops.registry.serving.ServingFixture.expected;
import static dev.mlops.registry.serving.ServingFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.registry.AliasChange;
import dev.mlops.registry.ModelRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The registry's alias push hook ({@link ModelRegistry#onAliasChange}) and the server following it without polls. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AliasPushTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    ModelRegistry registry;
    MutableClock clock = new MutableClock(T0);
    Random random = new Random(11);

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
    }

    @Test
    void onAliasChange_pushesEveryCommittedMove_andNothingAfterClose() {
        List<AliasChange> seen = new CopyOnWriteArrayList<>();
        try (ModelRegistry.Subscription sub = registry.onAliasChange(seen::add)) {
            registry.setAlias(MODEL, "champion", 2, "promote");
            registry.setAlias(MODEL, "champion", 2, "again: no move");
            registry.rollback(MODEL, "champion", "bad");
            registry.setAlias(MODEL, "challenger", 2, "try");
            registry.deleteAlias(MODEL, "challenger", "done");
            // a move that fails is rolled back and pushes nothing
            assertThatThrownBy(() -> registry.setAlias(MODEL, "champion", 99, "no such version"))
                    .isInstanceOf(NotFoundException.class);
            assertThat(seen).extracting(c -> c.alias() + ":" + c.fromVersion() + "->" + c.toVersion() + ":" + c.reason())
                    .containsExactly("champion:1->2:promote", "champion:2->1:bad", "challenger:null->2:try",
                            "challenger:2->null:done");
            // the pushed record is the one the history keeps
            List<AliasChange> history = registry.aliasHistory(MODEL, "challenger");
            assertThat(seen.subList(2, 4)).isEqualTo(history.subList(history.size() - 2, history.size()));
            sub.close();
            sub.close(); // idempotent
            registry.setAlias(MODEL, "champion", 2, "after close");
            assertThat(seen).hasSize(4);
        }
    }

    @Test
    void aFailingListener_neitherUndoesTheMoveNorStopsTheOthers() {
        List<AliasChange> seen = new CopyOnWriteArrayList<>();
        try (ModelRegistry.Subscription bad = registry.onAliasChange(c -> {
                throw new IllegalStateException("listener bug");
            });
             ModelRegistry.Subscription good = registry.onAliasChange(seen::add)) {
            assertThat(registry.setAlias(MODEL, "champion", 2, "promote").version()).isEqualTo(2);
            assertThat(registry.resolve("models:/m@champion").version()).isEqualTo(2);
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void modelServer_swapsOnThePush_withoutWaitingForThePoll() throws Exception {
        LinkedBlockingQueue<String> loads = new LinkedBlockingQueue<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void versionLoaded(String uri, Integer previousVersion, int version) {
                loads.add(previousVersion + "->" + version);
            }
        };
        // a poll interval of one hour: after the first load, only the push can make the server look again
        try (ModelServer server = ModelServer.builder().registry(registry).model("models:/m@champion")
                .pollInterval(Duration.ofHours(1)).clock(clock).listener(listener).build()) {
            assertThat(loads.poll(30, TimeUnit.SECONDS)).isEqualTo("null->1");
            registry.setAlias(MODEL, "champion", 2, "promote");
            assertThat(loads.poll(30, TimeUnit.SECONDS)).isEqualTo("1->2");
            Map<String, Object> row = request(random);
            ServedPrediction p = server.predict(row);
            assertThat(p.version()).isEqualTo(2);
            assertThat(p.label()).isEqualTo(expected(2, row));
            registry.rollback(MODEL, "champion", "roll back");
            assertThat(loads.poll(30, TimeUnit.SECONDS)).isEqualTo("2->1");
            assertThat(server.predict(row).label()).isEqualTo(expected(1, row));
            // another model's or another alias's move is not this server's business
            registry.setAlias(MODEL, "challenger", 2, "unrelated alias");
            registry.deleteAlias(MODEL, "challenger", "unrelated alias");
            assertThat(loads.poll(200, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void modelServer_withPushOff_waitsForThePoll() throws Exception {
        LinkedBlockingQueue<String> loads = new LinkedBlockingQueue<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void versionLoaded(String uri, Integer previousVersion, int version) {
                loads.add(previousVersion + "->" + version);
            }
        };
        try (ModelServer server = ModelServer.builder().registry(registry).model("models:/m@champion")
                .pollInterval(Duration.ofHours(1)).pushAliasChanges(false).clock(clock).listener(listener).build()) {
            assertThat(loads.poll(30, TimeUnit.SECONDS)).isEqualTo("null->1");
            registry.setAlias(MODEL, "champion", 2, "promote");
            assertThat(loads.poll(500, TimeUnit.MILLISECONDS)).isNull();
            assertThat(server.predict(request(random)).version()).isEqualTo(1);
        }
    }

    @Test
    void closedServer_unsubscribes() throws Exception {
        LinkedBlockingQueue<String> loads = new LinkedBlockingQueue<>();
        ServerListener listener = new ServerListener() {
            @Override
            public void versionLoaded(String uri, Integer previousVersion, int version) {
                loads.add(previousVersion + "->" + version);
            }
        };
        ModelServer server = ModelServer.builder().registry(registry).model("models:/m@champion")
                .pollInterval(Duration.ofHours(1)).clock(clock).listener(listener).build();
        assertThat(loads.poll(30, TimeUnit.SECONDS)).isEqualTo("null->1");
        server.close();
        registry.setAlias(MODEL, "champion", 2, "after close");
        assertThat(loads.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
}
