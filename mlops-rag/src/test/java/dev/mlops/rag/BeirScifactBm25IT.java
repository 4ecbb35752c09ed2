package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BM25 on the BEIR SciFact test split (read from ../shared/data, never committed). Reference:
 * BEIR paper BM25 nDCG@10 = 0.665 (Thakur et al. 2021, Table 2); Anserini flat BM25 (k1 0.9, b 0.4)
 * 0.6789, R@100 0.9253. Vectors come from the hashing test embedder: dense quality is measured in the
 * benchmark run, not here.
 */
class BeirScifactBm25IT {

    @TempDir
    Path home;

    @Test
    void bm25_onScifactTest_reachesThePublishedScore() {
        BeirDataset data = BeirDataset.load(TestData.scifact(), "test");
        assertThat(data.corpus()).hasSize(5183);
        assertThat(data.queries()).hasSize(300);
        try (RagIndex index = RagIndex.builder().home(home).embedder(new HashingEmbedder()).splitter(Splitter.none()).build()) {
            index.upsert(data.corpus());
            RetrievalEvaluation.Outcome out = RetrievalEvaluation.run(index.bm25(), data.queries(), data.qrels(), 100, 10, 100);
            assertThat(out.result().queries()).isEqualTo(300);
            assertThat(out.result().get("ndcg@10")).isGreaterThanOrEqualTo(0.665);
            assertThat(out.result().get("recall@100")).isGreaterThan(0.90);
        }
    }

    @Test
    void dense_onASmallScifactSubset_findsTheCitedAbstracts() {
        BeirDataset data = BeirDataset.load(TestData.scifact(), "test");
        // the 10 first test queries and only their relevant documents plus 40 distractors
        List<String> qids = data.queries().keySet().stream().sorted().limit(10).toList();
        java.util.Set<String> keep = new java.util.HashSet<>();
        qids.forEach(q -> keep.addAll(data.qrels().get(q).keySet()));
        List<Document> docs = data.corpus().stream().filter(d -> keep.contains(d.id())).collect(Collectors.toList());
        data.corpus().stream().filter(d -> !keep.contains(d.id())).limit(40).forEach(docs::add);
        Map<String, String> queries = qids.stream().collect(Collectors.toMap(q -> q, data.queries()::get));
        Map<String, Map<String, Integer>> qrels = qids.stream().collect(Collectors.toMap(q -> q, data.qrels()::get));
        try (var embedder = OnnxEmbedder.builder().model(EmbeddingModel.ALL_MINILM_L6_V2).build();
                RagIndex index = RagIndex.builder().home(home).embedder(embedder).splitter(Splitter.none()).build()) {
            index.upsert(docs);
            double dense = RetrievalEvaluation.run(index.dense(), queries, qrels, 100, 10).result().get("ndcg@10");
            double exact = RetrievalEvaluation.run(index.exactDense(), queries, qrels, 100, 10).result().get("ndcg@10");
            // with ~50 documents HNSW with 100 candidates is as good as exact search
            assertThat(dense).isCloseTo(exact, org.assertj.core.api.Assertions.within(0.01));
            // far above chance on an easy subset (MiniLM scores 0.645 on the full 5,183-doc corpus)
            assertThat(exact).isGreaterThan(0.6);
        }
    }
}
