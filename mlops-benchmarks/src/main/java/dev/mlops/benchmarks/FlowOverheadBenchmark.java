package dev.mlops.benchmarks;

import dev.mlops.core.flow.CachePolicy;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowParams;
import dev.mlops.core.flow.FlowResult;
import dev.mlops.core.flow.FlowState;
import dev.mlops.core.flow.Param;
import dev.mlops.core.flow.Serializers;
import dev.mlops.core.flow.TaskHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Engine overhead per trivial task on 10,000-task flows, beside a plain {@link CompletableFuture} graph
 * doing the same work on a pool of the same size (the floor), and the time of an all-cached rerun.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.FlowOverheadBenchmark [tasks] [reps]
 * </pre>
 *
 * Shapes: <b>chain</b> (task i takes task i-1's result and adds 1) and <b>wide</b> (10,000 independent
 * tasks below one root, each adding its index to the root's value). The engine run includes everything a
 * user pays for: parameter validation, states, per-task meters, the history journal (fsynced at flow start
 * and end), listener dispatch. The floor is {@code thenApplyAsync} chains / {@code allOf} on a fixed pool
 * with as many threads as the engine's concurrency limit. Each figure is the median of {@code reps}
 * measured runs after as many warm-up runs. A plain harness, not JMH: one run takes milliseconds, and JIT,
 * allocation and GC are part of the engine's real cost.
 *
 * <p>All-cached part: the first run, reruns on the same engine, then (interleaved, 5 to 11 repetitions) a new
 * engine instance on the same home (open time, a rerun reading every value from the cache pack, a rerun right
 * after from memory), a new instance with no memory layer (a rerun from the pack with meters registered), and
 * the peer: reading and CRC32C-checking 10,000 one-per-entry files, the floor of a file-per-entry cache.
 */
public final class FlowOverheadBenchmark {

    private FlowOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int threads = Runtime.getRuntime().availableProcessors();
        Path home = Files.createTempDirectory("mlops-flow-bench");
        System.out.printf(Locale.ROOT, "flow engine overhead: %d tasks, %d reps, %d threads, %s%n", tasks, reps,
                threads, Runtime.version());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (FlowEngine engine = FlowEngine.builder().home(home.resolve("engine")).maxConcurrency(threads)
                .build()) {
            Flow<Long> chain = chain(tasks);
            Flow<Long> wide = wide(tasks);
            report("chain", tasks, reps,
                    () -> time(() -> check(engine.run(chain), tasks)),
                    () -> time(() -> cfChain(pool, tasks)));
            report("wide", tasks, reps,
                    () -> time(() -> check(engine.run(wide), tasks)),
                    () -> time(() -> cfWide(pool, tasks)));
        } finally {
            pool.shutdownNow();
        }
        cachedRerun(home.resolve("cached"), tasks, reps, threads);
        deleteTree(home);
    }

    private static Flow<Long> chain(int n) {
        Flow.Builder b = Flow.builder("chain");
        TaskHandle<Long> prev = b.task("t0").run(() -> 0L);
        for (int i = 1; i < n; i++) {
            prev = b.task("t" + i).run(prev, x -> x + 1);
        }
        return b.build(prev);
    }

    private static Flow<Long> wide(int n) {
        Flow.Builder b = Flow.builder("wide");
        TaskHandle<Long> root = b.task("root").run(() -> 0L);
        List<TaskHandle<Long>> leaves = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            long k = i;
            leaves.add(b.task("t" + i).run(root, x -> x + k));
        }
        return b.build(leaves.get(leaves.size() - 1));
    }

    private static long check(FlowResult<Long> r, int n) {
        if (r.state() != FlowState.COMPLETED || r.get() != n - 1) {
            throw new IllegalStateException("unexpected result " + r);
        }
        return r.get();
    }

    private static long cfChain(ExecutorService pool, int n) {
        CompletableFuture<Long> cf = CompletableFuture.supplyAsync(() -> 0L, pool);
        for (int i = 1; i < n; i++) {
            cf = cf.thenApplyAsync(x -> x + 1, pool);
        }
        long v = cf.join();
        if (v != n - 1) {
            throw new IllegalStateException("chain gave " + v);
        }
        return v;
    }

    private static long cfWide(ExecutorService pool, int n) {
        CompletableFuture<Long> root = CompletableFuture.supplyAsync(() -> 0L, pool);
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] leaves = new CompletableFuture[n - 1];
        for (int i = 1; i < n; i++) {
            long k = i;
            leaves[i - 1] = root.thenApplyAsync(x -> x + k, pool);
        }
        CompletableFuture.allOf(leaves).join();
        long v = leaves[n - 2].join();
        if (v != n - 1) {
            throw new IllegalStateException("wide gave " + v);
        }
        return v;
    }

    private static void cachedRerun(Path home, int n, int reps, int threads) {
        Flow.Builder b = Flow.builder("cached");
        Param<Long> seed = b.param("seed", Long.class, 7L);
        TaskHandle<Long> last = null;
        for (int i = 0; i < n; i++) {
            long k = i;
            last = b.task("t" + i).cache(CachePolicy.of(Serializers.longs())).run(seed, s -> s + k);
        }
        Flow<Long> flow = b.build(last);
        long first;
        try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(threads).build()) {
            first = time(() -> engine.run(flow).get());
            long[] warm = new long[reps];
            for (int r = 0; r < reps; r++) {
                warm[r] = time(() -> cachedCheck(engine.run(flow, FlowParams.of()), n));
            }
            long[] measured = new long[reps];
            for (int r = 0; r < reps; r++) {
                measured[r] = time(() -> cachedCheck(engine.run(flow, FlowParams.of()), n));
            }
            System.out.printf(Locale.ROOT, "cached   first run (computes and appends %d entries): %.1f ms%n", n,
                    first / 1e6);
            System.out.printf(Locale.ROOT, "cached   rerun, same engine (memory + history): median %.1f ms%n",
                    median(measured) / 1e6);
        }
        // Cold: a new engine instance on the same home (as after a restart; the OS page cache stays warm). Its
        // open scans the cache pack's frames and the history journal; the run reads every value from the pack.
        // Peer, measured interleaved in the same run: reading and CRC-checking the same number of small entry
        // files, one file per entry (the layout before the pack), i.e. what a per-file cache pays at least.
        Path files = home.resolveSibling("per-file-peer");
        Path[] peerFiles = writePeerFiles(files, n);
        int coldReps = Math.max(5, Math.min(reps, 11));
        long[] open = new long[coldReps];
        long[] cold = new long[coldReps];
        long[] warmAgain = new long[coldReps];
        long[] peer = new long[coldReps];
        long[] packOnly = new long[coldReps];
        for (int r = 0; r < coldReps; r++) {
            long t0 = System.nanoTime();
            try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(threads).build()) {
                open[r] = System.nanoTime() - t0;
                cold[r] = time(() -> cachedCheck(engine.run(flow), n));
                warmAgain[r] = time(() -> cachedCheck(engine.run(flow), n)); // same instance, right after
            }
            peer[r] = time(() -> readPeerFiles(peerFiles));
            // No memory layer: the second run on this instance reads every value from the pack again, with the
            // engine's per-task meters already registered (a new instance registers them on its first run).
            try (FlowEngine engine = FlowEngine.builder().home(home).maxConcurrency(threads).memoryCacheEntries(0)
                    .build()) {
                cachedCheck(engine.run(flow), n);
                packOnly[r] = time(() -> cachedCheck(engine.run(flow), n));
            }
        }
        System.out.printf(Locale.ROOT, "cached   rerun, new engine (every value read from the pack): median %.1f ms; "
                + "the next rerun on that engine (values in memory): median %.1f ms; cold / warm %.2fx%n",
                median(cold) / 1e6, median(warmAgain) / 1e6, (double) median(cold) / median(warmAgain));
        System.out.printf(Locale.ROOT, "cached   rerun reading every value from the pack, meters already registered "
                + "(memoryCacheEntries 0): median %.1f ms; / the in-memory rerun above %.2fx%n", median(packOnly) / 1e6,
                (double) median(packOnly) / median(warmAgain));
        System.out.printf(Locale.ROOT, "cached   engine open (scans the pack frames and the history journal): median "
                + "%.1f ms; peer, %d per-entry files read + CRC32C: median %.1f ms; new-engine rerun / peer %.2fx%n",
                median(open) / 1e6, n, median(peer) / 1e6, (double) median(cold) / median(peer));
        try {
            System.out.printf(Locale.ROOT, "cached   pack %d bytes, history journal %d bytes%n",
                    Files.size(home.resolve("cache").resolve("entries.pack")), Files.size(home.resolve("history.journal")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path[] writePeerFiles(Path dir, int n) {
        Path[] paths = new Path[n];
        try {
            for (int i = 0; i < n; i++) {
                String hex = String.format(Locale.ROOT, "%064x", i * 2654435761L);
                Path f = dir.resolve(hex.substring(62)).resolve(hex + ".entry");
                Files.createDirectories(f.getParent());
                byte[] b = java.nio.ByteBuffer.allocate(33).putLong(7L + i).array();
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(b, 0, 29);
                java.nio.ByteBuffer.wrap(b).putInt(29, (int) crc.getValue());
                Files.write(f, b);
                paths[i] = f;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return paths;
    }

    private static long readPeerFiles(Path[] paths) {
        long sum = 0;
        try {
            for (int i = 0; i < paths.length; i++) {
                byte[] b = Files.readAllBytes(paths[i]);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(b, 0, 29);
                if ((int) crc.getValue() != java.nio.ByteBuffer.wrap(b).getInt(29)) {
                    throw new IllegalStateException("peer file " + i + " is corrupt");
                }
                sum += java.nio.ByteBuffer.wrap(b).getLong(0);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return sum;
    }

    private static long cachedCheck(FlowResult<Long> r, int n) {
        long cached = r.tasks().stream().filter(t -> t.state().name().equals("CACHED")).count();
        if (cached != n) {
            throw new IllegalStateException("expected " + n + " cached tasks, got " + cached);
        }
        return cached;
    }

    private static void report(String shape, int n, int reps, LongSupplier engine, LongSupplier floor) {
        long[] e = new long[reps];
        long[] f = new long[reps];
        for (int r = 0; r < reps; r++) { // warm-up, interleaved
            engine.getAsLong();
            floor.getAsLong();
        }
        for (int r = 0; r < reps; r++) {
            e[r] = engine.getAsLong();
            f[r] = floor.getAsLong();
        }
        double eu = median(e) / 1e3 / n;
        double fu = median(f) / 1e3 / n;
        System.out.printf(Locale.ROOT, "%-8s engine median %.2f us/task (%.1f ms/flow); CompletableFuture floor "
                + "%.2f us/task; ratio %.2fx%n", shape, eu, median(e) / 1e6, fu, eu / fu);
    }

    private static long time(LongSupplier work) {
        long t0 = System.nanoTime();
        work.getAsLong();
        return System.nanoTime() - t0;
    }

    private static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
