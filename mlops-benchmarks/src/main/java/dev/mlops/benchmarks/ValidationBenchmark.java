package dev.mlops.benchmarks;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.validation.Expectations;
import dev.mlops.core.validation.ValidationReport;
import dev.mlops.core.validation.Validator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Times a {@link Validator} with a range, a not-null, an allowed-values and a uniqueness rule on a
 * generated 1,000,000-row table (1 % bad values, fixed seed), beside numpy doing the same four checks
 * on the same data (boolean masks, {@code np.isin}, {@code np.unique}) in the same run. Both sides
 * report the failing row count, which must agree.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.ValidationBenchmark [rows] [repetitions]
 * </pre>
 */
public final class ValidationBenchmark {

    private static final String PYTHON = """
            import sys, time, statistics
            import numpy as np
            d = np.load(sys.argv[1])
            x, ids, cat = d['x'], d['ids'], d['cat']
            reps = int(sys.argv[2])
            allowed = np.array(['c%d' % i for i in range(49)])
            def check():
                bad = (np.isnan(x) | (x < 0) | (x > 100))
                bad |= ~np.isin(cat, allowed)
                _, first = np.unique(ids, return_index=True)
                dup = np.ones(len(ids), dtype=bool); dup[first] = False
                bad |= dup
                return int(bad.sum())
            n = check()
            times = []
            for _ in range(reps):
                t0 = time.perf_counter(); n = check(); times.append(time.perf_counter() - t0)
            print(statistics.median(times), n)
            """;

    private ValidationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Random rnd = new Random(42);
        double[] x = new double[rows];
        long[] ids = new long[rows];
        String[] cat = new String[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = rnd.nextInt(100) == 0 ? -1 : rnd.nextDouble() * 100;
            ids[i] = rnd.nextInt(1000) == 0 ? i / 2 : i; // a few repeats
            cat[i] = "c" + rnd.nextInt(50);              // "c49" is not allowed: ~2 %
        }
        Table t = Table.of(DoubleColumn.of("x", x), LongColumn.of("id", ids), StringColumn.of("cat", cat));
        String[] allowed = new String[49];
        Arrays.setAll(allowed, i -> "c" + i);
        Validator v = Expectations.builder()
                .column("x").notNull().between(0.0, 100.0).and()
                .column("cat").allowedValues(allowed).and()
                .column("id").unique().and()
                .build();

        ValidationReport report = v.validate(t);
        double[] times = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            report = v.validate(t);
            times[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(times);
        double ours = times[reps / 2];
        System.out.printf(Locale.ROOT, "mlops Validator : %8.1f ms median, %,d failing rows%n", ours * 1e3, report.failedRowCount());

        Path npz = Files.createTempFile("validation-bench", ".npz");
        try {
            writeNpz(npz, x, ids, cat);
            String[] py = python(npz, reps);
            if (py != null) {
                double numpy = Double.parseDouble(py[0]);
                System.out.printf(Locale.ROOT, "numpy           : %8.1f ms median, %s failing rows%n", numpy * 1e3, py[1]);
                System.out.printf(Locale.ROOT, "ratio numpy / mlops: %.2fx%n", numpy / ours);
            }
        } finally {
            Files.deleteIfExists(npz);
        }
    }

    /** Hands the arrays to Python through a text file that numpy turns into an .npz (simple, not timed). */
    private static void writeNpz(Path npz, double[] x, long[] ids, String[] cat) throws IOException, InterruptedException {
        Path txt = Files.createTempFile("validation-bench", ".txt");
        try {
            StringBuilder sb = new StringBuilder(x.length * 32);
            for (int i = 0; i < x.length; i++) {
                sb.append(x[i]).append(' ').append(ids[i]).append(' ').append(cat[i]).append('\n');
            }
            Files.writeString(txt, sb);
            run("import sys, numpy as np\n"
                    + "a = np.loadtxt(sys.argv[1], dtype=str)\n"
                    + "np.savez(sys.argv[2], x=a[:,0].astype(float), ids=a[:,1].astype(np.int64), cat=a[:,2])\n",
                    txt.toString(), npz.toString());
        } finally {
            Files.deleteIfExists(txt);
        }
    }

    private static String[] python(Path npz, int reps) throws IOException, InterruptedException {
        String out = run(PYTHON, npz.toString(), Integer.toString(reps));
        return out == null ? null : out.trim().split(" ");
    }

    private static String run(String script, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "python3";
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("python3 not found: printing our figures only");
            return null;
        }
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (a, b) -> a + b + "\n");
        }
        if (p.waitFor() != 0) {
            System.out.println("python3 failed: " + out);
            return null;
        }
        return out;
    }
}
