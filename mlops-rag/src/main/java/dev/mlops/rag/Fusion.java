package dev.mlops.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a hybrid retriever merges ranked lists (keyed by chunk id).
 * <ul>
 *   <li>{@link #reciprocalRank(int)}: score(d) = sum over lists of 1 / (k + rank), rank starting at 1
 *       (Cormack et al. 2009; k = 60 by default); a chunk absent from a list adds nothing.
 *   <li>{@link #weighted(double)}: each list's scores are min-max normalised to [0, 1] (all equal: 1),
 *       then score(d) = w * dense + (1 - w) * other; absent = 0. The first list is weighted {@code w}.
 * </ul>
 * Ties are broken by chunk id so results are deterministic.
 */
public sealed interface Fusion {

    record ReciprocalRank(int k) implements Fusion {
        public ReciprocalRank {
            if (k < 1) {
                throw new IllegalArgumentException("RRF k must be >= 1, was " + k);
            }
        }
    }

    record Weighted(double firstWeight) implements Fusion {
        public Weighted {
            if (!(firstWeight >= 0 && firstWeight <= 1)) {
                throw new IllegalArgumentException("weight must be in [0, 1], was " + firstWeight);
            }
        }
    }

    static Fusion reciprocalRank(int k) {
        return new ReciprocalRank(k);
    }

    /** Reciprocal rank fusion with k = 60. */
    static Fusion reciprocalRank() {
        return new ReciprocalRank(60);
    }

    static Fusion weighted(double firstWeight) {
        return new Weighted(firstWeight);
    }

    /** A short name, e.g. {@code rrf60} or {@code minmax0.50}. */
    default String label() {
        return switch (this) {
            case ReciprocalRank r -> "rrf" + r.k();
            case Weighted w -> String.format(java.util.Locale.ROOT, "minmax%.2f", w.firstWeight());
        };
    }

    /** Fuses ranked lists (best first) into the best {@code k}. */
    default List<SearchHit> fuse(List<List<SearchHit>> lists, int k) {
        Map<String, SearchHit> hits = new LinkedHashMap<>();
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int li = 0; li < lists.size(); li++) {
            List<SearchHit> list = lists.get(li);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (SearchHit h : list) {
                min = Math.min(min, h.score());
                max = Math.max(max, h.score());
            }
            double weight = this instanceof Weighted w ? (li == 0 ? w.firstWeight() : (1 - w.firstWeight()) / Math.max(1, lists.size() - 1)) : 1;
            for (int r = 0; r < list.size(); r++) {
                SearchHit h = list.get(r);
                double s = switch (this) {
                    case ReciprocalRank rr -> 1.0 / (rr.k() + r + 1);
                    case Weighted ignored -> weight * (max > min ? (h.score() - min) / (max - min) : 1.0);
                };
                hits.putIfAbsent(h.chunkId(), h);
                scores.merge(h.chunkId(), s, Double::sum);
            }
        }
        List<SearchHit> out = new ArrayList<>(hits.size());
        hits.forEach((id, h) -> out.add(h.withScore(scores.get(id))));
        out.sort(Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(SearchHit::chunkId));
        return out.size() > k ? List.copyOf(out.subList(0, k)) : List.copyOf(out);
    }
}
