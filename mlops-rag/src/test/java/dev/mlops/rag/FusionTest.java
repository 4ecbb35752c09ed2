package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FusionTest {

    static SearchHit h(String id, double score) {
        return new SearchHit(id, id, id, 0, score, Map.of());
    }

    @Test
    void reciprocalRank_matchesHandComputedScores() {
        // list 1: a b c ; list 2: c a d ; k = 60
        // a: 1/61 + 1/62 = 0.032522, c: 1/63 + 1/61 = 0.032266, b: 1/62 = 0.016129, d: 1/63 = 0.015873
        List<SearchHit> fused = Fusion.reciprocalRank().fuse(List.of(
                List.of(h("a", 9), h("b", 8), h("c", 7)), List.of(h("c", 0.9), h("a", 0.8), h("d", 0.1))), 4);
        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("a", "c", "b", "d");
        assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 62, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
        assertThat(fused.get(3).score()).isCloseTo(1.0 / 63, within(1e-12));
    }

    @Test
    void weighted_minMaxNormalisesEachList() {
        // list 1 scores 10, 6, 2 -> 1, 0.5, 0 ; list 2 scores 0.9, 0.5 -> 1, 0
        // w = 0.7: a = 0.7*1 + 0.3*0 = 0.7 ; b = 0.7*0.5 = 0.35 ; c = 0.7*0 + 0.3*1 = 0.3
        List<SearchHit> fused = Fusion.weighted(0.7).fuse(List.of(
                List.of(h("a", 10), h("b", 6), h("c", 2)), List.of(h("c", 0.9), h("a", 0.5))), 3);
        assertThat(fused).extracting(SearchHit::chunkId).containsExactly("a", "b", "c");
        assertThat(fused.get(0).score()).isCloseTo(0.7, within(1e-12));
        assertThat(fused.get(1).score()).isCloseTo(0.35, within(1e-12));
        assertThat(fused.get(2).score()).isCloseTo(0.3, within(1e-12));
    }
}
