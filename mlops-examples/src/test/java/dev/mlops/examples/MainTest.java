package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.registry.ModelRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line's contract: usage, --help everywhere, exit codes 0 / 1 / 2 and one-line errors on stderr. */
class MainTest {

    private ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A usage error: status 2, nothing on stdout, exactly one line on stderr naming the command. */
    private void assertUsageError(String command, String... args) {
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(Main.EXIT_USAGE).isEqualTo(2);
        assertThat(out()).as("stdout of " + String.join(" ", args)).isEmpty();
        assertThat(err().lines().toList()).as("stderr of " + String.join(" ", args)).hasSize(1);
        assertThat(err()).startsWith(command + ": ");
    }

    @Test
    void noArguments_printsTheUsageWithEveryCommand() {
        assertThat(run()).isZero();
        assertThat(out()).startsWith("Usage: mlops");
        for (String name : List.of("demo", "drift", "features", "rag", "registry", "flows", "serve", "data-demo",
                "registry-demo", "dashboard", "help")) {
            assertThat(out()).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(err()).isEmpty();
    }

    @Test
    void helpWorksOnEveryCommandAndSubcommand() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(System.out, System.err), new ArrayList<>(), paths);
        // the command list, at least
        assertThat(paths).contains(List.of("demo"), List.of("drift"), List.of("features", "historical"),
                List.of("rag", "ingest"), List.of("rag", "ask"), List.of("rag", "eval"), List.of("registry", "list"),
                List.of("registry", "show"), List.of("registry", "promote"), List.of("registry", "rollback"),
                List.of("flows", "runs"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isZero();
            assertThat(out()).as(String.join(" ", args)).startsWith("Usage: mlops " + String.join(" ", path));
            assertThat(err()).isEmpty();
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> paths) {
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            paths.add(path);
            collect(sub, path, paths);
        });
    }

    @Test
    void unknownCommand_isAUsageError() {
        assertUsageError("mlops", "frobnicate", "x");
        assertThat(err()).contains("frobnicate");
    }

    @Test
    void unknownOption_isAUsageError() {
        assertUsageError("mlops demo", "demo", "--bogus");
        assertThat(err()).contains("'--bogus'").contains("mlops demo --help");
    }

    @Test
    void missingRequiredOptionAndMissingSubcommand_areUsageErrors() {
        assertUsageError("mlops flows runs", "flows", "runs", "--home", dir.toString());
        assertThat(err()).contains("--flow");
        assertUsageError("mlops registry", "registry");
        assertThat(err()).contains("missing subcommand").contains("list");
        assertUsageError("mlops rag", "rag");
    }

    @Test
    void demo_badValues_areUsageErrors() throws Exception {
        assertUsageError("mlops demo", "demo", "--rag-docs", "wal.txt,nope.txt");
        assertThat(err()).contains("no page 'nope.txt'");
        assertUsageError("mlops demo", "demo", "--llm-url", "http://127.0.0.1:1");
        assertThat(err()).contains("--llm-model");
        assertUsageError("mlops demo", "demo", "--beir", dir.resolve("missing").toString());
        assertThat(err()).contains("corpus.jsonl");
        Files.writeString(dir.resolve("something"), "x");
        assertUsageError("mlops demo", "demo", "--home", dir.toString());
        assertThat(err()).contains("is not empty");
    }

    @Test
    void rag_badOptionValues_areUsageErrors() {
        assertUsageError("mlops rag ask", "rag", "ask", "--index", dir.toString(), "--fusion", "max", "why?");
        assertThat(err()).contains("--fusion must be rrf or minmax, was 'max'");
        assertUsageError("mlops rag ask", "rag", "ask", "--index", dir.toString(), "--retriever", "grep", "why?");
        assertUsageError("mlops rag ask", "rag", "ask", "--index", dir.toString(), "--k", "many", "why?");
        assertUsageError("mlops rag feedback", "rag", "feedback", "--file", dir.resolve("f").toString(), "--answer",
                "a1", "meh");
    }

    @Test
    void registry_homeWithoutARegistry_isAUsageErrorAndCreatesNothing() {
        Path missing = dir.resolve("no-registry");
        assertUsageError("mlops registry list", "registry", "list", "--home", missing.toString());
        assertThat(missing).doesNotExist();
    }

    @Test
    void registry_unknownModel_isAJobFailureWithOneLine() {
        ModelRegistry.open(dir).close();
        assertThat(run("registry", "show", "--home", dir.toString(), "no-such-model")).isEqualTo(Main.EXIT_FAILURE);
        assertThat(err().lines().toList()).hasSize(1);
        assertThat(err()).startsWith("mlops registry show: ").contains("no-such-model");
    }

    @Test
    void registry_promote_badGateIsAUsageError() {
        ModelRegistry.open(dir).close();
        assertUsageError("mlops registry promote", "registry", "promote", "--home", dir.toString(), "m", "1",
                "--gate", "accuracy >>= 0.9");
    }

    @Test
    void registry_promote_nonNumericVersionIsAUsageError() {
        assertUsageError("mlops registry promote", "registry", "promote", "--home", dir.toString(), "m", "one");
    }

    @Test
    void dataDemo_readsValidatesQuarantinesAndSplitsTheBundledData() throws Exception {
        assertThat(run("data-demo", "--out", dir.toString())).isZero();
        // Expected counts from shared/data/README.md: 569 rows x (30 features + target);
        // sklearn's split has 455 train rows (285 benign) and 114 test rows (72 benign).
        assertThat(out()).contains("569 rows x 31 columns")
                .contains("8 rows with 3 corrupted: 5 accepted, 3 quarantined")
                .contains("train 455 rows (285 benign), test 114 rows (72 benign)")
                .contains("read back equal: true");
        assertThat(Files.readString(dir.resolve("rejects.csv")))
                .contains("mean radius: range").contains("mean area: range").contains("target: allowed");
    }
}
