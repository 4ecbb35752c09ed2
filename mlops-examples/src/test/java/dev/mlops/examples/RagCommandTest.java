package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void eval_bm25_onATinyBeirDataset_writesTheJsonReport() throws Exception {
        // each query's words occur in exactly one document, its relevant one: every metric is 1 by construction
        Path beir = dir.resolve("tiny");
        Files.createDirectories(beir.resolve("qrels"));
        Files.writeString(beir.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\":\"a\",\"title\":\"Apples\",\"text\":\"An orchard grows apple trees.\"}",
                "{\"_id\":\"b\",\"title\":\"Rivers\",\"text\":\"Rivers flow to the sea.\"}",
                "{\"_id\":\"c\",\"title\":\"Physics\",\"text\":\"Quantum mechanics describes particles.\"}",
                "{\"_id\":\"d\",\"title\":\"Cooking\",\"text\":\"Bread needs flour and yeast.\"}") + "\n");
        Files.writeString(beir.resolve("queries.jsonl"),
                "{\"_id\":\"q1\",\"text\":\"apple orchard\"}\n{\"_id\":\"q2\",\"text\":\"quantum particles\"}\n"
                        + "{\"_id\":\"q3\",\"text\":\"not judged\"}\n");
        Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\ta\t1\nq2\tc\t1\n");
        Path json = dir.resolve("out.json");
        int code = run("rag", "eval", "--beir", beir.toString(), "--retriever", "bm25", "--json", json.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        for (String key : List.of("ndcg@10", "recall@10", "recall@100", "mrr@10", "queries", "retriever", "model",
                "index_seconds", "query_ms_p50")) {
            assertThat(report.has(key)).as(key).isTrue();
        }
        assertThat(report.get("ndcg@10").asDouble()).isEqualTo(1.0);
        assertThat(report.get("mrr@10").asDouble()).isEqualTo(1.0);
        assertThat(report.get("queries").asInt()).isEqualTo(2);
        assertThat(report.get("retriever").asText()).isEqualTo("bm25");
        assertThat(report.get("model").asText()).isEqualTo("none");
    }

    @Test
    void badArguments_giveUsageAndStatus2() throws Exception {
        assertThat(run("rag", "eval", "--retriever", "bm25")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option").contains("--beir");
        assertThat(run("rag", "frobnicate")).isEqualTo(Main.EXIT_USAGE);
        assertThat(run("rag", "eval", "--beir", dir.resolve("missing").toString(), "--retriever", "bm25")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("corpus.jsonl");
    }
}
