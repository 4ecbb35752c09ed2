package dev.mlops.examples;

import dev.mlops.core.MlopsException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.Table;
import dev.mlops.features.PointInTimeJoin;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops features historical|demo}: the feature store from the command line.
 *
 * <p>{@code historical --entities E.csv --entity-key KEY --view NAME=FILE[:ttl=SECONDS] [--view ...]
 * [--as-known-at] --out OUT.csv}: a point-in-time join of feature files onto entity rows (see
 * {@link PointInTimeJoin} for the exact rule). E.csv has the key, {@code event_timestamp} (ISO-8601 with a zone)
 * and any other columns; each FILE (CSV, or Parquet by its {@code .parquet} extension) has the key,
 * {@code event_timestamp}, {@code created_timestamp} and feature columns, types inferred. OUT.csv keeps every
 * entity column and row in order, then the {@code <view>__<feature>} columns; timestamps in ISO-8601 UTC, nulls as
 * empty cells. A TTL of 0 or none means unbounded. Exit status 0 on success, 1 on bad data (the message says
 * where), 2 on a bad command line.
 */
@Command(name = "features", description = "Feature store: historical point-in-time join to CSV; the Bike Sharing example.",
        subcommands = {FeaturesCommand.Historical.class, FeaturesCommand.Demo.class})
final class FeaturesCommand extends CliCommand.Group {

    FeaturesCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    private static final Pattern VIEW = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.+?)(?::ttl=([0-9]+))?");

    @Command(name = "historical", sortOptions = false,
            description = "Point-in-time join of feature files onto entity rows, written to a CSV file.")
    static final class Historical extends CliCommand {
        @Option(names = "--entities", required = true, paramLabel = "E.csv", description = "Entity rows: the key, event_timestamp and any other columns.")
        Path entities;
        @Option(names = "--entity-key", required = true, paramLabel = "KEY", description = "The join key column.")
        String key;
        @Option(names = "--view", required = true, paramLabel = "NAME=FILE[:ttl=SECONDS]",
                description = "A feature file (CSV or .parquet) and its TTL (0 or none: unbounded); repeatable.")
        List<String> views = new ArrayList<>();
        @Option(names = "--as-known-at", description = "Also require created_timestamp <= the entity row's time.")
        boolean asKnownAt;
        @Option(names = "--out", required = true, paramLabel = "OUT.csv", description = "Where to write the result.")
        Path outFile;

        Historical(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            List<String[]> parsed = new ArrayList<>();
            for (String v : views) {
                Matcher m = VIEW.matcher(v);
                if (!m.matches()) {
                    throw usage("--view must be NAME=FILE[:ttl=SECONDS], got '" + v + "'");
                }
                parsed.add(new String[] {m.group(1), m.group(2), m.group(3) == null ? "0" : m.group(3)});
            }
            try {
                PointInTimeJoin.Builder join = PointInTimeJoin.builder().entityKey(key).asKnownAt(asKnownAt);
                for (String[] v : parsed) {
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

    @Command(name = "demo", description = "The Bike Sharing feature-store example of docs/features.md.")
    static final class Demo extends CliCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATA_DIR", defaultValue = "../shared/data",
                description = "Holds bike_sharing_hour.csv and bike_sharing_day.csv (default: ${DEFAULT-VALUE}).")
        Path data;
        @Parameters(index = "1", arity = "0..1", paramLabel = "WORK_DIR", description = "Default: a new temporary directory.")
        Path work;

        Demo(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() throws Exception {
            Path dir = work != null ? work : Files.createTempDirectory("mlops-features-demo");
            FeatureStoreExample.run(data, dir, out);
            out.println("feature store in " + dir.resolve("store"));
            return 0;
        }
    }
}
