package dev.mlops.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.spi.TrackingStore;
import dev.mlops.registry.spi.TrackingStore.NewRun;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concurrency, crashes, server outages and migrations, on a real server. */
@ExtendWith(PostgresServer.class)
class ResilienceIT {

    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    private static TrackingStore open(String url) {
        return PostgresTrackingStore.builder().jdbcUrl(url).maximumPoolSize(8)
                .connectionTimeout(Duration.ofSeconds(2)).build();
    }

    @Test
    void manyThreadsLoggingAtOnceLoseNothing() throws Exception {
        int threads = 16;
        int writes = 40;
        try (TrackingStore store = open(PostgresServer.get().newDatabase())) {
            Experiment e = store.experiment("e", T0);
            store.createRun(new NewRun("shared", e.id(), "shared", null, T0, Map.of()));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            Map<String, Experiment> experimentsSeen = new ConcurrentHashMap<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    // racing creators of one experiment all get the same one
                    experimentsSeen.put("t" + thread, store.experiment("raced", T0));
                    String own = "own-" + thread;
                    store.createRun(new NewRun(own, e.id(), own, null, T0, Map.of()));
                    for (int i = 0; i < writes; i++) {
                        MetricPoint p = new MetricPoint("m" + thread, i, i, T0);
                        store.write("shared", new RunWrite(Map.of("p" + thread + "-" + i, "v"), List.of(p),
                                Map.of("last", "t" + thread), Map.of(), List.of()));
                        store.write(own, RunWrite.metrics(List.of(new MetricPoint("x", i, i, T0))));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(experimentsSeen.values()).hasSize(threads).allMatch(x -> x.equals(store.findExperiment("raced").orElseThrow()));
            RunInfo shared = store.run("shared");
            assertThat(shared.params()).hasSize(threads * writes);
            for (int t = 0; t < threads; t++) {
                assertThat(store.metricHistory("shared", "m" + t)).extracting(MetricPoint::step)
                        .containsExactlyElementsOf(range(writes));
                assertThat(shared.metrics().get("m" + t).value()).isEqualTo(writes - 1);
                assertThat(store.metricHistory("own-" + t, "x")).hasSize(writes);
            }
        }
    }

    private static List<Long> range(int n) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void killedClientLosesNoAcknowledgedWrite() throws Exception {
        String url = PostgresServer.get().newDatabase();
        try (TrackingStore store = open(url)) {
            Experiment e = store.experiment("e", T0);
            store.createRun(new NewRun("victim", e.id(), "victim", null, T0, Map.of()));
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashingClient.class.getName(), url, "victim").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    if (lastAck >= 150) {
                        child.destroyForcibly(); // SIGKILL mid-stream: no shutdown hook, no clean close
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lastAck).as("the child logged").isGreaterThanOrEqualTo(150);
        try (TrackingStore store = open(url)) {
            List<MetricPoint> history = store.metricHistory("victim", "m");
            // every acknowledged step is there, in order, and each write was all-or-nothing (param with metric)
            assertThat(history.size()).isGreaterThanOrEqualTo((int) lastAck + 1);
            assertThat(history).extracting(MetricPoint::step).containsExactlyElementsOf(range(history.size()));
            assertThat(store.run("victim").params()).hasSize(history.size());
        }
    }

    @Test
    void serverStoppedMidRunGivesRetriableErrorsThenRecovers() throws Exception {
        try (TrackingStore store = open(PostgresServer.get().newDatabase())) {
            Experiment e = store.experiment("e", T0);
            store.createRun(new NewRun("r", e.id(), "r", null, T0, Map.of()));
            store.write("r", RunWrite.metrics(List.of(new MetricPoint("m", 1, 0, T0))));
            PostgresServer.get().stop();
            try {
                assertThatThrownBy(() -> store.write("r", RunWrite.metrics(List.of(new MetricPoint("m", 2, 1, T0)))))
                        .isInstanceOf(ResourceUnavailableException.class).hasMessageContaining("PostgreSQL server")
                        .hasMessageContaining("Retry");
                assertThatThrownBy(() -> store.search(List.of(), dev.mlops.registry.spi.Filter.ALL, List.of(), 0, 10))
                        .isInstanceOf(ResourceUnavailableException.class);
            } finally {
                PostgresServer.get().start();
            }
            store.write("r", RunWrite.metrics(List.of(new MetricPoint("m", 3, 2, T0))));
            assertThat(store.metricHistory("r", "m")).extracting(MetricPoint::value).containsExactly(1.0, 3.0);
        }
    }

    @Test
    void migrationsAreIdempotentAndRefuseANewerSchema() throws Exception {
        String url = PostgresServer.get().newDatabase();
        open(url).close();
        open(url).close(); // second open applies nothing and keeps the data tables
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), max(version) FROM mlops_schema_version")) {
                rs.next();
                // V1 (tracking tables), V2 (registry tables), V3 (run lifecycle), each applied once
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getInt(2)).isEqualTo(3);
            }
            st.execute("INSERT INTO mlops_schema_version(version, script, sha256) VALUES(99, 'V99__future.sql', 'x')");
        }
        assertThatThrownBy(() -> open(url)).isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("schema version 99").hasMessageContaining("upgrade");
    }

    @Test
    void unreachableServerAtStartIsRetriable() {
        assertThatThrownBy(() -> PostgresTrackingStore.builder().jdbcUrl("jdbc:postgresql://127.0.0.1:1/none")
                .connectionTimeout(Duration.ofMillis(500)).build()).isInstanceOf(ResourceUnavailableException.class);
    }
}
