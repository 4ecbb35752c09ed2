package dev.mlops.benchmarks;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftListener;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.Histogram;
import dev.mlops.drift.StatResult;
import dev.mlops.drift.StatTest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Times the drift statistics beside scipy/numpy on the same data, in the same run:
 * <ul>
 *   <li>{@code ks}: {@link StatTest#KS} vs {@code scipy.stats.ks_2samp} on 2 x 1M doubles (asymptotic p-value);</li>
 *   <li>{@code wasserstein}: {@link StatTest#WASSERSTEIN} (normed) vs
 *       {@code scipy.stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)} on 2 x 1M;</li>
 *   <li>{@code psi} with precomputed bins: {@link Histogram#shares} of 1M current values + {@link StatTest#distance}
 *       vs {@code np.histogram(cur, edges)} + the PSI formula in numpy (reference shares precomputed on both sides);</li>
 *   <li>a 100k-row x 50-column table (45 numeric, 5 categorical) through {@link DriftDetector} with ks,
 *       wasserstein, psi, jensenshannon and chisquare on every column they apply to, parallel on the common pool.</li>
 * </ul>
 * Both sides get the same doubles (written to a little-endian file that numpy maps with {@code np.fromfile});
 * each figure is the median of the repetitions after a warm-up, and the p-values/statistics are printed side by side.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.DriftBenchmark [n] [reps]
 * </pre>
 */
public final class DriftBenchmark {

    private static final long SEED = 20261127L;

    private static final String PYTHON = """
            import statistics, sys, time
            import numpy as np
            from scipy import stats
            d, reps = sys.argv[1], int(sys.argv[2])
            a = np.fromfile(d + '/a.f64', dtype='<f8'); b = np.fromfile(d + '/b.f64', dtype='<f8')
            edges = np.fromfile(d + '/edges.f64', dtype='<f8')
            ref_shares = np.histogram(a, edges)[0] / len(a)
            def ks(): r = stats.ks_2samp(a, b); return r.pvalue
            def ws(): return stats.wasserstein_distance(a, b) / max(np.std(a), 0.001)
            def psi():
                c = np.histogram(b, edges)[0] / len(b)
                r = np.where(ref_shares == 0, 0.0001, ref_shares); c = np.where(c == 0, 0.0001, c)
                return np.sum((r - c) * np.log(r / c))
            for name, fn in [('ks', ks), ('wasserstein', ws), ('psi', psi)]:
                fn(); times = []
                for _ in range(reps):
                    t = time.perf_counter(); v = fn(); times.append(time.perf_counter() - t)
                print(name + '\\t' + repr(statistics.median(times)) + '\\t' + repr(float(v)), flush=True)
            """;

    private DriftBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Random random = new Random(SEED);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
            b[i] = random.nextGaussian() * 1.02 + 0.003;
        }
        Histogram bins = Histogram.sturges(a, b);
        double[] refShares = bins.shares(a);
        System.out.printf(Locale.ROOT, "2 x %,d doubles, %d repetitions; %s %s, %d cores%n", n, reps,
                System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors());

        Map<String, double[]> ours = new LinkedHashMap<>(); // name -> {median s, value}
        ours.put("ks", time(reps, () -> StatTest.KS.test(a, b).pValue()));
        ours.put("wasserstein", time(reps, () -> StatTest.WASSERSTEIN.test(a, b).statistic()));
        ours.put("psi", time(reps, () -> StatTest.PSI.distance(refShares, bins.shares(b))));

        Map<String, double[]> peer = python(a, b, bins.edges(), reps);
        System.out.printf(Locale.ROOT, "%n%-12s %12s %12s %9s   %-24s %-24s%n", "statistic", "ours ms", "scipy ms", "speed-up",
                "our value", "scipy/numpy value");
        for (Map.Entry<String, double[]> e : ours.entrySet()) {
            double[] p = peer.get(e.getKey());
            System.out.printf(Locale.ROOT, "%-12s %12.1f %12s %9s   %-24s %-24s%n", e.getKey(), e.getValue()[0] * 1e3,
                    p == null ? "-" : String.format(Locale.ROOT, "%.1f", p[0] * 1e3),
                    p == null ? "-" : String.format(Locale.ROOT, "%.1fx", p[0] / e.getValue()[0]),
                    e.getValue()[1], p == null ? "-" : Double.toString(p[1]));
        }

        wideTable(reps);
    }

    /** 100k rows x 50 columns, all of ks, wasserstein, psi, jensenshannon, chisquare where they apply. */
    private static void wideTable(int reps) {
        int rows = 100_000;
        Random random = new Random(SEED + 1);
        List<Column> ref = new ArrayList<>();
        List<Column> cur = new ArrayList<>();
        String[] cats = new String[12];
        for (int i = 0; i < cats.length; i++) {
            cats[i] = "c" + i;
        }
        for (int c = 0; c < 50; c++) {
            if (c < 45) {
                double[] r = new double[rows];
                double[] s = new double[rows];
                double shift = c % 3 == 0 ? 0.05 : 0;
                for (int i = 0; i < rows; i++) {
                    r[i] = random.nextGaussian();
                    s[i] = random.nextGaussian() + shift;
                }
                ref.add(DoubleColumn.of("x" + c, r));
                cur.add(DoubleColumn.of("x" + c, s));
            } else {
                String[] r = new String[rows];
                String[] s = new String[rows];
                for (int i = 0; i < rows; i++) {
                    r[i] = cats[random.nextInt(cats.length)];
                    s[i] = cats[Math.min(cats.length - 1, (int) (Math.abs(random.nextGaussian()) * 4))];
                }
                ref.add(StringColumn.of("s" + c, r));
                cur.add(StringColumn.of("s" + c, s));
            }
        }
        Table reference = Table.of(ref.toArray(Column[]::new));
        Table current = Table.of(cur.toArray(Column[]::new));
        AtomicInteger progress = new AtomicInteger();
        DriftDetector detector = DriftDetector.builder()
                .alsoRun(List.of(StatTest.KS, StatTest.WASSERSTEIN, StatTest.PSI, StatTest.JENSENSHANNON, StatTest.CHISQUARE))
                .executor(ForkJoinPool.commonPool())
                .listener(new DriftListener() {
                    @Override
                    public void columnDone(dev.mlops.drift.ColumnDrift result, int done, int total) {
                        progress.set(done);
                    }
                })
                .build();
        DriftReport[] last = new DriftReport[1];
        double[] t = time(reps, () -> {
            last[0] = detector.compare(reference, current);
            return last[0].shareDrifted();
        });
        System.out.printf(Locale.ROOT, "%n100,000 rows x 50 columns (45 numeric, 5 categorical), ks + wasserstein + psi + "
                + "jensenshannon + chisquare, columns in parallel on the common pool (parallelism %d) + the calling thread: "
                + "median %.0f ms (progress events: %d of 50; %d columns drifted)%n",
                ForkJoinPool.commonPool().getParallelism(), t[0] * 1e3, progress.get(), last[0].driftedColumns());
    }

    private static double[] time(int reps, Supplier<Double> run) {
        double value = run.get();
        double[] s = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            value = run.get();
            s[i] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(s);
        return new double[] {s[reps / 2], value};
    }

    private static void write(Path file, double[] values) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        Files.write(file, buf.array());
    }

    /** Runs the scipy/numpy side on the same doubles; empty if python3 (with numpy and scipy) is missing. */
    private static Map<String, double[]> python(double[] a, double[] b, double[] edges, int reps)
            throws IOException, InterruptedException {
        Map<String, double[]> out = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("drift-bench-");
        try {
            write(dir.resolve("a.f64"), a);
            write(dir.resolve("b.f64"), b);
            write(dir.resolve("edges.f64"), edges);
            Process p;
            try {
                p = new ProcessBuilder("python3", "-c", PYTHON, dir.toString(), Integer.toString(reps))
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                System.out.println("python3 not found (" + e.getMessage() + "): printing our figures only");
                return out;
            }
            List<String> lines = new ArrayList<>();
            try (var reader = p.inputReader(StandardCharsets.UTF_8)) {
                reader.lines().forEach(lines::add);
            }
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                System.out.println("python3 failed: " + String.join("\n", lines));
                return out;
            }
            for (String line : lines) {
                String[] parts = line.split("\t");
                if (parts.length == 3) {
                    out.put(parts[0], new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])});
                } else {
                    System.out.println(line);
                }
            }
            return out;
        } finally {
            for (String f : new String[] {"a.f64", "b.f64", "edges.f64"}) {
                Files.deleteIfExists(dir.resolve(f));
            }
            Files.deleteIfExists(dir);
        }
    }
}
