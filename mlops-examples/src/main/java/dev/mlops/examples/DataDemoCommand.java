package dev.mlops.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops data-demo [--out DIR]}: {@link CoreDemo}, reading, validating, quarantining and splitting data. */
@Command(name = "data-demo", description = "Read, validate, quarantine and split the bundled breast cancer data.")
final class DataDemoCommand extends CliCommand {

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the splits (default: a new temporary directory).")
    Path outDir;

    DataDemoCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() throws Exception {
        return CoreDemo.run(outDir, out);
    }
}
