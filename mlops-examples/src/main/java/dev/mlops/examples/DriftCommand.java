package dev.mlops.examples;

import dev.mlops.core.MlopsException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.ColumnDrift;
import dev.mlops.drift.Correction;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftReport;
import dev.mlops.drift.StatTest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops drift --reference R.csv --current C.csv [--columns a,b] [--categorical a,b] [--tests all|ks,psi,...]
 * [--method col=test] [--threshold col=value] [--drift-share 0.5] [--correction none|bonferroni|bh]
 * [--json OUT.json] [--html OUT.html]}: compares two CSV files column by column with {@link DriftDetector} and
 * prints the JSON report (to standard output, or to {@code --json}, written atomically, with a summary on
 * standard output); {@code --html} also writes the self-contained HTML report.
 *
 * <p>A column listed in {@code --categorical} is categorical whatever it looks like; any other column is
 * numeric when every value in both files parses as a number, categorical otherwise. {@code --columns} checks only
 * the listed columns (default: every column of the reference). {@code --method} and
 * {@code --threshold} take comma-separated {@code col=value} pairs and may be repeated. Exit status 0 when the
 * report was made (drift or not), 1 on bad input (with the reason on standard error), 2 on a bad command line.
 */
@Command(name = "drift", sortOptions = false,
        description = {"Compare a current CSV with a reference CSV for drift, column by column, and print the JSON "
                + "report (or write it with --json and print a summary). Exit 0 when the report was made, drift or "
                + "not; 1 on bad input."})
final class DriftCommand extends CliCommand {

    static final int EXIT_INPUT = 1;

    @Option(names = "--reference", required = true, paramLabel = "R.csv", description = "The reference data.")
    Path reference;
    @Option(names = "--current", required = true, paramLabel = "C.csv", description = "The current data.")
    Path current;
    @Option(names = "--columns", paramLabel = "a,b", split = ",", description = "Check only these columns (default: every column of the reference).")
    List<String> columns = new ArrayList<>();
    @Option(names = "--categorical", paramLabel = "a,b", split = ",", description = "Columns that are categorical whatever they look like.")
    List<String> categorical = new ArrayList<>();
    @Option(names = "--tests", paramLabel = "all|ks,psi,...", description = "Extra tests to run beside the automatic choice.")
    String tests;
    @Option(names = "--method", paramLabel = "col=test", split = ",", description = "The test of a column; repeatable.")
    List<String> methods = new ArrayList<>();
    @Option(names = "--threshold", paramLabel = "col=value", split = ",", description = "The threshold of a column; repeatable.")
    List<String> thresholds = new ArrayList<>();
    @Option(names = "--drift-share", paramLabel = "0.5", description = "Share of drifted columns that makes the dataset drift.")
    String driftShare;
    @Option(names = "--correction", paramLabel = "none|bonferroni|bh", description = "Multiple-testing correction.")
    String correction;
    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the report here (atomically).")
    Path json;
    @Option(names = "--html", paramLabel = "OUT.html", description = "Also write the self-contained HTML report.")
    Path html;

    DriftCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() {
        DriftDetector.Builder builder = DriftDetector.builder();
        try {
            if (!columns.isEmpty()) {
                builder.columns(trimmed(columns));
            }
            if (tests != null) {
                builder.alsoRun(tests(tests));
            }
            for (String pair : methods) {
                String[] kv = pair("--method", pair);
                builder.test(kv[0], StatTest.of(kv[1]));
            }
            for (String pair : thresholds) {
                String[] kv = pair("--threshold", pair);
                builder.threshold(kv[0], number("--threshold", kv[1]));
            }
            if (driftShare != null) {
                builder.driftShare(number("--drift-share", driftShare));
            }
            if (correction != null) {
                builder.correction(Correction.of(correction));
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        List<String> categoricalColumns = trimmed(categorical);
        try {
            CsvReader reader = CsvReader.builder().inferSchema().assumeZone(ZoneOffset.UTC).build();
            Table[] tables = harmonise(reader.read(reference), reader.read(current), Set.copyOf(categoricalColumns));
            DriftReport report = builder.categorical(categoricalColumns).build().compare(tables[0], tables[1]);
            String text = report.toJson();
            if (html != null) {
                writeAtomically(html, report.toHtml());
            }
            if (json == null) {
                out.println(text);
            } else {
                writeAtomically(json, text);
                out.printf(Locale.ROOT, "dataset drift: %s (%d of %d columns drifted: share %.3f, drift at >= %.3f); report: %s%n",
                        report.datasetDrift(), report.driftedColumns(), report.columns().size(), report.shareDrifted(),
                        report.driftShare(), json);
                for (ColumnDrift c : report.columns().values()) {
                    out.printf(Locale.ROOT, "  %-20s %-12s %-13s %12.6g %s%n", c.column(), c.kind().id(), c.test().id(),
                            c.test().hasPValue() ? c.adjustedPValue() : c.statistic(), c.drift() ? "DRIFT" : "ok");
                }
            }
            return 0;
        } catch (MlopsException | IllegalArgumentException e) {
            err.println("mlops drift: " + e.getMessage());
            return EXIT_INPUT;
        } catch (IOException e) {
            err.println("mlops drift: cannot write the report: " + e.getMessage());
            return EXIT_INPUT;
        }
    }

    private static List<String> trimmed(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String s : values) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String[] pair(String flag, String pair) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
            throw new IllegalArgumentException(flag + " takes col=value, got '" + pair + "'");
        }
        return new String[] {pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()};
    }

    private static double number(String flag, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
        }
    }

    private static Set<StatTest> tests(String value) {
        if (value.trim().equalsIgnoreCase("all")) {
            return EnumSet.allOf(StatTest.class);
        }
        Set<StatTest> out = new LinkedHashSet<>();
        for (String id : list(value)) {
            out.add(StatTest.of(id));
        }
        return out;
    }

    /**
     * Makes the two inferred tables agree: a column is numeric (DOUBLE) when both sides inferred LONG or DOUBLE
     * (a side with no values at all does not count against it), otherwise both sides become text.
     */
    static Table[] harmonise(Table reference, Table current, Set<String> categorical) {
        List<Column> ref = new ArrayList<>();
        List<Column> cur = new ArrayList<>();
        for (Column r : reference.columns()) {
            if (!current.schema().contains(r.name())) {
                ref.add(r); // the detector reports the missing column
                continue;
            }
            Column c = current.column(r.name());
            if (categorical.contains(r.name())) {
                ref.add(text(r));
                cur.add(text(c));
            } else if (numericOrEmpty(r) && numericOrEmpty(c)) {
                ref.add(doubles(r));
                cur.add(doubles(c));
            } else {
                ref.add(text(r));
                cur.add(text(c));
            }
        }
        for (Column c : current.columns()) {
            if (!reference.schema().contains(c.name())) {
                cur.add(c);
            }
        }
        return new Table[] {Table.of(ref.toArray(Column[]::new)), Table.of(cur.toArray(Column[]::new))};
    }

    private static boolean numericOrEmpty(Column c) {
        return c.type() == ColumnType.LONG || c.type() == ColumnType.DOUBLE || c.nullCount() == c.size();
    }

    private static Column doubles(Column c) {
        DoubleColumn.Builder b = DoubleColumn.builder(c.name(), c.size());
        for (int i = 0; i < c.size(); i++) {
            Object v = c.value(i);
            if (v instanceof Number n) {
                b.add(n.doubleValue());
            } else {
                b.addNull();
            }
        }
        return b.build();
    }

    private static Column text(Column c) {
        return c instanceof StringColumn ? c : StringColumn.of(c.name(), c.toStringArray());
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // a report is for reading: not the 0600 of a temporary file
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
