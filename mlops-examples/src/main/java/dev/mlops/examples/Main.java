package dev.mlops.examples;

import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mlops} command line, {@code mlops <command> [arguments]}, started by the {@code mlops}
 * script at the repository root with the project's JVM flags.
 *
 * <p>Each subcommand is one entry of {@link #COMMANDS}: a name, a one-line summary for {@code help}
 * and a {@link Handler}. No arguments or {@code help} print the usage; an unknown command prints it
 * on standard error and exits with {@value #EXIT_USAGE}.
 */
public final class Main {

    /** Exit status for a command line that names no known command. */
    static final int EXIT_USAGE = 2;

    /** The body of a subcommand: receives the arguments after its name, returns the exit status. */
    @FunctionalInterface
    interface Handler {
        int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
    }

    /** A subcommand: its one-line summary and its body. */
    record Command(String summary, Handler handler) {}

    /** Subcommands by name, in the order {@code help} lists them. */
    static final Map<String, Command> COMMANDS = commands();

    private Main() {}

    private static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("demo", new Command("continuous training with drift detection, see docs/demo.md [--home DIR]",
                ContinuousTrainingDemo::run));
        commands.put("data-demo", new Command("read, validate, quarantine and split the bundled data [--out DIR]",
                CoreDemo::run));
        commands.put("drift", new Command("compare a current CSV with a reference CSV for drift", DriftCommand::run));
        commands.put("features", new Command("feature store: historical point-in-time join to CSV", FeaturesCommand::run));
        commands.put("rag", new Command("RAG: ingest files, ask, evaluate retrievers on BEIR", RagCommand::run));
        commands.put("registry-demo", new Command("track, register, gate, promote and roll back a Tribuo model",
                RegistryDemo::run));
        commands.put("flows", new Command("run the training pipeline as a flow, see docs/flows.md", FlowDemo::command));
        commands.put("serve", new Command("serve the champion, move the alias, watch the swap [--port N]",
                ServeCommand::run));
        commands.put("dashboard", new Command("serve the monitoring dashboard over a home directory [--home DIR]",
                DashboardCommand::run));
        commands.put("help", new Command("show this list", (args, out, err) -> usage(out)));
        return Collections.unmodifiableMap(commands);
    }

    /** Tribuo logs every trainer step at INFO through java.util.logging; the command line shows warnings only. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    public static void main(String[] args) throws Exception {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help")) {
            return usage(out);
        }
        Command command = COMMANDS.get(args.get(0));
        if (command == null) {
            err.println("mlops: unknown command '" + args.get(0) + "'");
            usage(err);
            return EXIT_USAGE;
        }
        return command.handler().run(args.subList(1, args.size()), out, err);
    }

    private static int usage(PrintStream out) {
        out.println("usage: mlops <command> [arguments]");
        out.println();
        out.println("commands:");
        COMMANDS.forEach((name, command) -> out.printf("  %-14s %s%n", name, command.summary()));
        return 0;
    }
}
