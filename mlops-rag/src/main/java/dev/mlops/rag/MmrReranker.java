package dev.mlops.rag;

import dev.mlops.rag.spi.Embedder;
import dev.mlops.rag.spi.Reranker;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): re-ranks candidates so that the top k are
 * relevant to the query <em>and</em> different from each other, which keeps near-duplicate chunks from
 * filling the context.
 *
 * <p>Exact rule. The query and every candidate's text are embedded (one {@link Embedder#embed} call);
 * {@code rel(d) = cos(query, d)}, {@code sim(d, e) = cos(d, e)}. Starting from an empty selection S, it
 * repeatedly adds the candidate with the largest
 * <pre>  mmr(d) = λ · rel(d) − (1 − λ) · max over s in S of sim(d, s)     (the max is 0 while S is empty)</pre>
 * until k are selected or none is left; ties go to the candidate the retriever ranked higher. Each
 * returned hit carries its {@code mmr(d)} at the moment it was selected as its score (so the first is
 * {@code λ · rel}). λ = 1 is plain re-ranking by embedding similarity; λ = 0 ignores the query after
 * the first pick. Default λ = 0.5 (LangChain's {@code lambda_mult} default).
 *
 * <pre>{@code
 * Reranker mmr = MmrReranker.builder().embedder(embedder).lambda(0.7).build();
 * Retriever retriever = index.hybrid(Fusion.reciprocalRank()).reranked(mmr, 20);  // 20 candidates -> best k
 * }</pre>
 */
public final class MmrReranker implements Reranker {

    private final Embedder embedder;
    private final double lambda;

    private MmrReranker(Builder b) {
        this.embedder = b.embedder;
        this.lambda = b.lambda;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The weight of relevance against diversity. */
    public double lambda() {
        return lambda;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "mmr%.2f", lambda);
    }

    @Override
    public List<SearchHit> rerank(String query, List<SearchHit> candidates, int k) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, was " + k);
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(candidates.size() + 1);
        texts.add(query);
        candidates.forEach(h -> texts.add(h.text()));
        List<float[]> vectors = embedder.embed(texts);
        float[] q = vectors.get(0);
        int n = candidates.size();
        double[] rel = new double[n];
        for (int i = 0; i < n; i++) {
            rel[i] = cosine(q, vectors.get(i + 1));
        }
        double[] maxSim = new double[n]; // max similarity to the selection so far (0 while empty)
        boolean[] taken = new boolean[n];
        List<SearchHit> out = new ArrayList<>(Math.min(k, n));
        while (out.size() < Math.min(k, n)) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (taken[i]) {
                    continue;
                }
                double s = lambda * rel[i] - (1 - lambda) * (out.isEmpty() ? 0 : maxSim[i]);
                if (s > bestScore) {
                    bestScore = s;
                    best = i;
                }
            }
            taken[best] = true;
            out.add(candidates.get(best).withScore(bestScore));
            float[] chosen = vectors.get(best + 1);
            for (int i = 0; i < n; i++) {
                if (!taken[i]) {
                    double s = cosine(vectors.get(i + 1), chosen);
                    maxSim[i] = out.size() == 1 ? s : Math.max(maxSim[i], s);
                }
            }
        }
        return List.copyOf(out);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    @Override
    public String toString() {
        return name();
    }

    /** Settings of an {@link MmrReranker}. */
    public static final class Builder {
        private Embedder embedder;
        private double lambda = 0.5;

        private Builder() {}

        /** The embedder for the query and the candidates' texts (not closed by the re-ranker). Required. */
        public Builder embedder(Embedder embedder) {
            if (embedder == null) {
                throw new IllegalArgumentException("embedder must not be null");
            }
            this.embedder = embedder;
            return this;
        }

        /** λ in [0, 1]: 1 = relevance only, 0 = diversity only; default 0.5. */
        public Builder lambda(double lambda) {
            if (!(lambda >= 0 && lambda <= 1)) {
                throw new IllegalArgumentException("lambda must be in [0, 1], was " + lambda);
            }
            this.lambda = lambda;
            return this;
        }

        public MmrReranker build() {
            if (embedder == null) {
                throw new IllegalStateException("embedder(Embedder) is required");
            }
            return new MmrReranker(this);
        }
    }
}
