package dev.mlops.rag;

/** How token vectors become one sentence vector. */
public enum Pooling {
    /** The mean of the token vectors, weighted by the attention mask (sentence-transformers' MEAN). */
    MEAN,
    /** The first token's vector ({@code [CLS]}), as BGE models use. */
    CLS
}
