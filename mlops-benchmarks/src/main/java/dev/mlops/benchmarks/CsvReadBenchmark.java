package dev.mlops.benchmarks;

import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Times {@link CsvReader} on a generated 1,000,000-row x 10-column CSV (5 doubles, 2 longs, a boolean, a
 * 50-value categorical string and a timestamp; fixed seed), with a given schema and with inference, and
 * times Python reading the same file: the stdlib {@code csv} module converting every field, and
 * {@code numpy.loadtxt} on the 7 numeric columns. Prints the median rows/s of each and the ratio to ours.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.CsvReadBenchmark [rows] [repetitions]
 * </pre>
 *
 * A plain harness rather than JMH: one measurement takes seconds, so timer and JIT effects are small, and
 * the Python side needs the same wall-clock treatment. Python needs {@code python3} with {@code numpy}; if
 * it is missing, only our figures are printed.
 */
public final class CsvReadBenchmark {

    private static final long SEED = 20240301L;
    private static final Schema SCHEMA = Schema.builder()
            .add("d1", ColumnType.DOUBLE).add("d2", ColumnType.DOUBLE).add("d3", ColumnType.DOUBLE)
            .add("d4", ColumnType.DOUBLE).add("d5", ColumnType.DOUBLE)
            .add("n1", ColumnType.LONG).add("n2", ColumnType.LONG)
            .add("flag", ColumnType.BOOLEAN)
            .add("category", ColumnType.STRING)
            .add("ts", ColumnType.TIMESTAMP)
            .build();

    private static final String PYTHON = """
            import csv, statistics, sys, time
            from datetime import datetime
            path, rows, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            def stdlib_csv():
                cols = [[] for _ in range(10)]
                with open(path, newline='', encoding='utf-8') as f:
                    r = csv.reader(f)
                    next(r)
                    for row in r:
                        for i in range(5):
                            cols[i].append(float(row[i]))
                        cols[5].append(int(row[5])); cols[6].append(int(row[6]))
                        cols[7].append(row[7] == 'true'); cols[8].append(row[8])
                        cols[9].append(datetime.fromisoformat(row[9]))
                assert len(cols[0]) == rows
            def numpy_loadtxt():
                import numpy
                a = numpy.loadtxt(path, delimiter=',', skiprows=1, usecols=range(7), dtype=numpy.float64)
                assert a.shape == (rows, 7)
            for name, fn in [('python csv (all 10 columns)', stdlib_csv), ('numpy.loadtxt (7 numeric columns)', numpy_loadtxt)]:
                try:
                    times = []
                    for _ in range(reps):
                        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
                    print(name + '\\t' + repr(statistics.median(times)), flush=True)
                except ImportError as e:
                    print(name + '\\tskipped: ' + str(e), flush=True)
            """;

    private CsvReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("csv-bench-");
        Path file = dir.resolve("bench.csv");
        try {
            generate(file, rows);
            System.out.printf(Locale.ROOT, "file: %,d rows x 10 columns, %,d bytes; %d repetitions; %s %s, %d cores%n",
                    rows, Files.size(file), reps, System.getProperty("java.vm.name"), Runtime.version(),
                    Runtime.getRuntime().availableProcessors());

            Map<String, Double> seconds = new LinkedHashMap<>();
            CsvReader typed = CsvReader.builder().schema(SCHEMA).build();
            CsvReader inferring = CsvReader.builder().inferSchema().build();
            seconds.put("CsvReader, given schema", median(reps, () -> check(typed.read(file), rows)));
            seconds.put("CsvReader, inferred schema", median(reps, () -> check(inferring.read(file), rows)));
            seconds.putAll(python(file, rows, Math.min(reps, 3)));

            double ours = seconds.get("CsvReader, given schema");
            System.out.printf(Locale.ROOT, "%n%-36s %10s %14s %18s%n", "reader", "median s", "rows/s", "vs given schema");
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                System.out.printf(Locale.ROOT, "%-36s %10.3f %,14.0f %17.2fx%n", e.getKey(), e.getValue(),
                        rows / e.getValue(), e.getValue() / ours);
            }
            System.out.println("(last column: time relative to CsvReader with a given schema; > 1 means slower)");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Writes the benchmark file with a fixed seed. */
    static void generate(Path file, int rows) throws IOException {
        Random random = new Random(SEED);
        String[] categories = new String[50];
        for (int i = 0; i < categories.length; i++) {
            categories[i] = "category_" + i;
        }
        long start = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(String.join(",", SCHEMA.names()));
            w.write('\n');
            StringBuilder line = new StringBuilder(256);
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                line.append(random.nextGaussian()).append(',')
                        .append(random.nextDouble() * 1000).append(',')
                        .append(Math.round(random.nextGaussian() * 1e4) / 100.0).append(',')
                        .append(random.nextFloat()).append(',')
                        .append(random.nextGaussian() * 1e-3).append(',')
                        .append(random.nextInt(1_000_000)).append(',')
                        .append(random.nextLong() >> 20).append(',')
                        .append(random.nextBoolean()).append(',')
                        .append(categories[random.nextInt(categories.length)]).append(',')
                        .append(Instant.ofEpochSecond(start + random.nextInt(366 * 86_400))).append('\n');
                w.append(line);
            }
        }
    }

    private static void check(Table t, int rows) {
        if (t.rowCount() != rows || t.columnCount() != 10) {
            throw new IllegalStateException("read " + t.rowCount() + " x " + t.columnCount() + ", expected " + rows + " x 10");
        }
    }

    /** Median wall-clock seconds of {@code reps} runs after one warm-up run. */
    private static double median(int reps, Runnable run) {
        run.run();
        double[] s = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            run.run();
            s[i] = (System.nanoTime() - t) / 1e9;
        }
        Arrays.sort(s);
        return reps % 2 == 1 ? s[reps / 2] : (s[reps / 2 - 1] + s[reps / 2]) / 2;
    }

    /** Runs the Python readers on {@code file}; empty if python3 is missing. */
    private static Map<String, Double> python(Path file, int rows, int reps) throws IOException, InterruptedException {
        Map<String, Double> out = new LinkedHashMap<>();
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", PYTHON, file.toString(), Integer.toString(rows), Integer.toString(reps))
                    .redirectErrorStream(true)
                    .start();
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
            String[] parts = line.split("\t", 2);
            if (parts.length == 2 && !parts[1].startsWith("skipped")) {
                out.put(parts[0], Double.parseDouble(parts[1]));
            } else {
                System.out.println(line);
            }
        }
        return out;
    }
}
