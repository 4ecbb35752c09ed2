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
import dev.mlops.features.OnlineResponse;
import dev.mlops.features.redis.RedisOnlineStore;
import dev.mlops.features.spi.OnlineStore;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.function.LongSupplier;

/**
 * Online reads through the Redis adapter ({@code FeatureStore.readOnline} on {@code RedisOnlineStore})
 * beside raw Jedis reading the same keys (the floor: {@code GET} for one entity, one {@code MGET} for 100,
 * bytes only, no decoding) and beside the embedded Chronicle Map store, all in one run: one entity x 50
 * DOUBLE features, and 100 entities x 50 features per call, over {@code entities} materialized entities.
 * The harness starts Debian's {@code redis-server} on 127.0.0.1 (a free port, no persistence). Each call
 * is timed with {@code System.nanoTime()}; the three peers run in alternating rounds so that load from
 * other processes hits them alike; prints p50 / p99 in microseconds and the p50 ratios.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.RedisOnlineReadBenchmark [calls] [entities]
 * </pre>
 */
public final class RedisOnlineReadBenchmark {

    private RedisOnlineReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int features = 50;
        int rounds = 4;
        Path dir = Files.createTempDirectory("redis-online-bench");
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
        Definitions defs = Definitions.builder().entity(user).view(vb.build()).build();
        Clock clock = Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC);

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = new ProcessBuilder("/usr/bin/redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        OnlineStore adapter = RedisOnlineStore.builder().port(port).namespace("bench").build();
        try (FeatureStore chronicle = FeatureStore.builder().home(dir.resolve("chronicle")).clock(clock).onlineCapacity(entities).build();
             FeatureStore viaRedis = FeatureStore.builder().home(dir.resolve("redis")).clock(clock).onlineStore(adapter).build();
             redis.clients.jedis.Jedis jedis = connect(port)) {
            for (FeatureStore fs : List.of(chronicle, viaRedis)) {
                fs.apply(defs);
                fs.materialize(t0, t0.plusSeconds(60));
            }
            List<String> service = List.copyOf(refs);
            int batches = Math.max(200, calls / 20);
            long[][] one = new long[4][calls];
            long[][] hundred = new long[4][batches];
            long[] sink = new long[1];
            byte[][] ks = new byte[100][];
            List<Long> keys = new ArrayList<>();
            for (int round = 0; round < rounds; round++) { // round 0 is the warm-up; the rest overwrite it
                time(one[0], () -> status(chronicle.readOnline(service, (long) rnd.nextInt(entities)), features, sink));
                time(one[1], () -> status(viaRedis.readOnline(service, (long) rnd.nextInt(entities)), features, sink));
                time(one[2], () -> jedis.get(key(rnd.nextInt(entities))).length);
                time(one[3], () -> adapter.read("stats", Integer.toString(rnd.nextInt(entities))).payload().length);
                time(hundred[3], () -> {
                    List<String> sk = new ArrayList<>(100);
                    for (int j = 0; j < 100; j++) {
                        sk.add(Integer.toString(rnd.nextInt(entities)));
                    }
                    return adapter.readAll("stats", sk).size();
                });
                time(hundred[0], () -> {
                    fill(keys, rnd, entities);
                    return chronicle.readOnline(service, keys).size();
                });
                time(hundred[1], () -> {
                    fill(keys, rnd, entities);
                    return viaRedis.readOnline(service, keys).size();
                });
                time(hundred[2], () -> {
                    for (int j = 0; j < 100; j++) {
                        ks[j] = key(rnd.nextInt(entities));
                    }
                    return jedis.mget(ks).size();
                });
            }
            System.out.printf(Locale.ROOT, "%-48s %8s %8s   (%d calls, %d batches, %d entities)%n", "online read", "p50 us", "p99 us",
                    calls, batches, entities);
            String[] names = {"chronicle (FeatureStore.readOnline)", "redis adapter (FeatureStore.readOnline)", "raw jedis GET/MGET (bytes only)",
                "redis adapter (OnlineStore.read/readAll)"};
            for (int p = 0; p < 4; p++) {
                print(names[p] + ", 1 entity", one[p]);
            }
            for (int p = 0; p < 4; p++) {
                print(names[p] + ", 100 entities", hundred[p]);
            }
            System.out.printf(Locale.ROOT, "p50 ratio adapter/raw jedis: 1 entity %.2f, 100 entities %.2f%n",
                    pct(one[1], 0.5) / pct(one[2], 0.5), pct(hundred[1], 0.5) / pct(hundred[2], 0.5));
            System.out.printf(Locale.ROOT, "p50 ratio OnlineStore.read/readAll / raw jedis: 1 entity %.2f, 100 entities %.2f%n",
                    pct(one[3], 0.5) / pct(one[2], 0.5), pct(hundred[3], 0.5) / pct(hundred[2], 0.5));
            System.out.printf(Locale.ROOT, "p50 ratio adapter/chronicle: 1 entity %.1f, 100 entities %.1f%n",
                    pct(one[1], 0.5) / pct(one[0], 0.5), pct(hundred[1], 0.5) / pct(hundred[0], 0.5));
            System.out.println("(checksum " + sink[0] + ")");
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    private static byte[] key(int entity) {
        return ("bench:r:stats:" + entity).getBytes(StandardCharsets.UTF_8); // the adapter's key layout
    }

    private static void fill(List<Long> keys, Random rnd, int entities) {
        keys.clear();
        for (int j = 0; j < 100; j++) {
            keys.add((long) rnd.nextInt(entities));
        }
    }

    private static long status(OnlineResponse r, int features, long[] sink) {
        if (r.values().get(features - 1).status() != FeatureStatus.PRESENT) {
            throw new IllegalStateException("expected a present value: " + r);
        }
        return ++sink[0];
    }

    private static void time(long[] out, LongSupplier call) {
        long acc = 0;
        for (int i = 0; i < out.length; i++) {
            long s = System.nanoTime();
            acc += call.getAsLong();
            out[i] = System.nanoTime() - s;
        }
        if (acc == 42) {
            System.out.print("");
        }
    }

    private static redis.clients.jedis.Jedis connect(int port) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", port);
                j.ping();
                return j;
            } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
                if (attempt > 200) {
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

    private static void print(String name, long[] nanos) {
        System.out.printf(Locale.ROOT, "%-48s %8.2f %8.2f%n", name, pct(nanos, 0.5) / 1e3, pct(nanos, 0.99) / 1e3);
    }
}
