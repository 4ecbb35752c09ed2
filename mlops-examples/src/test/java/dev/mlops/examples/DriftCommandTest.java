package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops drift} run in-process on the small CSVs of fixtures/drift_cli (made by make_cli_fixture.py,
 * which also wrote scipy's numbers for them to expected.json).
 */
class DriftCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    Path reference;
    Path current;
    JsonNode expected;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void copyFixtures() throws IOException {
        reference = copy("reference.csv");
        current = copy("current.csv");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/drift_cli/expected.json")) {
            expected = JSON.readTree(in);
        }
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/fixtures/drift_cli/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private int run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("drift"));
        all.addAll(List.of(args));
        return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void drift_printsTheDocumentedJsonWithScipysNumbers() throws Exception {
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--categorical", "n")).isZero();
        JsonNode r = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(r.get("reference_rows").asInt()).isEqualTo(40);
        assertThat(r.get("current_rows").asInt()).isEqualTo(30);
        assertThat(r.get("drift_share").asDouble()).isEqualTo(0.5);
        assertThat(r.get("columns").fieldNames()).toIterable().containsExactly("x", "n", "color", "flag");

        JsonNode x = r.get("columns").get("x");
        assertThat(x.get("type").asText()).isEqualTo("numeric");
        assertThat(x.get("test").asText()).isEqualTo("ks");
        assertThat(x.get("statistic").asDouble()).isCloseTo(expected.get("x").get("ks").get(0).asDouble(), within(1e-12));
        assertThat(x.get("p_value").asDouble()).isCloseTo(expected.get("x").get("ks").get(1).asDouble(), within(1e-15));
        assertThat(x.get("threshold").asDouble()).isEqualTo(0.05);
        assertThat(x.get("drift").asBoolean()).isTrue();
        assertThat(x.has("tests")).isFalse();

        JsonNode n = r.get("columns").get("n");
        assertThat(n.get("type").asText()).isEqualTo("categorical");
        assertThat(n.get("test").asText()).isEqualTo("chisquare");
        assertThat(n.get("p_value").asDouble())
                .isCloseTo(expected.get("n_categorical").get("chisquare").get(1).asDouble(), within(1e-15));

        JsonNode color = r.get("columns").get("color");
        assertThat(color.get("type").asText()).isEqualTo("categorical");
        assertThat(color.get("statistic").asDouble())
                .isCloseTo(expected.get("color").get("chisquare").get(0).asDouble(), within(1e-9));

        JsonNode flag = r.get("columns").get("flag");
        assertThat(flag.get("type").asText()).isEqualTo("numeric");
        assertThat(flag.get("test").asText()).isEqualTo("z");
        assertThat(flag.get("p_value").asDouble()).isCloseTo(expected.get("flag").get("z").get(1).asDouble(), within(1e-15));

        long drifted = 0;
        for (JsonNode c : r.get("columns")) {
            drifted += c.get("drift").asBoolean() ? 1 : 0;
        }
        assertThat(r.get("share_drifted").asDouble()).isEqualTo(drifted / 4.0);
        assertThat(r.get("dataset_drift").asBoolean()).isEqualTo(drifted / 4.0 >= 0.5);
    }

    @Test
    void drift_withTestsMethodThresholdAndJsonFile() throws Exception {
        Path json = dir.resolve("out/report.json");
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--tests", "ks,psi",
                "--method", "x=psi", "--threshold", "x=2.2", "--drift-share", "0.25", "--correction", "bh",
                "--json", json.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dataset drift:").contains("report: " + json);
        JsonNode r = JSON.readTree(json.toFile());
        JsonNode x = r.get("columns").get("x");
        double psi = expected.get("x").get("psi").asDouble();
        assertThat(x.get("test").asText()).isEqualTo("psi");
        assertThat(x.get("statistic").asDouble()).isCloseTo(psi, within(1e-12));
        assertThat(x.get("p_value").isNull()).isTrue();
        assertThat(x.get("threshold").asDouble()).isEqualTo(2.2);
        assertThat(x.get("drift").asBoolean()).isEqualTo(psi >= 2.2);
        assertThat(x.get("tests").get("ks").get("p_value").asDouble())
                .isCloseTo(expected.get("x").get("ks").get(1).asDouble(), within(1e-15));
        assertThat(x.get("tests").get("psi").has("p_value")).isFalse();
        assertThat(r.get("columns").get("color").get("tests").has("ks")).isFalse(); // ks needs numbers
        assertThat(r.get("correction").asText()).isEqualTo("bh");
        assertThat(r.get("drift_share").asDouble()).isEqualTo(0.25);
        assertThat(r.get("columns").fieldNames()).toIterable().containsExactly("x", "n", "color", "flag");
        try (var files = Files.list(json.getParent())) {
            assertThat(files).containsExactly(json); // no temporary file left behind
        }
    }

    @Test
    void drift_html_writesTheSelfContainedReport() throws Exception {
        Path html = dir.resolve("report.html");
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--html", html.toString())).isZero();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script");
        for (String column : List.of("x", "n", "color", "flag")) {
            assertThat(page).contains("\">" + column + "</a></td>").contains("<h2>" + column + "</h2>");
        }
        assertThat(JSON.readTree(out.toString(StandardCharsets.UTF_8)).get("columns").size()).isEqualTo(4); // JSON still on stdout
    }

    @Test
    void drift_columns_checksOnlyThoseColumns() throws Exception {
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--columns", "flag,x")).isZero();
        JsonNode r = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(r.get("columns").fieldNames()).toIterable().containsExactly("flag", "x");
    }

    @Test
    void drift_badInput_exitCodesAndMessages() throws Exception {
        assertThat(run("--reference", reference.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option").contains("--current").contains("mlops drift --help");
        err.reset();
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--method", "x=kss")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown drift test 'kss'");
        err.reset();
        assertThat(run("--reference", reference.toString(), "--current", current.toString(), "--method", "color=ks")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'color'").contains("needs a numeric column");
        err.reset();
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "x,n\n1,2\n");
        assertThat(run("--reference", reference.toString(), "--current", other.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'color'").contains("missing");
        err.reset();
        assertThat(run("--reference", dir.resolve("nope.csv").toString(), "--current", current.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nope.csv");
    }
}
