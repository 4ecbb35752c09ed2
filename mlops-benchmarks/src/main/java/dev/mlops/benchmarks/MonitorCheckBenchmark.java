package dev.mlops.benchmarks;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.MonitorResult;
import dev.mlops.drift.ReferenceProfile;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One {@link DriftMonitor} check of a large window — 100,000 logged predictions of 20 numeric and 2 text inputs,
 * against a sketched profile of 200,000 reference rows — beside its floor measured in the same run: the same
 * {@link DriftDetector} on a table built directly from the same values. The difference is the monitor's own
 * work: reading the window from the {@link PredictionLog} (in memory here) and turning records into a table.
 *
 * <pre>
 * java -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.MonitorCheckBenchmark [records] [reps]
 * </pre>
 */
public final class MonitorCheckBenchmark {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int NUMERIC = 20;

    private MonitorCheckBenchmark() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "%,d records x %d inputs, %d repetitions; %s %s, %d cores, load average %.1f%n",
                records, NUMERIC + 2, reps, System.getProperty("java.vm.name"), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        SplittableRandom r = new SplittableRandom(7);
        ReferenceProfile profile = ReferenceProfile.builder().quantileSketch(4096).add(table(200_000, r, 0)).build();

        PredictionLog log = PredictionLog.inMemory(records + 10);
        Table direct = table(records, r, 0.05);
        for (int i = 0; i < records; i++) {
            Map<String, Object> in = new LinkedHashMap<>();
            for (Column c : direct.columns()) {
                in.put(c.name(), c.value(i));
            }
            log.append(new PredictionRecord("m", "1", T0.plusMillis(i), "r" + i, in, 0.5, 1000));
        }
        Instant end = T0.plus(Duration.ofHours(1));
        DriftDetector detector = DriftDetector.builder().build();
        DriftMonitor monitor = DriftMonitor.builder().log(log).model("m").reference(profile).detector(detector)
                .window(Duration.ofHours(1)).build();

        MonitorResult[] last = new MonitorResult[1];
        double monitorMs = time(reps, () -> (last[0] = monitor.checkWindowEndingAt(end)).rows());
        double floorMs = time(reps, () -> detector.compare(profile, direct).currentRows());
        double readMs = time(reps, () -> log.read("m", T0, end).size());
        System.out.printf(Locale.ROOT, "monitor check (read window + records to table + detector): median %.0f ms%n", monitorMs);
        System.out.printf(Locale.ROOT, "floor: the detector on the same values as a table:           median %.0f ms%n", floorMs);
        System.out.printf(Locale.ROOT, "of which reading the window from the in-memory log:         median %.0f ms%n", readMs);
        System.out.printf(Locale.ROOT, "monitor / floor = %.2fx; %s; load average %.1f%n", monitorMs / floorMs,
                last[0].summary(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        monitor.close();
    }

    private static Table table(int rows, SplittableRandom r, double shift) {
        Column[] cols = new Column[NUMERIC + 2];
        for (int c = 0; c < NUMERIC; c++) {
            double[] x = new double[rows];
            for (int i = 0; i < rows; i++) {
                double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                x[i] = g + (c < 5 ? shift * 4 : 0);
            }
            cols[c] = DoubleColumn.of("x" + c, x);
        }
        for (int c = 0; c < 2; c++) {
            String[] s = new String[rows];
            for (int i = 0; i < rows; i++) {
                s[i] = "k" + r.nextInt(12);
            }
            cols[NUMERIC + c] = StringColumn.of("s" + c, s);
        }
        return Table.of(cols);
    }

    private static double time(int reps, Supplier<Object> run) {
        run.get();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            run.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }
}
