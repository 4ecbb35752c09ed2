package dev.mlops.benchmarks;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Times {@link PredictionLog#rollingFiles} on the two paths that matter: {@code append} on the caller's
 * thread (what a serving request pays) beside {@link PredictionLog#inMemory} appending the same records in
 * the same run, and {@code flush()} of 1,000 records beside the floor of writing the same number of bytes
 * with one {@code FileChannel.write} and {@code force(true)}. Records look like breast-cancer predictions:
 * 30 Double inputs, a double[2] output.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.PredictionLogBenchmark [records per rep] [reps]
 * </pre>
 */
public final class PredictionLogBenchmark {

    private PredictionLogBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 11;
        PredictionRecord[] records = records(n);
        Path dir = Files.createTempDirectory("prediction-log-bench");
        try {
            double[] rolling = new double[reps];
            double[] memory = new double[reps];
            long[] single = new long[n];
            long dropped;
            try (PredictionLog log = PredictionLog.rollingFiles(dir.resolve("append"));
                 PredictionLog ring = PredictionLog.inMemory(2 * n)) {
                for (int r = -2; r < reps; r++) { // two warm-up rounds
                    double a = appendNanosPerRecord(log, records);
                    log.flush(); // drain before the next round (not timed)
                    double b = appendNanosPerRecord(ring, records);
                    if (r >= 0) {
                        rolling[r] = a;
                        memory[r] = b;
                    }
                }
                for (int i = 0; i < n; i++) { // one round timed call by call, for the tail
                    long t0 = System.nanoTime();
                    log.append(records[i]);
                    single[i] = System.nanoTime() - t0;
                }
                log.flush();
                dropped = log.dropped();
            }
            Arrays.sort(rolling);
            Arrays.sort(memory);
            Arrays.sort(single);
            double ours = rolling[reps / 2];
            double peer = memory[reps / 2];
            System.out.printf(Locale.ROOT, "append, rolling files : %7.1f ns/record median of %d x %,d (dropped %d)%n",
                    ours, reps, n, dropped);
            System.out.printf(Locale.ROOT, "append, in-memory ring: %7.1f ns/record median   ratio files/ring %.2fx%n",
                    peer, ours / peer);
            System.out.printf(Locale.ROOT, "append, one call      : p50 %d ns, p99 %d ns, p99.9 %d ns, max %,d ns%n",
                    single[n / 2], single[(int) (n * 0.99)], single[(int) (n * 0.999)], single[n - 1]);

            int flushReps = 21;
            double[] flush = new double[flushReps];
            long bytesPerThousand;
            try (PredictionLog log = PredictionLog.rollingFiles(dir.resolve("flush"))) {
                for (int r = -3; r < flushReps; r++) {
                    for (int i = 0; i < 1000; i++) {
                        log.append(records[i]);
                    }
                    long t0 = System.nanoTime();
                    log.flush();
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r >= 0) {
                        flush[r] = ms;
                    }
                }
                bytesPerThousand = segmentBytes(dir.resolve("flush")) / (flushReps + 3);
            }
            double[] floor = new double[flushReps];
            Path raw = dir.resolve("raw.bin");
            try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.allocate((int) bytesPerThousand);
                for (int r = -3; r < flushReps; r++) {
                    buf.clear();
                    long t0 = System.nanoTime();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r >= 0) {
                        floor[r] = ms;
                    }
                }
            }
            Arrays.sort(flush);
            Arrays.sort(floor);
            System.out.printf(Locale.ROOT, "flush of 1,000 records: %7.3f ms median of %d (%,d bytes)%n",
                    flush[flushReps / 2], flushReps, bytesPerThousand);
            System.out.printf(Locale.ROOT, "write+fsync same bytes: %7.3f ms median   ratio flush/floor %.2fx%n",
                    floor[flushReps / 2], flush[flushReps / 2] / floor[flushReps / 2]);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static double appendNanosPerRecord(PredictionLog log, PredictionRecord[] records) {
        long t0 = System.nanoTime();
        for (PredictionRecord r : records) {
            log.append(r);
        }
        return (System.nanoTime() - t0) / (double) records.length;
    }

    private static long segmentBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            long sum = 0;
            for (Path p : s.filter(p -> p.toString().endsWith(".log")).toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    private static PredictionRecord[] records(int n) {
        Random rnd = new Random(42);
        Instant t0 = Instant.parse("2026-11-27T00:00:00Z");
        PredictionRecord[] out = new PredictionRecord[n];
        List<String> names = Stream.iterate(0, i -> i + 1).limit(30).map(i -> "feature_" + i).toList();
        for (int i = 0; i < n; i++) {
            Map<String, Object> inputs = new LinkedHashMap<>();
            for (String name : names) {
                inputs.put(name, rnd.nextGaussian());
            }
            double p = rnd.nextDouble();
            out[i] = new PredictionRecord("breast-cancer", "3", t0.plusMillis(i), "req-" + i, inputs,
                    new double[] {p, 1 - p}, 5_000 + rnd.nextInt(1000));
        }
        return out;
    }
}
