package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MMR on four 3-d vectors. Expected orders and scores were computed with numpy by a direct transcription
 * of Carbonell and Goldstein's rule (python3, numpy 2.4):
 * <pre>
 * q=[1,0,0]; a=[.9,.1,0]; b=[.88,.12,0]; c=[.6,0,.8]; d=[.5,.5,.7]; cos(x,y)=x@y/|x|/|y|
 * repeat: argmax over unselected of lam*cos(q,x) - (1-lam)*max(cos(x,s) for s in S, default 0)
 * lam=0.5 -> a c b, scores 0.49694186733680945, 0.0018348795979143406, -0.0044302885952106075
 * lam=1.0 -> a b c, scores 0.9938837346736189, 0.990830168044299, 0.6
 * lam=0.0 -> a d c, scores 0.0, -0.5549392985100223, -0.8643325211229222
 * </pre>
 * b is a near-duplicate of a: plain similarity ranks it second, MMR with λ = 0.5 pushes it behind c.
 */
class MmrRerankerTest {

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    static final TableEmbedder EMBEDDER = new TableEmbedder(Map.of(
            "query", new float[] {1, 0, 0},
            "a", new float[] {0.9f, 0.1f, 0},
            "b", new float[] {0.88f, 0.12f, 0},
            "c", new float[] {0.6f, 0, 0.8f},
            "d", new float[] {0.5f, 0.5f, 0.7f}), false);

    static final List<SearchHit> CANDIDATES = List.of(hit("a", 4), hit("b", 3), hit("c", 2), hit("d", 1));

    static SearchHit hit(String text, double score) {
        return new SearchHit(text + "#0", text, text, 0, score, Map.of("name", text));
    }

    static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::documentId).toList();
    }

    @Test
    void lambdaHalf_pushesTheNearDuplicateDown() {
        List<SearchHit> out = MmrReranker.builder().embedder(EMBEDDER).lambda(0.5).build().rerank("query", CANDIDATES, 3);
        assertThat(ids(out)).containsExactly("a", "c", "b");
        assertThat(out.get(0).score()).isCloseTo(0.49694186733680945, within(1e-6));
        assertThat(out.get(1).score()).isCloseTo(0.0018348795979143406, within(1e-6));
        assertThat(out.get(2).score()).isCloseTo(-0.0044302885952106075, within(1e-6));
        assertThat(out.get(1).metadata()).containsEntry("name", "c"); // the hit itself is kept
    }

    @Test
    void lambdaOne_isPlainSimilarity_lambdaZero_isPureDiversity() {
        List<SearchHit> rel = MmrReranker.builder().embedder(EMBEDDER).lambda(1).build().rerank("query", CANDIDATES, 3);
        assertThat(ids(rel)).containsExactly("a", "b", "c");
        assertThat(rel.get(1).score()).isCloseTo(0.990830168044299, within(1e-6));
        List<SearchHit> div = MmrReranker.builder().embedder(EMBEDDER).lambda(0).build().rerank("query", CANDIDATES, 3);
        assertThat(ids(div)).containsExactly("a", "d", "c");
        assertThat(div.get(2).score()).isCloseTo(-0.8643325211229222, within(1e-6));
    }

    @Test
    void kLargerThanTheCandidates_returnsAllOnce_andEmptyGivesEmpty() {
        MmrReranker mmr = MmrReranker.builder().embedder(EMBEDDER).build();
        assertThat(ids(mmr.rerank("query", CANDIDATES, 10))).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(mmr.rerank("query", List.of(), 3)).isEmpty();
        assertThat(mmr.name()).isEqualTo("mmr0.50");
    }

    @Test
    void reranked_asksTheFirstStageForTheCandidateCount_andKeepsK() {
        List<Integer> asked = new ArrayList<>();
        Retriever first = new Retriever() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public List<SearchHit> retrieve(String query, int k, Filter filter) {
                asked.add(k);
                return CANDIDATES.subList(0, Math.min(k, CANDIDATES.size()));
            }
        };
        Retriever r = first.reranked(MmrReranker.builder().embedder(EMBEDDER).build(), 20);
        assertThat(r.name()).isEqualTo("fixed+mmr0.50");
        assertThat(ids(r.retrieve("query", 2))).containsExactly("a", "c");
        assertThat(asked).containsExactly(20);
        assertThat(r.retrieve("query", 30)).hasSize(4);
        assertThat(asked).containsExactly(20, 30);
    }

    @Test
    void badSettings_areRefusedWithTheValue() {
        assertThatThrownBy(() -> MmrReranker.builder().lambda(1.5)).hasMessageContaining("lambda must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> MmrReranker.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embedder");
        assertThatThrownBy(() -> MmrReranker.builder().embedder(EMBEDDER).build().rerank("query", CANDIDATES, 0))
                .hasMessageContaining("k must be >= 1, was 0");
        Retriever any = new Retriever() {
            @Override
            public String name() {
                return "x";
            }

            @Override
            public List<SearchHit> retrieve(String query, int k, Filter filter) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> any.reranked(null, 5)).hasMessageContaining("reranker must not be null");
        assertThatThrownBy(() -> any.reranked(MmrReranker.builder().embedder(EMBEDDER).build(), 0))
                .hasMessageContaining("candidates must be >= 1, was 0");
    }

    @Test
    void onARealIndex_mmrOverHybrid_returnsIndexedChunks() {
        // end to end through RagIndex with the hashing embedder: the re-ranked list is a subset of the candidates
        try (RagIndex index = RagIndex.builder().home(tmp).embedder(new HashingEmbedder()).splitter(Splitter.none())
                .build()) {
            index.upsert(RagIndexTest.corpus(60));
            Retriever base = index.hybrid(Fusion.reciprocalRank());
            List<SearchHit> pool = base.retrieve("vector search lucene", 20);
            List<SearchHit> out = base.reranked(MmrReranker.builder().embedder(new HashingEmbedder()).build(), 20)
                    .retrieve("vector search lucene", 5);
            assertThat(out).hasSize(5);
            assertThat(pool.stream().map(SearchHit::chunkId).toList())
                    .containsAll(out.stream().map(SearchHit::chunkId).toList());
            assertThat(out.stream().map(SearchHit::chunkId).distinct().count()).isEqualTo(5);
        }
    }
}
