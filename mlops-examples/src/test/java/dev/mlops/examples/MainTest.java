package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(List.of(args),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_noArguments_printsUsage() throws Exception {
        assertThat(run()).isZero();
        assertThat(out()).startsWith("usage: mlops <command>");
        assertThat(err()).isEmpty();
    }

    @Test
    void run_help_listsEveryCommand() throws Exception {
        assertThat(run("help")).isZero();
        assertThat(Main.COMMANDS).isNotEmpty();
        Main.COMMANDS.forEach((name, command) ->
                assertThat(out()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(name) + " +" + java.util.regex.Pattern.quote(command.summary()) + "$"));
    }

    @Test
    void run_unknownCommand_printsUsageOnStderrAndReturnsUsageStatus() throws Exception {
        assertThat(run("frobnicate", "x")).isEqualTo(Main.EXIT_USAGE).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("unknown command 'frobnicate'").contains("usage: mlops");
    }

    @Test
    void run_demo_rejectsAnUnknownArgumentAsBadUsage() throws Exception {
        assertThat(run("demo", "--bogus")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).contains("unknown argument '--bogus'");
    }

    @Test
    void run_demo_refusesAHomeThatIsNotEmpty(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Files.writeString(dir.resolve("something"), "x");
        assertThat(run("demo", "--home", dir.toString())).isEqualTo(Main.EXIT_USAGE);
        assertThat(err()).contains("is not empty");
    }

    @Test
    void run_dataDemo_readsValidatesQuarantinesAndSplitsTheBundledData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(run("data-demo", "--out", dir.toString())).isZero();
        // Expected counts from shared/data/README.md: 569 rows x (30 features + target);
        // sklearn's split has 455 train rows (285 benign) and 114 test rows (72 benign).
        assertThat(out()).contains("569 rows x 31 columns")
                .contains("8 rows with 3 corrupted: 5 accepted, 3 quarantined")
                .contains("train 455 rows (285 benign), test 114 rows (72 benign)")
                .contains("read back equal: true");
        assertThat(java.nio.file.Files.readString(dir.resolve("rejects.csv")))
                .contains("mean radius: range").contains("mean area: range").contains("target: allowed");
    }
}
