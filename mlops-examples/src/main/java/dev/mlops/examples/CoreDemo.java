package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.io.Json;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.core.validation.Expectations;
import dev.mlops.core.validation.SplitResult;
import dev.mlops.core.validation.ValidationReport;
import dev.mlops.core.validation.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the SDK does end to end today, on the breast cancer data bundled with the examples: read the
 * CSV into a {@link Table}, fingerprint it, validate it, quarantine a corrupted batch, split it with
 * scikit-learn's exact indexes, and write the splits back out. The later scenarios (pipelines,
 * registry, serving, drift, features, RAG) join it as their modules land.
 */
final class CoreDemo {

    private static final String DATA = "/dev/mlops/examples/data/";

    private CoreDemo() {
    }

    /** Runs the demo in {@code outDir} (created if missing; a new temporary directory when null). */
    static int run(Path outDir, PrintStream out) throws IOException {
        Path work = outDir != null ? Files.createDirectories(outDir) : Files.createTempDirectory("mlops-demo-");
        out.println("== mlops demo: data foundation (pipelines, registry, serving, drift, features and RAG");
        out.println("   join this demo as their modules land) ==");
        out.println("working directory: " + work);

        // 1. Read the CSV, inferring the schema, and fingerprint its content.
        Table data;
        try (InputStream in = resource("breast_cancer.csv")) {
            data = CsvReader.builder().inferSchema().build().read(in, "breast_cancer.csv");
        }
        out.printf("%n1. read breast_cancer.csv: %d rows x %d columns, %s%n",
                data.rowCount(), data.columnCount(), data.fingerprint());
        out.println("   schema (first 3 + label): " + data.schema().fields().subList(0, 3) + " ... "
                + data.schema().field("target"));

        // 2. Validate: every feature present and non-negative, the label 0 or 1.
        Expectations.Builder rules = Expectations.builder();
        for (Field f : data.schema()) {
            if (f.name().equals("target")) {
                rules.column("target").ofType(ColumnType.LONG).notNull().allowedValues(0, 1);
            } else {
                rules.column(f.name()).ofType(ColumnType.DOUBLE).notNull().atLeast(0.0);
            }
        }
        Validator validator = rules.build();
        ValidationReport clean = validator.toBuilder().rowCount(100, 1_000_000).build().validate(data);
        out.printf("%n2. validation of the source: %s%n", clean.headline());

        // 3. A corrupted batch arrives: three bad rows among good ones. Quarantine them with reasons.
        Table batch = Table.concat(data.slice(0, 5), corrupt(data));
        Path rejects = work.resolve("rejects.csv");
        SplitResult split = validator.split(batch);
        Table accepted = validator.quarantine(batch, rejects);
        out.printf("%n3. a batch of %d rows with 3 corrupted: %d accepted, %d quarantined to %s%n",
                batch.rowCount(), accepted.rowCount(), split.failing().rowCount(), rejects.getFileName());
        out.println("   " + split.report().headline());
        split.report().failures().forEach(f ->
                out.printf("   - row %d, column '%s': %s%n", f.row(), f.column(), f.message()));

        // 4. Split with scikit-learn's exact indexes (train_test_split, random_state=42, stratified).
        JsonNode indexes;
        try (InputStream in = resource("breast_cancer_split.json")) {
            indexes = Json.newMapper().readTree(in);
        }
        Table train = data.take(ints(indexes.get("train_indices")));
        Table test = data.take(ints(indexes.get("test_indices")));
        out.printf("%n4. split: train %d rows (%s benign), test %d rows (%s benign)%n",
                train.rowCount(), count(train.longColumn("target"), 1), test.rowCount(), count(test.longColumn("target"), 1));
        out.println("   lineage: train " + train.fingerprint().shortHex() + ", test " + test.fingerprint().shortHex());

        // 5. Write the splits and read one back: the round trip is exact.
        CsvWriter writer = CsvWriter.builder().build();
        writer.write(train, work.resolve("train.csv"));
        writer.write(test, work.resolve("test.csv"));
        Table back = CsvReader.builder().schema(test.schema()).build().read(work.resolve("test.csv"));
        out.printf("%n5. wrote train.csv and test.csv; test.csv read back equal: %s (fingerprint %s)%n",
                back.equals(test), back.fingerprint().shortHex());
        out.println("\nNext: ./mlops help lists the other commands.");
        return back.equals(test) && clean.passed() ? 0 : 1;
    }

    /** Three rows copied from {@code data} with one defect each: NaN, a negative value, an unknown label. */
    private static Table corrupt(Table data) {
        TableBuilder b = Table.builder(data.schema());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < data.columnCount(); c++) {
                b.set(c, data.column(c).value(100 + r));
            }
            switch (r) {
                case 0 -> b.setDouble(data.schema().position("mean radius"), Double.NaN);
                case 1 -> b.setDouble(data.schema().position("mean area"), -1001.0);
                default -> b.setLong(data.schema().position("target"), 7);
            }
            b.endRow();
        }
        return b.build();
    }

    private static InputStream resource(String name) {
        InputStream in = CoreDemo.class.getResourceAsStream(DATA + name);
        if (in == null) {
            throw new UncheckedIOException(new IOException("example data " + DATA + name + " is missing from the class path"));
        }
        return in;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static long count(LongColumn c, long value) {
        long n = 0;
        for (int i = 0; i < c.size(); i++) {
            n += c.get(i) == value ? 1 : 0;
        }
        return n;
    }
}
