package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 (scalar-quantized) HNSW option against a brute-force nearest-neighbour search written in
 * this test, on random unit vectors. The full-size measurement (100k x 384) is the
 * {@code HnswRecallBenchmark} harness in mlops-benchmarks; this is a small version that can fail.
 */
class VectorQuantizationTest {

    static final int DIM = 48;
    static final int N = 2000;
    static final int QUERIES = 50;

    @TempDir
    Path dir;

    static final Map<String, float[]> TABLE = new HashMap<>();
    static final List<Document> DOCS = new ArrayList<>();

    static {
        Random rnd = new Random(42);
        for (int i = 0; i < N + QUERIES; i++) {
            float[] v = new float[DIM];
            double n = 0;
            for (int d = 0; d < DIM; d++) {
                v[d] = (float) rnd.nextGaussian();
                n += v[d] * v[d];
            }
            for (int d = 0; d < DIM; d++) {
                v[d] /= (float) Math.sqrt(n);
            }
            String text = (i < N ? "v" : "q") + i;
            TABLE.put(text, v);
            if (i < N) {
                DOCS.add(new Document("v" + i, text, Map.of()));
            }
        }
    }

    /** The ids of the k documents with the largest dot product, by a plain loop. */
    static List<String> bruteForce(float[] q, int k) {
        List<String> ids = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (Document d : DOCS) {
            float[] v = TABLE.get(d.text());
            double s = 0;
            for (int i = 0; i < DIM; i++) {
                s += (double) q[i] * v[i];
            }
            ids.add(d.id());
            scores.add(s);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(scores.get(b), scores.get(a)));
        return order.subList(0, k).stream().map(ids::get).toList();
    }

    RagIndex open(Path home, VectorQuantization q) {
        return RagIndex.builder().home(home).embedder(new TableEmbedder(TABLE, true)).splitter(Splitter.none())
                .quantization(q).build();
    }

    static double recallAt10(Retriever r) {
        int found = 0;
        for (int i = N; i < N + QUERIES; i++) {
            float[] q = TABLE.get("q" + i);
            Set<String> truth = new HashSet<>(bruteForce(q, 10));
            for (SearchHit h : r.retrieve("q" + i, 10)) {
                if (truth.contains(h.documentId())) {
                    found++;
                }
            }
        }
        return found / (10.0 * QUERIES);
    }

    @Test
    void int8Hnsw_with100Candidates_findsTheTrueNearestNeighbours() {
        try (RagIndex f32 = open(dir.resolve("f32"), VectorQuantization.NONE);
                RagIndex int8 = open(dir.resolve("int8"), VectorQuantization.INT8)) {
            f32.upsert(DOCS);
            int8.upsert(DOCS);
            double recallFloat = recallAt10(f32.dense(100));
            double recallInt8 = recallAt10(int8.dense(100));
            assertThat(recallFloat).isGreaterThanOrEqualTo(0.95);
            assertThat(recallInt8).isGreaterThanOrEqualTo(0.90);
            // exact search reads the raw floats that the quantized format keeps: identical to brute force
            assertThat(recallAt10(int8.exactDense())).isEqualTo(1.0);
        }
    }

    @Test
    void int8Hnsw_scoresAreCloseToTheTrueCosine() {
        try (RagIndex int8 = open(dir, VectorQuantization.INT8)) {
            int8.upsert(DOCS.subList(0, 500));
            float[] q = TABLE.get("q" + N);
            double largestError = 0;
            for (SearchHit h : int8.dense(100).retrieve("q" + N, 5)) {
                float[] v = TABLE.get(h.documentId());
                double dot = 0;
                for (int i = 0; i < DIM; i++) {
                    dot += (double) q[i] * v[i];
                }
                // 8-bit codes: the quantized similarity is within a few hundredths of the exact one
                assertThat(h.score()).isCloseTo(dot, org.assertj.core.api.Assertions.within(0.03));
                largestError = Math.max(largestError, Math.abs(h.score() - dot));
            }
            // ... but not equal to it: the graph really scores quantized codes (a float index is exact to 1e-6)
            assertThat(largestError).isGreaterThan(1e-4);
        }
    }

    @Test
    void quantization_isRecorded_andAMismatchIsRefusedOnOpen() {
        try (RagIndex int8 = open(dir, VectorQuantization.INT8)) {
            int8.upsert(DOCS.subList(0, 20));
        }
        try (RagIndex again = open(dir, VectorQuantization.INT8)) {
            assertThat(again.quantization()).isEqualTo(VectorQuantization.INT8);
            assertThat(again.chunkCount()).isEqualTo(20);
            assertThat(again.dense(100).retrieve("v7", 1).get(0).documentId()).isEqualTo("v7");
        }
        assertThatThrownBy(() -> open(dir, VectorQuantization.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("with quantization INT8, not NONE")
                .hasMessageContaining("leave quantization unset to open it");
        // the refused open left the index intact and unlocked
        try (RagIndex again = open(dir, VectorQuantization.INT8)) {
            assertThat(again.chunkCount()).isEqualTo(20);
        }
    }

    @Test
    void aFloatIndex_refusesInt8() {
        try (RagIndex f = open(dir, VectorQuantization.NONE)) {
            f.upsert(DOCS.subList(0, 5));
            assertThat(f.quantization()).isEqualTo(VectorQuantization.NONE);
        }
        assertThatThrownBy(() -> open(dir, VectorQuantization.INT8))
                .hasMessageContaining("with quantization NONE, not INT8");
        assertThatThrownBy(() -> RagIndex.builder().quantization(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
