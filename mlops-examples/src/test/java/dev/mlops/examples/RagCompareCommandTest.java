package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops rag compare} and the {@code --track} / {@code --quantization} options of {@code rag eval}. */
class RagCompareCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        out.reset();
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Six documents and six queries; half of the queries share no word with their relevant document. */
    private Path beir() throws Exception {
        Path beir = dir.resolve("tiny");
        Files.createDirectories(beir.resolve("qrels"));
        Files.writeString(beir.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\":\"a\",\"title\":\"Apples\",\"text\":\"An orchard grows apple trees.\"}",
                "{\"_id\":\"b\",\"title\":\"Rivers\",\"text\":\"Rivers flow to the sea.\"}",
                "{\"_id\":\"c\",\"title\":\"Physics\",\"text\":\"Quantum mechanics describes particles.\"}",
                "{\"_id\":\"d\",\"title\":\"Cooking\",\"text\":\"Bread needs flour and yeast.\"}",
                "{\"_id\":\"e\",\"title\":\"Cars\",\"text\":\"An engine burns fuel to move the car.\"}",
                "{\"_id\":\"f\",\"title\":\"Music\",\"text\":\"A violin has four strings.\"}") + "\n");
        Files.writeString(beir.resolve("queries.jsonl"), String.join("\n",
                "{\"_id\":\"q1\",\"text\":\"apple orchard\"}", "{\"_id\":\"q2\",\"text\":\"quantum particles\"}",
                "{\"_id\":\"q3\",\"text\":\"baking a loaf\"}", "{\"_id\":\"q4\",\"text\":\"automobile motor\"}",
                "{\"_id\":\"q5\",\"text\":\"stream of water to the ocean\"}", "{\"_id\":\"q6\",\"text\":\"fiddle\"}") + "\n");
        Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\ta\t1\nq2\tc\t1\nq3\td\t1\n"
                + "q4\te\t1\nq5\tb\t1\nq6\tf\t1\n");
        return beir;
    }

    @Test
    void compare_reportsBothMeansAndTheTests_andTracksBothRuns() throws Exception {
        Path beir = beir();
        Path registry = dir.resolve("registry");
        Path index = dir.resolve("index");
        int code = run("rag", "compare", "--beir", beir.toString(), "--a", "hybrid", "--b", "bm25", "--index",
                index.toString(), "--track", registry.toString(), "--experiment", "tiny-ab", "--json",
                dir.resolve("ab.json").toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode ab = new ObjectMapper().readTree(dir.resolve("ab.json").toFile());
        assertThat(ab.get("a").asText()).isEqualTo("hybrid-rrf60");
        assertThat(ab.get("queries").asInt()).isEqualTo(6);
        assertThat(ab.get("mean_difference").asDouble())
                .isCloseTo(ab.get("mean_a").asDouble() - ab.get("mean_b").asDouble(), within(1e-12));
        assertThat(ab.get("wilcoxon").get("method").asText()).isIn("exact", "permutation", "asymptotic");
        assertThat(ab.get("permutation").get("exact").asBoolean()).isTrue(); // 2^6 patterns
        // the same numbers as separate `rag eval` runs on the same index
        assertThat(run("rag", "eval", "--beir", beir.toString(), "--retriever", "bm25", "--index", index.toString(),
                "--model", "all-minilm-l6-v2")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8)).get("ndcg@10").asDouble())
                .isCloseTo(ab.get("mean_b").asDouble(), within(1e-12));
        try (ModelRegistry reg = ModelRegistry.open(registry)) {
            List<RunInfo> runs = reg.searchRuns(RunQuery.of("params.dataset = 'tiny'")).runs();
            assertThat(runs).hasSize(2);
            RunInfo bm25 = runs.stream().filter(r -> r.params().get("strategy").equals("bm25")).findFirst().orElseThrow();
            assertThat(bm25.params()).containsEntry("model", "sentence-transformers/all-MiniLM-L6-v2")
                    .containsEntry("k", "100").containsEntry("quantization", "none");
            assertThat(bm25.metrics().get("ndcg_at_10").value()).isCloseTo(ab.get("mean_b").asDouble(), within(1e-12));
            assertThat(bm25.metrics()).containsKeys("recall_at_10", "recall_at_100", "mrr_at_10", "latency_ms_p50");
        }
    }

    @Test
    void eval_withInt8AndTrack_recordsTheQuantizationAndTheRun() throws Exception {
        Path beir = beir();
        Path registry = dir.resolve("registry");
        int code = run("rag", "eval", "--beir", beir.toString(), "--retriever", "dense", "--quantization", "int8",
                "--track", registry.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.get("quantization").asText()).isEqualTo("int8");
        String runId = report.get("run_id").asText();
        try (ModelRegistry reg = ModelRegistry.open(registry)) {
            RunInfo r = reg.searchRuns(RunQuery.of("params.quantization = 'int8'")).runs().get(0);
            assertThat(r.runId()).isEqualTo(runId);
            assertThat(r.params()).containsEntry("strategy", "dense");
            assertThat(r.metrics().get("ndcg_at_10").value()).isCloseTo(report.get("ndcg@10").asDouble(), within(1e-12));
        }
        assertThat(run("rag", "eval", "--beir", beir.toString(), "--retriever", "bm25", "--quantization", "int4"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--quantization must be none or int8, was 'int4'");
    }
}
