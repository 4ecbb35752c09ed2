package dev.mlops.benchmarks;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftListener;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.drift.StatTest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reference profile of 1M rows x 100 columns, built chunk by chunk in bounded memory, beside numpy computing the
 * same summaries of the same doubles in the same run; then a drift check of a 1M x 100 current table against the
 * saved profile.
 *
 * <ul>
 *   <li><b>build</b>: {@code ReferenceProfile.builder().quantileSketch(4096)} fed 100,000-row chunks read from a
 *       column-major float64 file (what a host streaming its training data does); columns in parallel on the common
 *       pool + the calling thread. The heap high-water mark is printed: run it with {@code -Xmx512m} to see the
 *       800 MB of data profiled in a smaller heap.</li>
 *   <li><b>numpy</b> on the same file (memory-mapped): per column {@code np.quantile} at 1,001 levels plus
 *       {@code mean}, {@code std}, {@code min}, {@code max} (the same summaries: quantiles, moments, extremes), and
 *       separately {@code np.sort} per column (what an exact profile costs); single-threaded, as numpy is.</li>
 *   <li><b>accuracy</b>: for 10 columns, the largest deviation of the sketch's count of values {@code <= x} from
 *       the exact count over every data value, beside the bound the sketch reports.</li>
 *   <li><b>check</b>: save + load the profile, then {@code DriftDetector.compare(profile, current)} on a 1M x 100
 *       current table with ks, wasserstein, psi, jensenshannon and chisquare on every column they apply to.</li>
 * </ul>
 *
 * <pre>
 * java -Xmx3g -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.ProfileBenchmark [rows] [cols] [reps] [build|all]
 * </pre>
 */
public final class ProfileBenchmark {

    private static final int CHUNK = 100_000;
    private static final int K = 4096;

    private static final String PYTHON = """
            import statistics, sys, time
            import numpy as np
            path, rows, cols, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            data = np.memmap(path, dtype='<f8', mode='r', shape=(cols, rows))
            qs = np.linspace(0, 1, 1001)
            def summaries():
                out = []
                for c in range(cols):
                    x = np.asarray(data[c])
                    out.append((np.quantile(x, qs), x.mean(), x.std(), x.min(), x.max()))
                return out
            def sorts():
                for c in range(cols):
                    np.sort(np.asarray(data[c]))
            for name, fn in [('numpy_quantiles', summaries), ('numpy_sort', sorts)]:
                fn(); times = []
                for _ in range(reps):
                    t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
                print(name + '\\t' + repr(statistics.median(times)), flush=True)
            """;

    private ProfileBenchmark() {
    }

    /** Column {@code c} of the data: normal, lognormal, uniform and tied integers in turn; every 10th has 8 values. */
    static double[] column(int c, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed * 1_000 + c);
        double[] x = new double[rows];
        for (int i = 0; i < rows; i++) {
            double u = r.nextDouble();
            double g = Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * r.nextDouble());
            x[i] = c % 10 == 9 ? r.nextInt(8) : switch (c % 4) {
                case 0 -> c + (1 + c % 7) * g;
                case 1 -> Math.exp(g);
                case 2 -> u * 100;
                default -> Math.floor(Math.exp(1.5 * g) * 10);
            };
        }
        return x;
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int cols = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean check = args.length <= 3 || args[3].equals("all");
        System.out.printf(Locale.ROOT, "%,d rows x %d columns, %d repetitions; %s %s, %d cores, max heap %d MB, load average %.1f%n",
                rows, cols, reps, System.getProperty("java.vm.name"), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path dir = Files.createTempDirectory("profile-bench-");
        Path data = dir.resolve("reference.f64");
        try {
            try (FileChannel ch = FileChannel.open(data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int c = 0; c < cols; c++) {
                    ByteBuffer buf = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
                    buf.asDoubleBuffer().put(column(c, rows, 1));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "data file: %,d MB (column-major float64)%n", Files.size(data) >> 20);

            // ---- build, chunk by chunk
            ReferenceProfile[] profile = new ReferenceProfile[1];
            resetPeaks();
            double[] build = new double[reps];
            for (int rep = -1; rep < reps; rep++) {
                long t = System.nanoTime();
                ReferenceProfile.Builder b = ReferenceProfile.builder().quantileSketch(K).executor(ForkJoinPool.commonPool());
                try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
                    for (int from = 0; from < rows; from += CHUNK) {
                        b.add(chunk(ch, rows, cols, from, Math.min(rows, from + CHUNK)));
                    }
                }
                profile[0] = b.build();
                if (rep >= 0) {
                    build[rep] = (System.nanoTime() - t) / 1e9;
                }
            }
            long peak = peakHeap();
            Arrays.sort(build);
            double ours = build[reps / 2];

            Path file = dir.resolve("reference.profile");
            long s0 = System.nanoTime();
            profile[0].save(file);
            double saveS = (System.nanoTime() - s0) / 1e9;
            long l0 = System.nanoTime();
            ReferenceProfile loaded = ReferenceProfile.load(file);
            double loadS = (System.nanoTime() - l0) / 1e9;

            // ---- numpy on the same file
            double[] np = python(data, rows, cols, reps);

            System.out.printf(Locale.ROOT, "%nbuild the profile (quantile sketches k=%d, %,d-row chunks, 2 threads): median %.2f s; "
                    + "heap high-water mark %d MB%n", K, CHUNK, ours, peak >> 20);
            if (np != null) {
                System.out.printf(Locale.ROOT, "numpy np.quantile(1001 levels) + mean/std/min/max per column:     median %.2f s "
                        + "(ours %.1fx faster)%n", np[0], np[0] / ours);
                System.out.printf(Locale.ROOT, "numpy np.sort per column (the exact profile's work):               median %.2f s "
                        + "(ours %.1fx faster)%n", np[1], np[1] / ours);
            }
            System.out.printf(Locale.ROOT, "profile file %,d KB (exact: %,d KB); save %.0f ms, load %.0f ms%n",
                    Files.size(file) >> 10, (long) rows * cols * 8 >> 10, saveS * 1e3, loadS * 1e3);

            // ---- accuracy against the exact data
            System.out.printf(Locale.ROOT, "%n%-8s %-12s %14s %14s %12s%n", "column", "kind", "max |rank err|", "bound", "bound / n");
            for (int c = 0; c < Math.min(cols, 10); c++) {
                double[] truth = column(c, rows, 1);
                Arrays.sort(truth);
                long worst = maxRankDeviation(truth, loaded, "x" + c);
                long bound = loaded.rankErrorBound("x" + c);
                System.out.printf(Locale.ROOT, "%-8s %-12s %14d %14d %12.2e%n", "x" + c, c % 10 == 9 ? "8 values" : new String[] {
                    "normal", "lognormal", "uniform", "tied ints"}[c % 4], worst, bound, (double) bound / rows);
            }

            if (check) {
                check(loaded, rows, cols);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** Brute force over every distinct data value: |profile's count of values <= x - exact count|, the largest. */
    private static long maxRankDeviation(double[] truth, ReferenceProfile profile, String column) {
        long worst = 0;
        for (int i = 0; i < truth.length; i++) {
            if (i + 1 < truth.length && truth[i + 1] == truth[i]) {
                continue; // the last of a run: the count of values <= truth[i] is i + 1
            }
            worst = Math.max(worst, Math.abs((i + 1) - profile.rank(column, truth[i])));
        }
        return worst;
    }

    private static Table chunk(FileChannel ch, int rows, int cols, int from, int to) throws IOException {
        Column[] out = new Column[cols];
        for (int c = 0; c < cols; c++) {
            ByteBuffer buf = ByteBuffer.allocate((to - from) * 8).order(ByteOrder.LITTLE_ENDIAN);
            long pos = ((long) c * rows + from) * 8;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + buf.position());
                if (n < 0) {
                    throw new IOException("short read");
                }
            }
            buf.flip();
            double[] v = new double[to - from];
            buf.asDoubleBuffer().get(v);
            out[c] = DoubleColumn.of("x" + c, v);
        }
        return Table.of(out);
    }

    private static void check(ReferenceProfile profile, int rows, int cols) {
        Column[] cur = new Column[cols];
        for (int c = 0; c < cols; c++) {
            double[] x = column(c, rows, 2);
            if (c % 5 == 0) {
                for (int i = 0; i < rows; i++) {
                    x[i] = x[i] * 1.05 + 0.1; // a drift in every 5th column
                }
            }
            cur[c] = DoubleColumn.of("x" + c, x);
        }
        Table current = Table.of(cur);
        AtomicInteger progress = new AtomicInteger();
        DriftDetector detector = DriftDetector.builder()
                .alsoRun(List.of(StatTest.KS, StatTest.WASSERSTEIN, StatTest.PSI, StatTest.JENSENSHANNON, StatTest.CHISQUARE))
                .listener(new DriftListener() {
                    @Override
                    public void columnDone(dev.mlops.drift.ColumnDrift result, int done, int total) {
                        progress.set(done);
                    }
                })
                .build();
        detector.compare(profile, current); // warm-up
        List<Double> times = new ArrayList<>();
        DriftReport last = null;
        for (int rep = 0; rep < 3; rep++) {
            long t = System.nanoTime();
            last = detector.compare(profile, current);
            times.add((System.nanoTime() - t) / 1e9);
        }
        times.sort(null);
        System.out.printf(Locale.ROOT, "%ncheck of a %,d x %d current table against the loaded profile (ks + wasserstein + psi + "
                + "jensenshannon + chisquare where they apply, 2 threads): median %.2f s; %d columns drifted; progress %d of %d; "
                + "load average %.1f%n", rows, cols, times.get(1), last.driftedColumns(), progress.get(), cols,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static double[] python(Path data, int rows, int cols, int reps) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", PYTHON, data.toString(), Integer.toString(rows), Integer.toString(cols),
                    Integer.toString(reps)).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("python3 not found (" + e.getMessage() + "): printing our figures only");
            return null;
        }
        List<String> lines = new ArrayList<>();
        try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            System.out.println("python3 failed: " + String.join("\n", lines));
            return null;
        }
        double[] out = new double[2];
        for (String line : lines) {
            String[] parts = line.split("\t");
            if (parts.length == 2 && parts[0].equals("numpy_quantiles")) {
                out[0] = Double.parseDouble(parts[1]);
            } else if (parts.length == 2 && parts[0].equals("numpy_sort")) {
                out[1] = Double.parseDouble(parts[1]);
            } else {
                System.out.println(line);
            }
        }
        return out;
    }
}
