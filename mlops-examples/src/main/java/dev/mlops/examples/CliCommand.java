package dev.mlops.examples;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The base of every {@code mlops} subcommand: picocli fills the annotated fields, {@link Main} passes the output
 * streams, and {@link #call()} returns the exit status (0 done, 1 the job failed). A bad command line found after
 * parsing is reported with {@link #usage(String)}, which {@link Main} turns into exit status 2.
 */
abstract class CliCommand implements Callable<Integer> {

    /** Standard output of the command. */
    protected final PrintStream out;
    /** Standard error of the command. */
    protected final PrintStream err;

    @Spec
    protected CommandSpec spec;

    protected CliCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A bad command line: exit status 2 with {@code message} on standard error. */
    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** For a command that only groups subcommands: called without one, it is a usage error. */
    abstract static class Group extends CliCommand {
        protected Group(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            throw usage("missing subcommand; one of " + String.join(", ", spec.subcommands().keySet()));
        }
    }

    /** Prints the usage of {@code cl} to standard output and returns 0. */
    static int printUsage(CommandLine cl, PrintStream out) {
        out.print(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
        return 0;
    }
}
