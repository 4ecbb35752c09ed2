package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.rag.spi.Embedder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Optional int8 quantization of the HNSW vectors. */
class QuantizationTest {

    static final int DIM = 48;

    @TempDir
    Path home;

    /** Text "v&lt;i&gt;" or "q&lt;i&gt;" becomes a seeded random unit vector. */
    static final class RandomVectors implements Embedder {
        static float[] vector(String text) {
            Random r = new Random(text.hashCode() * 31L + 7);
            float[] v = new float[DIM];
            double n = 0;
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) r.nextGaussian();
                n += v[i] * v[i];
            }
            for (int i = 0; i < DIM; i++) {
                v[i] /= (float) Math.sqrt(n);
            }
            return v;
        }

        @Override
        public String modelId() {
            return "test/random-48";
        }

        @Override
        public String modelHash() {
            return "sha256:" + "2".repeat(64);
        }

        @Override
        public int dimension() {
            return DIM;
        }

        @Override
        public boolean normalized() {
            return true;
        }

        @Override
        public int maxTokens() {
            return 512;
        }

        @Override
        public int countTokens(String text) {
            return 1;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            return texts.stream().map(RandomVectors::vector).toList();
        }
    }

    /** The per-field vector format Lucene recorded for the field {@code vec}, read with Lucene directly. */
    static Set<String> vectorFormats(Path dir) throws Exception {
        Set<String> formats = new HashSet<>();
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir))) {
            for (LeafReaderContext c : r.leaves()) {
                formats.add(c.reader().getFieldInfos().fieldInfo("vec").getAttribute("PerFieldKnnVectorsFormat.format"));
            }
        }
        return formats;
    }

    @Test
    void int8_isRecorded_usedByLucene_andKeepsRecallAgainstABruteForceReference() throws Exception {
        int n = 2000;
        List<Document> docs = IntStream.range(0, n).mapToObj(i -> new Document("v" + i, "v" + i)).toList();
        try (RagIndex index = RagIndex.builder().home(home).embedder(new RandomVectors()).splitter(Splitter.none())
                .quantization(VectorQuantization.INT8).build()) {
            index.upsert(docs);
            assertThat(index.quantization()).isEqualTo(VectorQuantization.INT8);
            float[][] vectors = new float[n][];
            for (int i = 0; i < n; i++) {
                vectors[i] = RandomVectors.vector("v" + i);
            }
            double recall = 0;
            int queries = 40;
            for (int q = 0; q < queries; q++) {
                float[] qv = RandomVectors.vector("q" + q);
                // brute force over the float vectors, computed here
                List<String> truth = IntStream.range(0, n).boxed()
                        .sorted(Comparator.comparingDouble((Integer i) -> -ReembedTest.dot(qv, vectors[i])))
                        .limit(10).map(i -> "v" + i).toList();
                List<String> got = index.dense(100).retrieve("q" + q, 10).stream().map(SearchHit::documentId).toList();
                recall += got.stream().filter(truth::contains).count() / 10.0;
                // exact search reads the raw float vectors, which the quantized format keeps
                assertThat(index.exactDense().retrieve("q" + q, 10).stream().map(SearchHit::documentId).toList())
                        .isEqualTo(truth);
            }
            assertThat(recall / queries).isGreaterThanOrEqualTo(0.9);
        }
        // (Lucene registers this format under the name "Lucene104HnswBinaryQuantizedVectorsFormat")
        String int8Format = org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat.NAME;
        assertThat(vectorFormats(home.resolve("gen-1"))).containsExactly(int8Format);
        // reopening keeps it; asking for another setting is refused
        try (RagIndex again = RagIndex.builder().home(home).embedder(new RandomVectors()).splitter(Splitter.none()).build()) {
            assertThat(again.quantization()).isEqualTo(VectorQuantization.INT8);
            again.upsert(List.of(new Document("v-extra", "v-extra")));
        }
        assertThat(vectorFormats(home.resolve("gen-1"))).containsExactly(
                org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat.NAME);
        assertThatThrownBy(() -> RagIndex.builder().home(home).embedder(new RandomVectors())
                .quantization(VectorQuantization.NONE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INT8").hasMessageContaining("NONE");
    }

    @Test
    void default_isFloatVectors() throws Exception {
        try (RagIndex index = RagIndex.builder().home(home).embedder(new RandomVectors()).splitter(Splitter.none()).build()) {
            index.upsert(List.of(new Document("v1", "v1"), new Document("v2", "v2")));
            assertThat(index.quantization()).isEqualTo(VectorQuantization.NONE);
        }
        assertThat(vectorFormats(home.resolve("gen-1"))).containsExactly("Lucene99HnswVectorsFormat");
    }
}
