package dev.mlops.benchmarks;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.PointInTimeJoin;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A point-in-time join of N entity rows x N feature rows (one view, 100,000 keys, two DOUBLE features,
 * unsorted input, no TTL, fixed seed) through {@code PointInTimeJoin}, beside the same join as DuckDB
 * 2.0.0.1's raw {@code ASOF LEFT JOIN} (result materialized with {@code CREATE TABLE AS}, data loaded
 * beforehand and not timed) and numpy's {@code searchsorted} on a composite (key, time) code (data
 * loaded beforehand). Prints the median seconds of each and the ratios.
 *
 * <pre>
 * java @mlops-examples/target/jvm.options @mlops-examples/target/jvm-jdk24.options \
 *     -cp mlops-benchmarks/target/benchmarks.jar dev.mlops.benchmarks.PointInTimeJoinBenchmark [rows] [reps]
 * </pre>
 */
public final class PointInTimeJoinBenchmark {

    private static final String PYTHON = """
            import sys, time, statistics, numpy as np
            e = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1, dtype=np.int64)
            f = np.loadtxt(sys.argv[2], delimiter=',', skiprows=1)
            reps = int(sys.argv[3])
            ek, et = e[:, 0], e[:, 1]
            fk, ft, fx, fy = f[:, 0].astype(np.int64), f[:, 1].astype(np.int64), f[:, 2], f[:, 3]
            def run():
                fc = (fk << 32) | ft
                order = np.argsort(fc, kind='stable')
                fcs = fc[order]
                ec = (ek << 32) | et
                idx = np.searchsorted(fcs, ec, side='right') - 1
                ok = (idx >= 0) & (fk[order[np.maximum(idx, 0)]] == ek)
                rows = order[np.maximum(idx, 0)]
                x = np.where(ok, fx[rows], np.nan)
                y = np.where(ok, fy[rows], np.nan)
                return int(ok.sum())
            times = []
            for _ in range(reps):
                s = time.perf_counter(); m = run(); times.append(time.perf_counter() - s)
            print('numpy searchsorted\\t' + repr(statistics.median(times)) + '\\t' + str(m), flush=True)
            """;

    private PointInTimeJoinBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int keys = 100_000;
        Random rnd = new Random(42);
        long base = 1_700_000_000L;
        Schema fs = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("x", ColumnType.DOUBLE).add("y", ColumnType.DOUBLE).build();
        TableBuilder fb = Table.builder(fs);
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        while (fb.rowCount() < rows) {
            long k = rnd.nextInt(keys);
            long sec = rnd.nextInt(30_000_000);
            if (!seen.add(k * 100_000_000L + sec)) {
                continue;
            }
            fb.setLong(0, k).setEpochMicros(1, (base + sec) * 1_000_000L).setDouble(2, rnd.nextDouble()).setDouble(3, rnd.nextGaussian()).endRow();
        }
        Table features = fb.build();
        Schema es = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP).build();
        TableBuilder eb = Table.builder(es);
        for (int i = 0; i < rows; i++) {
            eb.setLong(0, rnd.nextInt(keys)).setEpochMicros(1, (base + rnd.nextInt(31_000_000)) * 1_000_000L).endRow();
        }
        Table entities = eb.build();

        Map<String, Double> seconds = new LinkedHashMap<>();
        PointInTimeJoin join = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build();
        long matched = 0;
        double[] ours = new double[reps + 1];
        for (int r = 0; r <= reps; r++) {
            long s = System.nanoTime();
            Table out = join.join(entities);
            ours[r] = (System.nanoTime() - s) / 1e9;
            matched = out.rowCount() - out.column("v__x").nullCount();
        }
        seconds.put("PointInTimeJoin (plain Java)", median(Arrays.copyOfRange(ours, 1, ours.length)));
        System.out.println("ours: matched " + matched + " of " + rows);

        Path dir = Files.createTempDirectory("pit-bench");
        Path ecsv = dir.resolve("e.csv");
        Path fcsv = dir.resolve("f.csv");
        // integer seconds for the Python side (exactly the same instants)
        writeSeconds(entities, ecsv, false);
        writeSeconds(features, fcsv, true);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE e AS SELECT row_number() OVER () AS rid, k, to_timestamp(t) AS ts FROM read_csv('" + ecsv + "')");
            st.execute("CREATE TABLE f AS SELECT k, to_timestamp(t) AS ts, x, y FROM read_csv('" + fcsv + "')");
            double[] duck = new double[reps + 1];
            long duckMatched = 0;
            for (int r = 0; r <= reps; r++) {
                st.execute("DROP TABLE IF EXISTS out");
                long s = System.nanoTime();
                st.execute("CREATE TABLE out AS SELECT e.rid, e.k, e.ts, f.x, f.y FROM e ASOF LEFT JOIN f ON e.k = f.k AND e.ts >= f.ts");
                duck[r] = (System.nanoTime() - s) / 1e9;
            }
            try (ResultSet rs = st.executeQuery("SELECT count(x) FROM out")) {
                rs.next();
                duckMatched = rs.getLong(1);
            }
            System.out.println("duckdb: matched " + duckMatched + " of " + rows);
            seconds.put("DuckDB ASOF LEFT JOIN (" + Runtime.getRuntime().availableProcessors() + " threads)",
                    median(Arrays.copyOfRange(duck, 1, duck.length)));
        }
        try {
            Process p = new ProcessBuilder("python3", "-c", PYTHON, ecsv.toString(), fcsv.toString(), Integer.toString(reps))
                    .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] parts = line.split("\t");
                    if (parts.length == 3) {
                        seconds.put(parts[0], Double.parseDouble(parts[1]));
                        System.out.println("numpy: matched " + parts[2] + " of " + rows);
                    } else {
                        System.out.println("python: " + line);
                    }
                }
            }
            p.waitFor();
        } catch (java.io.IOException e) {
            System.out.println("python3 not available: " + e.getMessage());
        }
        double mine = seconds.get("PointInTimeJoin (plain Java)");
        System.out.printf(Locale.ROOT, "%n%d entity rows x %d feature rows, %d keys, median of %d%n", rows, rows, keys, reps);
        System.out.printf(Locale.ROOT, "%-40s %10s %14s%n", "engine", "median s", "time / ours");
        seconds.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-40s %10.3f %14.2f%n", k, v, v / mine));
    }

    private static void writeSeconds(Table t, Path file, boolean features) throws java.io.IOException {
        StringBuilder sb = new StringBuilder(features ? "k,t,x,y\n" : "k,t\n");
        var k = t.longColumn("k");
        var ts = t.timestampColumn("event_timestamp");
        for (int i = 0; i < t.rowCount(); i++) {
            sb.append(k.get(i)).append(',').append(ts.epochMicros(i) / 1_000_000L);
            if (features) {
                sb.append(',').append(t.doubleColumn("x").get(i)).append(',').append(t.doubleColumn("y").get(i));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

}
