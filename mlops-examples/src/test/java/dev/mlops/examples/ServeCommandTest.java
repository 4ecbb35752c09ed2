package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @Test
    void serve_followsThePromotionAndTheRollback(@TempDir Path home) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of("serve", "--home", home.toString()), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text).contains("swap: models:/breast-cancer@champion: version null -> 1")
                .contains("swap: models:/breast-cancer@champion: version 1 -> 2")
                .contains("swap: models:/breast-cancer@champion: version 2 -> 1")
                .contains("now serving version 1")
                .containsPattern("version 1 says [01] \\(p\\(1\\)=")
                .containsPattern("version 2 says [01] \\(p\\(1\\)=")
                .contains("prediction log: 2 records");
    }

    @Test
    void serve_rejectsAnUnknownArgument() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(List.of("serve", "--bogus"), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--bogus'");
    }
}
