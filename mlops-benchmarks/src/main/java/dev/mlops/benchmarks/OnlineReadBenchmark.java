package dev.mlops.benchmarks;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.BatchSource;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.OnlineReader;
import dev.mlops.features.OnlineResponse;
import dev.mlops.features.OnlineRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Latency of online reads from the embedded Chronicle Map store through {@code FeatureStore.readOnline}:
 * one entity x 50 DOUBLE features, and 100 entities x 50 features per call, over 10,000 materialized
 * entities. Each call is timed with {@code System.nanoTime()} after a warm-up; prints p50 / p99 / p99.9
 * in microseconds.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.OnlineReadBenchmark [calls]
 * </pre>
 *
 * <p>The peer, in the same run: Debian's {@code redis-server}, started by the harness on 127.0.0.1 (no
 * persistence), holding the same encoded rows (the Chronicle value layout: times + 50 tagged doubles, 466 bytes),
 * read with Jedis: {@code GET} for one entity, {@code MGET} of 100 keys for a batch. The Redis figures
 * exclude decoding the bytes into values, which ours include. Skipped if {@code redis-server} is missing.
 *
 * A plain harness rather than JMH: the figure wanted is a latency distribution per call, not a mean.
 */
public final class OnlineReadBenchmark {

    private OnlineReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int entities = 10_000;
        int features = 50;
        Path dir = Files.createTempDirectory("online-bench");
        Schema.Builder sb = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP);
        for (int f = 0; f < features; f++) {
            sb.addNullable("f" + f, ColumnType.DOUBLE);
        }
        TableBuilder tb = Table.builder(sb.build());
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Random rnd = new Random(1);
        for (int k = 0; k < entities; k++) {
            tb.setLong(0, k).setTimestamp(1, t0).setTimestamp(2, t0);
            for (int f = 0; f < features; f++) {
                tb.setDouble(3 + f, rnd.nextDouble());
            }
            tb.endRow();
        }
        Path csv = dir.resolve("stats.csv");
        CsvWriter.builder().build().write(tb.build(), csv);
        Entity user = Entity.of("user", "k", ColumnType.LONG);
        FeatureView.Builder vb = FeatureView.builder("stats").entity(user).source(BatchSource.csv(csv));
        List<String> refs = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            vb.feature("f" + f, ColumnType.DOUBLE);
            refs.add("stats:f" + f);
        }
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home"))
                .clock(Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC)).onlineCapacity(entities).build()) {
            store.apply(Definitions.builder().entity(user).view(vb.build()).build());
            store.materialize(t0, t0.plusSeconds(60));
            List<String> service = List.copyOf(refs); // as a caller holds a feature service's selection

            // the peer floor: a raw Chronicle Map get on the same file (a second mapping of it in this JVM), with
            // getUsing into a reused array, as our primitive reader does
            net.openhft.chronicle.map.ChronicleMap<String, byte[]> raw = net.openhft.chronicle.map.ChronicleMap
                    .of(String.class, byte[].class).name("stats").averageKey("entity-key-000000")
                    .averageValueSize(16 + features * 9).entries(entities)
                    .createPersistedTo(dir.resolve("home/online/stats.cmap").toFile());
            OnlineReader reader = store.onlineReader(service);
            OnlineRow row = reader.newRow();
            OnlineRow[] rows = reader.newRows(100);
            byte[][] rawBuf = {new byte[0]};
            String[] paths1 = {"readOnline (boxing FeatureValue records)", "OnlineReader.read (primitive row)",
                    "raw ChronicleMap.getUsing (bytes only)"};
            long[][] one = new long[paths1.length][calls];
            long sink = 0;
            int rounds = 4;
            int per = calls / rounds;
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                for (int k = 0; k < paths1.length; k++) {
                    for (int c = 0; c < per; c++) {
                        long key = rnd.nextInt(entities);
                        long s = System.nanoTime();
                        switch (k) {
                            case 0 -> sink += store.readOnline(service, key).values().get(features - 1).status()
                                    == FeatureStatus.PRESENT ? 1 : 0;
                            case 1 -> {
                                reader.read(key, row);
                                sink += row.present(features - 1) ? 1 : 0;
                            }
                            default -> {
                                rawBuf[0] = raw.getUsing(Long.toString(key), rawBuf[0]);
                                sink += rawBuf[0].length;
                            }
                        }
                        long t = System.nanoTime() - s;
                        if (round >= 0) {
                            one[k][round * per + c] = t;
                        }
                    }
                }
            }
            int batches = Math.max(1000, calls / 50);
            String[] paths100 = {"readOnline, 100 entities (boxing)", "OnlineReader.read, 100 rows (primitive)",
                    "raw ChronicleMap.getUsing x 100"};
            long[][] hundred = new long[paths100.length][batches];
            List<Long> keys = new ArrayList<>();
            int perBatch = batches / rounds;
            for (int round = -1; round < rounds; round++) {
                for (int k = 0; k < paths100.length; k++) {
                    for (int i = 0; i < perBatch; i++) {
                        keys.clear();
                        for (int j = 0; j < 100; j++) {
                            keys.add((long) rnd.nextInt(entities));
                        }
                        long s = System.nanoTime();
                        switch (k) {
                            case 0 -> sink += store.readOnline(service, keys).size();
                            case 1 -> {
                                reader.read(keys, rows);
                                sink += rows[99].present(0) ? 1 : 0;
                            }
                            default -> {
                                for (int j = 0; j < 100; j++) {
                                    rawBuf[0] = raw.getUsing(Long.toString(keys.get(j)), rawBuf[0]);
                                    sink += rawBuf[0].length;
                                }
                            }
                        }
                        long t = System.nanoTime() - s;
                        if (round >= 0) {
                            hundred[k][round * perBatch + i] = t;
                        }
                    }
                }
            }
            // heap bytes allocated per single-entity read, by this thread (com.sun.management.ThreadMXBean)
            var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().threadId();
            double[] allocated = new double[paths1.length];
            for (int k = 0; k < paths1.length; k++) {
                long a0 = mx.getThreadAllocatedBytes(tid);
                for (int c = 0; c < 100_000; c++) {
                    long key = c % entities;
                    switch (k) {
                        case 0 -> sink += store.readOnline(service, key).values().size();
                        case 1 -> {
                            reader.read(key, row);
                            sink += row.present(0) ? 1 : 0;
                        }
                        default -> {
                            rawBuf[0] = raw.getUsing(Long.toString(key), rawBuf[0]);
                            sink += rawBuf[0].length;
                        }
                    }
                }
                allocated[k] = (mx.getThreadAllocatedBytes(tid) - a0) / 100_000.0;
            }
            raw.close();
            long[] redisOne = null;
            long[] redisHundred = null;
            Path redisBin = Path.of("/usr/bin/redis-server");
            if (Files.isExecutable(redisBin)) {
                int port = 20_000 + rnd.nextInt(20_000);
                Process redis = new ProcessBuilder(redisBin.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                        "--save", "", "--appendonly", "no").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile()).start();
                try {
                    redis.clients.jedis.Jedis jedis = connect(port);
                    // the layout the Chronicle map holds for each key: event and created micros, then per
                    // feature a tag byte and 8 bytes (466 bytes for 50 doubles)
                    for (int k = 0; k < entities; k++) {
                        java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(16 + features * 9);
                        v.putLong(1).putLong(2);
                        for (int f = 0; f < features; f++) {
                            v.put((byte) 1).putDouble(rnd.nextDouble());
                        }
                        jedis.set(("stats:" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8), v.array());
                    }
                    redisOne = new long[calls];
                    for (int warm = 0; warm < 2; warm++) {
                        for (int i = 0; i < calls; i++) {
                            byte[] key = ("stats:" + rnd.nextInt(entities)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            long s = System.nanoTime();
                            byte[] v = jedis.get(key);
                            redisOne[i] = System.nanoTime() - s;
                            sink += v.length;
                        }
                    }
                    redisHundred = new long[batches];
                    byte[][] ks = new byte[100][];
                    for (int warm = 0; warm < 2; warm++) {
                        for (int i = 0; i < batches; i++) {
                            for (int j = 0; j < 100; j++) {
                                ks[j] = ("stats:" + rnd.nextInt(entities)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                            }
                            long s = System.nanoTime();
                            List<byte[]> vs = jedis.mget(ks);
                            redisHundred[i] = System.nanoTime() - s;
                            sink += vs.size();
                        }
                    }
                    jedis.close();
                } finally {
                    redis.destroy();
                    redis.waitFor();
                }
            }
            System.out.printf(Locale.ROOT, "%-44s %8s %8s %8s %10s %10s   (%d calls, interleaved rounds)%n",
                    "online read, 50 DOUBLE features", "p50 us", "p99 us", "p99.9 us", "p50/raw", "p99/raw", calls);
            for (int k = 0; k < paths1.length; k++) {
                print(paths1[k], one[k], one[2]);
            }
            for (int k = 0; k < paths100.length; k++) {
                print(paths100[k], hundred[k], hundred[2]);
            }
            System.out.printf(Locale.ROOT, "heap bytes allocated per 1-entity read: boxing %.0f, primitive %.0f, raw %.0f%n",
                    allocated[0], allocated[1], allocated[2]);
            long[] ourOne = one[1];
            long[] ourHundred = hundred[1];
            if (redisOne != null) {
                print("redis GET (bytes only): 1 entity", redisOne, one[2]);
                print("redis MGET (bytes only): 100 entities", redisHundred, hundred[2]);
                System.out.printf(Locale.ROOT, "p50 ratio redis/ours (primitive reader): 1 entity %.1f, 100 entities %.1f%n",
                        pct(redisOne, 0.5) / pct(ourOne, 0.5), pct(redisHundred, 0.5) / pct(ourHundred, 0.5));
                System.out.printf(Locale.ROOT, "p99 ratio redis/ours (primitive reader): 1 entity %.1f, 100 entities %.1f%n",
                        pct(redisOne, 0.99) / pct(ourOne, 0.99), pct(redisHundred, 0.99) / pct(ourHundred, 0.99));
            } else {
                System.out.println("redis-server not found: no Redis figures");
            }
            System.out.println("(checksum " + sink + ")");
        }
    }

    private static redis.clients.jedis.Jedis connect(int port) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", port);
                j.ping();
                return j;
            } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                if (attempt > 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static double pct(long[] nanos, double q) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s[(int) (s.length * q)];
    }

    private static void print(String name, long[] nanos, long[] raw) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-44s %8.2f %8.2f %8.2f %10.2f %10.2f%n", name, s[s.length / 2] / 1e3,
                s[(int) (s.length * 0.99)] / 1e3, s[(int) (s.length * 0.999)] / 1e3, pct(nanos, 0.5) / pct(raw, 0.5),
                pct(nanos, 0.99) / pct(raw, 0.99));
    }
}
