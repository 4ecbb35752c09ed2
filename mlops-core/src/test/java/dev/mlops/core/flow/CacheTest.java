package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Fingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheTest {

    @TempDir
    Path home;

    private final AtomicInteger calls = new AtomicInteger();

    /** score(n) = n * n, cached; version and policy configurable. */
    private Flow<Long> flow(String version, CachePolicy<Long> policy) {
        Flow.Builder b = Flow.builder("cached");
        Param<Long> n = b.param("n", Long.class);
        TaskHandle<Long> square = b.task("square").version(version).cache(policy).run(n, x -> {
            calls.incrementAndGet();
            return x * x;
        });
        return b.build(square);
    }

    private static FlowParams n(long v) {
        return FlowParams.of().with("n", v);
    }

    @Test
    void secondRun_isCached_andSurvivesARestart() {
        Flow<Long> flow = flow("1", CachePolicy.of(Serializers.longs()));
        String key;
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> first = engine.run(flow, n(12));
            assertThat(first.get()).isEqualTo(144L);
            assertThat(first.task("square").state()).isEqualTo(TaskState.COMPLETED);
            key = first.task("square").cacheKey();
            assertThat(key).startsWith("sha256:");
            FlowResult<Long> second = engine.run(flow, n(12));
            assertThat(second.get()).isEqualTo(144L);
            assertThat(second.task("square").state()).isEqualTo(TaskState.CACHED);
            assertThat(second.task("square").attempts()).isZero();
        }
        try (FlowEngine restarted = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> third = restarted.run(flow("1", CachePolicy.of(Serializers.longs())), n(12));
            assertThat(third.get()).isEqualTo(144L);
            assertThat(third.task("square").state()).isEqualTo(TaskState.CACHED);
            assertThat(third.task("square").cacheKey()).isEqualTo(key);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void key_changesWithInputAndVersion() {
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow("1", CachePolicy.of(Serializers.longs())), n(3));
            assertThat(engine.run(flow("1", CachePolicy.of(Serializers.longs())), n(4)).get()).isEqualTo(16L);
            assertThat(engine.run(flow("2", CachePolicy.of(Serializers.longs())), n(4)).task("square").state())
                    .isEqualTo(TaskState.COMPLETED);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void key_isSha256OfTheDocumentedEncoding() {
        // Recomputed here from the documented recipe with core's Hasher: a change to the key scheme (which
        // would silently invalidate every user's cache) fails this test.
        Fingerprint expected = Fingerprint.hasher().putString("mlops.flow.cache.v1").putString("cached")
                .putString("square").putString("1").putString("n")
                .putFingerprint(Fingerprint.hasher().putLong(5).finish()).finish();
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            assertThat(engine.run(flow("1", CachePolicy.of(Serializers.longs())), n(5)).task("square").cacheKey())
                    .isEqualTo(expected.toString());
        }
    }

    @Test
    void inputWithoutFingerprint_disablesTheCache_failClosed_andSaysSo() {
        record Opaque(int v) {
        }
        Flow.Builder b = Flow.builder("opaque");
        TaskHandle<Opaque> make = b.task("make").run(() -> new Opaque(3));
        TaskHandle<Long> use = b.task("use").cache(CachePolicy.of(Serializers.longs())).run(make, o -> {
            calls.incrementAndGet();
            return (long) o.v();
        });
        Flow<Long> flow = b.build(use);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> r1 = engine.run(flow);
            FlowResult<Long> r2 = engine.run(flow);
            assertThat(r2.task("use").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r2.task("use").cacheKey()).isNull();
            assertThat(r2.task("use").cacheNote()).contains("cache disabled for this call")
                    .contains("input 'make'").contains("has no fingerprint");
            assertThat(r1.get()).isEqualTo(3L);
            assertThat(engine.history().run(r2.runId()).orElseThrow().tasks())
                    .filteredOn(t -> t.task().equals("use")).singleElement()
                    .satisfies(t -> assertThat(t.cacheNote()).contains("cache disabled"));
        }
        assertThat(calls).hasValue(2);
        try (FlowEngine engine = FlowEngine.builder().home(home)
                .fingerprinter(Opaque.class, o -> Fingerprint.hasher().putInt(o.v()).finish()).build()) {
            engine.run(flow);
            assertThat(engine.run(flow).task("use").state()).isEqualTo(TaskState.CACHED);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void expiry_followsTheInjectedClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Flow<Long> flow = flow("1", CachePolicy.of(Serializers.longs()).expireAfter(Duration.ofHours(1)));
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            engine.run(flow, n(2));
            clock.advance(Duration.ofMinutes(59));
            assertThat(engine.run(flow, n(2)).task("square").state()).isEqualTo(TaskState.CACHED);
            clock.advance(Duration.ofMinutes(1));
            FlowResult<Long> expired = engine.run(flow, n(2));
            assertThat(expired.task("square").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(expired.task("square").cacheNote()).contains("expired");
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void refresh_recomputesAndOverwrites() {
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow("1", CachePolicy.of(Serializers.longs())), n(2));
            Flow<Long> refreshing = flow("1", CachePolicy.of(Serializers.longs()).refresh(true));
            assertThat(engine.run(refreshing, n(2)).task("square").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(engine.run(flow("1", CachePolicy.of(Serializers.longs())), n(2)).task("square").state())
                    .isEqualTo(TaskState.CACHED);
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void corruptOrTruncatedEntry_isDetected_andRecomputed() throws IOException {
        Flow<Long> flow = flow("1", CachePolicy.of(Serializers.longs()));
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow, n(9));
        }
        Path pack = home.resolve("cache").resolve(CacheStore.PACK);
        byte[] bytes = Files.readAllBytes(pack);
        // header 8 + one record: frame 8, key 32, created 12, payload 8 (the value 81, big-endian)
        assertThat(bytes).hasSize(8 + 8 + 32 + 12 + 8);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) 81);
        bytes[bytes.length - 1] ^= 0x01; // one bit of the payload
        Files.write(pack, bytes);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Long> r = engine.run(flow, n(9));
            assertThat(r.get()).isEqualTo(81L);
            assertThat(r.task("square").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task("square").cacheNote()).contains("corrupt").contains("CRC32C mismatch");
        }
        // the damaged record was superseded by a fresh one appended after it
        long size = Files.size(pack);
        assertThat(size).isEqualTo(8 + 2L * (8 + 32 + 12 + 8));
        Files.write(pack, java.util.Arrays.copyOf(Files.readAllBytes(pack), (int) size - 10)); // torn append
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            // the torn record is cut off at open; the damaged one before it is found again and not trusted
            assertThat(Files.size(pack)).isEqualTo(8 + 8 + 32 + 12 + 8);
            FlowResult<Long> r = engine.run(flow, n(9));
            assertThat(r.get()).isEqualTo(81L);
            assertThat(r.task("square").cacheNote()).contains("corrupt");
            assertThat(engine.run(flow, n(9)).task("square").state()).isEqualTo(TaskState.CACHED);
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void packOfManyEntries_survivesARestart_andCompactsSupersededRecords() throws IOException {
        Flow.Builder b = Flow.builder("many");
        Param<Long> n = b.param("n", Long.class);
        TaskHandle<String> last = null;
        for (int i = 0; i < 50; i++) {
            int k = i;
            last = b.task("t" + i).cache(CachePolicy.of(Serializers.string()).refresh(false))
                    .run(n, x -> {
                        calls.incrementAndGet();
                        return "x".repeat(1000) + k + ":" + x;
                    });
        }
        Flow<String> flow = b.build(last);
        Flow.Builder rb = Flow.builder("many");
        Param<Long> rn = rb.param("n", Long.class);
        TaskHandle<String> rlast = null;
        for (int i = 0; i < 50; i++) {
            int k = i;
            rlast = rb.task("t" + i).cache(CachePolicy.of(Serializers.string()).refresh(true))
                    .run(rn, x -> "y".repeat(1000) + k + ":" + x);
        }
        Flow<String> refreshing = rb.build(rlast);
        Path pack = home.resolve("cache").resolve(CacheStore.PACK);
        long recordBytes = 8 + 32 + 12 + 1000 + "49:1".length();
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            Engine e = (Engine) engine;
            e.cache.compactMinDeadBytes = 20 * recordBytes;
            engine.run(flow, n(1));
            long afterFirst = Files.size(pack);
            // every refresh appends a superseding record; once the dead half reaches the threshold the pack is
            // rewritten with the 50 live records only
            for (int r = 0; r < 3; r++) {
                engine.run(refreshing, n(1));
            }
            assertThat(e.cache.compactions()).isGreaterThanOrEqualTo(1);
            assertThat(Files.size(pack)).isLessThan(3 * afterFirst);
            assertThat(Files.exists(pack.resolveSibling(CacheStore.PACK + ".compact"))).isFalse();
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            FlowResult<String> r = engine.run(flow, n(1));
            assertThat(r.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.CACHED));
            assertThat(r.get()).isEqualTo("y".repeat(1000) + "49:1"); // the refreshed value, read from the pack
        }
        assertThat(calls).hasValue(50);
    }

    @Test
    void concurrentRefreshesAndReads_whileThePackIsCompacted_neverServeAWrongValue() throws Exception {
        // 8 threads: half refresh (append superseding records, which triggers compactions), half read with no
        // memory layer (every hit is a pack read racing with appends and compactions). Invariant: every value
        // seen is the one for its key, and the pack reopens with every key.
        Flow.Builder rb = Flow.builder("race");
        Param<Long> rn = rb.param("n", Long.class);
        Flow.Builder gb = Flow.builder("race");
        Param<Long> gn = gb.param("n", Long.class);
        TaskHandle<String> rlast = null;
        TaskHandle<String> glast = null;
        for (int i = 0; i < 20; i++) {
            int k = i;
            rlast = rb.task("t" + i).cache(CachePolicy.of(Serializers.string()).refresh(true))
                    .run(rn, x -> "v".repeat(200) + k + ":" + x);
            glast = gb.task("t" + i).cache(CachePolicy.of(Serializers.string())).run(gn, x -> "v".repeat(200) + k
                    + ":" + x);
        }
        Flow<String> refresh = rb.build(rlast);
        Flow<String> read = gb.build(glast);
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).maxConcurrency(2).build()) {
            ((Engine) engine).cache.compactMinDeadBytes = 20_000;
            engine.run(refresh, n(1));
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    boolean writer = t % 2 == 0;
                    futures.add(pool.submit(() -> {
                        for (int r = 0; r < 15; r++) {
                            FlowResult<String> res = engine.run(writer ? refresh : read, n(1));
                            assertThat(res.state()).isEqualTo(FlowState.COMPLETED);
                            assertThat(res.tasks()).as("no entry was found corrupt or unreadable")
                                    .allSatisfy(x -> assertThat(x.cacheNote()).isNull());
                            assertThat(res.get()).isEqualTo("v".repeat(200) + 19 + ":" + 1);
                        }
                        return null;
                    }));
                }
                for (var f : futures) {
                    f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(((Engine) engine).cache.compactions()).isGreaterThanOrEqualTo(1);
        }
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            FlowResult<String> r = engine.run(read, n(1));
            assertThat(r.tasks()).allSatisfy(t -> assertThat(t.state()).isEqualTo(TaskState.CACHED));
        }
    }

    @Test
    void keyParams_enterTheKey() {
        Flow.Builder b = Flow.builder("kp");
        Param<String> dataset = b.param("dataset", String.class);
        TaskHandle<Long> t = b.task("t").cache(CachePolicy.of(Serializers.longs()).keyParams(dataset))
                .run(() -> (long) calls.incrementAndGet());
        Flow<Long> flow = b.build(t);
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            engine.run(flow, FlowParams.of().with(dataset, "a"));
            assertThat(engine.run(flow, FlowParams.of().with(dataset, "a")).task("t").state())
                    .isEqualTo(TaskState.CACHED);
            assertThat(engine.run(flow, FlowParams.of().with(dataset, "b")).task("t").state())
                    .isEqualTo(TaskState.COMPLETED);
        }
    }

    @Test
    void serializerThatCannotWrite_leavesTheTaskCompleted_andSaysSo() {
        ResultSerializer<Long> broken = new ResultSerializer<>() {
            @Override
            public byte[] write(Long value) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public Long read(byte[] bytes) {
                throw new AssertionError("never written");
            }
        };
        try (FlowEngine engine = FlowEngine.builder().home(home).memoryCacheEntries(0).build()) {
            FlowResult<Long> r = engine.run(flow("1", CachePolicy.of(broken)), n(3));
            assertThat(r.get()).isEqualTo(9L);
            assertThat(r.task("square").cacheNote()).contains("No space left on device");
        }
    }

    @Test
    void jsonSerializer_roundTripsARecord() throws Exception {
        record Metrics(double accuracy, long rows) {
        }
        ResultSerializer<Metrics> json = Serializers.json(Metrics.class);
        assertThat(json.read(json.write(new Metrics(0.98, 114)))).isEqualTo(new Metrics(0.98, 114));
        assertThat(Serializers.doubles().read(Serializers.doubles().write(-0.0))).isEqualTo(-0.0);
        assertThat(Serializers.string().read(Serializers.string().write("é"))).isEqualTo("é");
    }
}
