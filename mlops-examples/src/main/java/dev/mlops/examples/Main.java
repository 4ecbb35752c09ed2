package dev.mlops.examples;

import dev.mlops.core.MlopsException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code mlops} command line, {@code mlops <command> [options]}, started by the {@code mlops} script at the
 * repository root with the project's JVM flags. Built on picocli: every command and subcommand takes
 * {@code -h}/{@code --help}.
 *
 * <p>Exit status: {@value #EXIT_OK} success, {@value #EXIT_FAILURE} the job failed, {@value #EXIT_USAGE} bad usage
 * (an unknown command or option, a missing or malformed value). A failure or a usage error prints one line on
 * standard error: {@code mlops <command>: <what is wrong>}.
 *
 * <p>Each subcommand is one class in {@link Root}'s {@code subcommands} list, a {@link CliCommand} whose
 * {@code call()} returns the exit status.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    /** The top-level command: without a subcommand it prints the usage. */
    @Command(name = "mlops", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
            version = "mlops 0.1.0-SNAPSHOT",
            description = "The MLOps SDK's demos and tools. See docs/quickstart.md.",
            subcommands = {
                    DemoCommand.class,
                    DriftCommand.class,
                    FeaturesCommand.class,
                    RagCommand.class,
                    RegistryCommand.class,
                    FlowsCommand.class,
                    ServeCommand.class,
                    DataDemoCommand.class,
                    RegistryDemo.class,
                    DashboardCommand.class,
                    CommandLine.HelpCommand.class,
            })
    static final class Root extends CliCommand {
        Root(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            return printUsage(spec.commandLine(), out);
        }
    }

    /** Tribuo logs every trainer step at INFO through java.util.logging; the command line shows warnings only. */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs one command line and returns its exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(out, err);
        return cl.execute(args.toArray(String[]::new));
    }

    /** The command tree, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(Root.class, new Factory(out, err));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            CommandLine where = e.getCommandLine();
            err.println(where.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()) + " (see '"
                    + where.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((Exception e, CommandLine where, CommandLine.ParseResult parsed) -> {
            err.println(where.getCommandSpec().qualifiedName() + ": " + describe(e));
            return EXIT_FAILURE;
        });
        return cl;
    }

    /** An error for one line: expected failures by their message, anything else with its type. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : oneLine(e.getMessage());
        if (e instanceof MlopsException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return message;
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return "I/O error: " + message;
        }
        return e.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Creates commands with the output streams; anything else with picocli's default factory. */
    private record Factory(PrintStream out, PrintStream err) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (CliCommand.class.isAssignableFrom(cls)) {
                Constructor<K> c = cls.getDeclaredConstructor(PrintStream.class, PrintStream.class);
                c.setAccessible(true);
                return c.newInstance(out, err);
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
