package dev.mlops.examples;

import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowRunRecord;
import dev.mlops.core.flow.FlowState;
import dev.mlops.core.flow.TaskRunRecord;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops flows [DATA_DIR] [HOME]} runs the training pipeline of {@code docs/flows.md} as a flow (twice, to
 * show the cache); {@code mlops flows runs --home DIR --flow NAME} lists the run history of a flow engine home.
 */
@Command(name = "flows", description = "Run the training pipeline as a flow (docs/flows.md); 'flows runs' lists a "
        + "flow's run history.", subcommands = FlowsCommand.Runs.class)
final class FlowsCommand extends CliCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATA_DIR",
            description = "Holds breast_cancer.csv and breast_cancer_split.json (default: the bundled data).")
    Path data;
    @Parameters(index = "1", arity = "0..1", paramLabel = "HOME", description = "The engine home (default: target/flow-demo).")
    Path home;

    FlowsCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() {
        return FlowDemo.command(data, home, out, err);
    }

    @Command(name = "runs", description = "List the last runs of a flow, newest first, with their tasks.")
    static final class Runs extends CliCommand {
        @Option(names = "--home", required = true, paramLabel = "DIR",
                description = "The flow engine's home (the demo's is <demo home>/flows).")
        Path home;
        @Option(names = "--flow", required = true, paramLabel = "NAME",
                description = "The flow (the demo's: " + ContinuousTrainingDemo.FLOW + ").")
        String flow;
        @Option(names = "--last", paramLabel = "N", defaultValue = "10", description = "How many runs (default: ${DEFAULT-VALUE}).")
        int last;
        @Option(names = "--tasks", description = "Also list each run's tasks.")
        boolean tasks;

        Runs(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            if (last < 1) {
                throw usage("--last must be >= 1, was " + last);
            }
            if (!Files.isDirectory(home)) {
                throw usage("--home " + home + " is not a directory; pass the home of a flow engine (the demo's is "
                        + "<demo home>/flows)");
            }
            try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
                List<FlowRunRecord> runs = engine.history().lastRuns(flow, last);
                if (runs.isEmpty()) {
                    out.println("no runs of flow '" + flow + "' in " + home);
                    return 0;
                }
                out.printf("%-36s  %-9s  %-24s  %9s  %s%n", "run", "state", "start", "duration", "error");
                for (FlowRunRecord r : runs) {
                    out.printf(Locale.ROOT, "%-36s  %-9s  %-24s  %9s  %s%n", r.runId(), r.state(), r.start(),
                            duration(r.start(), r.end()), r.error() == null ? "" : r.error());
                    if (tasks) {
                        for (TaskRunRecord t : r.tasks()) {
                            out.printf(Locale.ROOT, "    %-20s %-9s attempts=%d%n", t.task(), t.state(), t.attempts());
                        }
                    }
                }
                long failed = runs.stream().filter(r -> r.state() == FlowState.FAILED || r.state() == FlowState.CRASHED)
                        .count();
                out.printf("%d runs of '%s', %d failed%n", runs.size(), flow, failed);
            }
            return 0;
        }

        private static String duration(Instant start, Instant end) {
            if (end == null) {
                return "running";
            }
            Duration d = Duration.between(start, end);
            return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
        }
    }
}
