package dev.mlops.benchmarks;

import dev.mlops.drift.stream.Adwin;
import dev.mlops.drift.stream.Ddm;
import dev.mlops.drift.stream.DetectorState;
import dev.mlops.drift.stream.Kswin;
import dev.mlops.drift.stream.PageHinkley;
import dev.mlops.drift.stream.StreamingDetector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Updates per second of each streaming detector (River's defaults) on generated streams of 10,000,000
 * values (fixed seed): 0/1 errors whose rate alternates between 0.1 and 0.3 every 500,000 values (ADWIN,
 * DDM, Page-Hinkley) and a normal feature whose mean alternates between 0 and 0.5 (sd 0.25) every
 * 500,000 values (ADWIN, Page-Hinkley, KSWIN). Median of the repetitions after one warm-up run; also the
 * bytes the timed loop allocated (from the thread's allocation counter) and the detections found.
 * River is not installed here, so the only peer is {@code scipy.stats.ks_2samp} called once per KSWIN
 * update on a fresh 30 + 30 sample (what a Python KSWIN does per value), timed on fewer updates.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.StreamingDetectorBenchmark \
 *     [values, default 10000000] [repetitions, default 3] [python KSWIN updates, default 20000]
 * </pre>
 */
public final class StreamingDetectorBenchmark {

    private static final String PYTHON = """
            import sys, time, random, statistics, warnings
            import numpy as np
            from scipy import stats
            n, reps = int(sys.argv[1]), int(sys.argv[2])
            rng = np.random.default_rng(42)
            x = list(rng.normal(0.0, 0.25, n + 100))
            pick = random.Random(1)
            warnings.simplefilter('ignore')
            def run():
                window = x[:99]
                for i in range(99, 99 + n):
                    window.append(x[i])
                    if len(window) > 100:
                        del window[0]
                    older = [window[j] for j in pick.sample(range(70), 30)]
                    stats.ks_2samp(older, window[70:], method='auto')
            times = []
            for _ in range(reps):
                t0 = time.perf_counter(); run(); times.append(time.perf_counter() - t0)
            print(statistics.median(times))
            """;

    private StreamingDetectorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int pythonUpdates = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        double[] errors = new double[n];
        double[] feature = new double[n];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            boolean second = (i / 500_000) % 2 == 1;
            errors[i] = r.nextDouble() < (second ? 0.3 : 0.1) ? 1.0 : 0.0;
            double u = 1.0 - r.nextDouble();
            double g = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
            feature[i] = (second ? 0.5 : 0.0) + 0.25 * g;
        }
        System.out.printf(Locale.ROOT, "%,d values, median of %d runs, JDK %s%n", n, reps, Runtime.version());
        System.out.printf(Locale.ROOT, "%-22s %14s %14s %12s %12s%n", "detector", "median s", "updates/s", "detections", "bytes alloc");
        double adwin = time("ADWIN, errors", () -> Adwin.builder().build(), errors, reps);
        time("ADWIN, feature", () -> Adwin.builder().build(), feature, reps);
        time("Page-Hinkley, errors", () -> PageHinkley.builder().build(), errors, reps);
        time("Page-Hinkley, feature", () -> PageHinkley.builder().build(), feature, reps);
        time("DDM, errors", () -> Ddm.builder().build(), errors, reps);
        double kswin = time("KSWIN, feature", () -> Kswin.builder().seed(1).build(), feature, reps);
        String py = python(pythonUpdates, Math.max(1, reps));
        if (py != null) {
            double pySeconds = Double.parseDouble(py.trim());
            double pyRate = pythonUpdates / pySeconds;
            System.out.printf(Locale.ROOT, "%-22s %14.3f %,14.0f   (%,d updates)%n", "python ks_2samp/update", pySeconds, pyRate, pythonUpdates);
            System.out.printf(Locale.ROOT, "ratio KSWIN updates/s, ours / python: %.0fx%n", (n / kswin) / pyRate);
        }
        if (adwin <= 0) {
            throw new IllegalStateException("no time measured");
        }
    }

    private static double time(String name, Supplier<StreamingDetector> factory, double[] x, int reps) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        run(factory.get(), x); // warm-up
        double[] seconds = new double[reps];
        long detections = 0;
        long allocated = 0;
        for (int i = 0; i < reps; i++) {
            StreamingDetector d = factory.get();
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            detections = run(d, x);
            seconds[i] = (System.nanoTime() - t0) / 1e9;
            allocated = threads.getCurrentThreadAllocatedBytes() - a0;
        }
        Arrays.sort(seconds);
        double median = seconds[reps / 2];
        System.out.printf(Locale.ROOT, "%-22s %14.3f %,14.0f %,12d %,12d%n", name, median, x.length / median, detections, allocated);
        return median;
    }

    private static long run(StreamingDetector d, double[] x) {
        long drifts = 0;
        for (double v : x) {
            if (d.update(v) == DetectorState.DRIFT) {
                drifts++;
            }
        }
        return drifts;
    }

    private static String python(int updates, int reps) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", PYTHON, Integer.toString(updates), Integer.toString(reps))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("python3 not found: printing our figures only");
            return null;
        }
        String out;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = in.lines().reduce("", (a, b) -> a + b + "\n");
        }
        if (p.waitFor() != 0) {
            System.out.println("python3 failed: " + out);
            return null;
        }
        return out;
    }
}
