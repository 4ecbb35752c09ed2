package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.rag.EmbeddingModel;
import dev.mlops.rag.OnnxEmbedder;
import dev.mlops.rag.spi.Embedder;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.RunQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The BEIR evaluation step of the RAG scenario (the demo runs it only with --beir) and its settings. */
class RagDemoTest {

    @TempDir
    Path dir;

    @Test
    void evaluate_tracksOneChildRunPerRetriever_withBm25PerfectOnASeparableDataset() throws Exception {
        // Each judged query's words occur in exactly one document, its relevant one, so BM25 ranks it first:
        // nDCG@10 = recall@100 = MRR@10 = 1 by construction (not a value read from the code under test).
        Path beir = dir.resolve("tiny");
        Files.createDirectories(beir.resolve("qrels"));
        Files.writeString(beir.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\":\"a\",\"title\":\"Apples\",\"text\":\"An orchard grows apple trees.\"}",
                "{\"_id\":\"b\",\"title\":\"Rivers\",\"text\":\"Rivers flow to the sea.\"}",
                "{\"_id\":\"c\",\"title\":\"Physics\",\"text\":\"Quantum mechanics describes particles.\"}",
                "{\"_id\":\"d\",\"title\":\"Cooking\",\"text\":\"Bread needs flour and yeast.\"}") + "\n");
        Files.writeString(beir.resolve("queries.jsonl"),
                "{\"_id\":\"q1\",\"text\":\"apple orchard\"}\n{\"_id\":\"q2\",\"text\":\"quantum particles\"}\n");
        Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\ta\t1\nq2\tc\t1\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<RagDemo.RetrieverScore> scores;
        try (Embedder embedder = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build();
             ModelRegistry registry = ModelRegistry.open(dir.resolve("registry"))) {
            scores = RagDemo.evaluate(beir, dir.resolve("index"), embedder, registry,
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(scores).extracting(RagDemo.RetrieverScore::retriever).containsExactly("bm25", "dense", "hybrid");
            RagDemo.RetrieverScore bm25 = scores.get(0);
            assertThat(bm25.ndcg10()).isEqualTo(1.0);
            assertThat(bm25.recall100()).isEqualTo(1.0);
            assertThat(bm25.mrr10()).isEqualTo(1.0);
            List<RunInfo> runs = registry.searchRuns(RunQuery.builder().experiments(RagDemo.EVAL_EXPERIMENT).build())
                    .runs();
            RunInfo parent = runs.stream().filter(r -> r.parent().isEmpty()).findFirst().orElseThrow();
            assertThat(parent.params()).containsEntry("dataset", "tiny");
            // the paired tests are logged on the parent run: the mean nDCG@10 differences of the child runs
            RunInfo p = registry.run(parent.runId());
            double bm25Ndcg = scores.get(0).ndcg10();
            assertThat(p.metric("hybrid_vs_bm25.ndcg_10.difference").orElseThrow())
                    .isCloseTo(scores.get(2).ndcg10() - bm25Ndcg, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(p.metric("dense_vs_bm25.ndcg_10.difference").orElseThrow())
                    .isCloseTo(scores.get(1).ndcg10() - bm25Ndcg, org.assertj.core.api.Assertions.within(1e-12));
            List<RunInfo> children = runs.stream().filter(r -> r.parent().isPresent()).toList();
            assertThat(children).extracting(RunInfo::name).containsExactlyInAnyOrder("bm25", "dense", "hybrid");
            for (RagDemo.RetrieverScore s : scores) {
                RunInfo child = registry.run(s.runId());
                assertThat(child.parentRunId()).isEqualTo(parent.runId());
                assertThat(child.metric("ndcg_10")).contains(s.ndcg10());
                assertThat(child.metric("recall_100")).contains(s.recall100());
            }
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[rag-eval] BEIR tiny: 4 documents indexed")
                .contains("[rag-eval] hybrid vs bm25 on 2 queries").contains("[rag-eval] dense vs bm25 on 2 queries");
    }

    @Test
    void settings_refuseAnUnknownPageAndAnLlmUrlWithoutAModel() {
        Path docs = Path.of("../examples/data/sqlite_docs");
        assertThatThrownBy(() -> new RagDemo.Settings(docs, List.of("nope.txt"), Optional.empty(), "ollama", null,
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no page 'nope.txt'");
        assertThatThrownBy(() -> new RagDemo.Settings(docs, List.of(), Optional.of("http://127.0.0.1:11434"),
                "ollama", null, Optional.empty())).hasMessageContaining("--llm-model");
        assertThatThrownBy(() -> new RagDemo.Settings(docs, List.of(), Optional.empty(), "bard", null,
                Optional.empty())).hasMessageContaining("--llm-api must be ollama or openai, was 'bard'");
    }
}
