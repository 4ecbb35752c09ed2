package dev.mlops.examples;

import dev.mlops.core.MlopsException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.Table;
import dev.mlops.features.PointInTimeJoin;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mlops features historical --entities E.csv --entity-key KEY --view NAME=FILE[:ttl=SECONDS]
 * [--view ...] [--as-known-at] --out OUT.csv}: a point-in-time join of feature files onto entity rows
 * (see {@link PointInTimeJoin} for the exact rule).
 *
 * <p>E.csv has the key, {@code event_timestamp} (ISO-8601 with a zone) and any other columns; each FILE
 * (CSV, or Parquet by its {@code .parquet} extension) has the key, {@code event_timestamp},
 * {@code created_timestamp} and feature columns, types inferred. OUT.csv keeps every entity column and
 * row in order, then the {@code <view>__<feature>} columns; timestamps in ISO-8601 UTC, nulls as empty
 * cells. A TTL of 0 or none means unbounded. Exit status 0 on success, 1 on bad data (the message says
 * where), 2 on a bad command line.
 */
final class FeaturesCommand {

    static final String USAGE = "usage: mlops features demo [DATA_DIR] [WORK_DIR]\n"
            + "       mlops features historical --entities E.csv --entity-key KEY "
            + "--view NAME=FILE[:ttl=SECONDS] [--view ...] [--as-known-at] --out OUT.csv";

    private static final Pattern VIEW = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.+?)(?::ttl=([0-9]+))?");

    private FeaturesCommand() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("demo")) {
            return FeatureStoreExample.demo(args.subList(1, args.size()), out);
        }
        if (args.isEmpty() || !args.get(0).equals("historical")) {
            err.println(args.isEmpty() ? "mlops features: missing subcommand" : "mlops features: unknown subcommand '" + args.get(0) + "'");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        Path entities = null;
        String key = null;
        Path outFile = null;
        boolean asKnownAt = false;
        List<String[]> views = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--as-known-at")) {
                asKnownAt = true;
                continue;
            }
            if (i + 1 >= args.size() || !List.of("--entities", "--entity-key", "--view", "--out").contains(a)) {
                err.println("mlops features historical: " + (a.startsWith("--") && i + 1 >= args.size()
                        ? "option " + a + " needs a value" : "unknown argument '" + a + "'"));
                err.println(USAGE);
                return Main.EXIT_USAGE;
            }
            String v = args.get(++i);
            switch (a) {
                case "--entities" -> entities = Path.of(v);
                case "--entity-key" -> key = v;
                case "--out" -> outFile = Path.of(v);
                default -> {
                    Matcher m = VIEW.matcher(v);
                    if (!m.matches()) {
                        err.println("mlops features historical: --view must be NAME=FILE[:ttl=SECONDS], got '" + v + "'");
                        return Main.EXIT_USAGE;
                    }
                    views.add(new String[] {m.group(1), m.group(2), m.group(3) == null ? "0" : m.group(3)});
                }
            }
        }
        if (entities == null || key == null || outFile == null || views.isEmpty()) {
            err.println("mlops features historical: --entities, --entity-key, --out and at least one --view are required");
            err.println(USAGE);
            return Main.EXIT_USAGE;
        }
        try {
            PointInTimeJoin.Builder join = PointInTimeJoin.builder().entityKey(key).asKnownAt(asKnownAt);
            for (String[] v : views) {
                join.view(v[0], Path.of(v[1]), Duration.ofSeconds(Long.parseLong(v[2])));
            }
            Table rows = CsvReader.builder().inferSchema().build().read(entities);
            Table result = join.build().join(rows, entities.toString());
            CsvWriter.builder().build().write(result, outFile);
            out.println("wrote " + result.rowCount() + " rows x " + result.columnCount() + " columns to " + outFile);
            return 0;
        } catch (MlopsException | IllegalArgumentException | IllegalStateException e) {
            err.println("mlops features historical: " + e.getMessage());
            return 1;
        }
    }
}
