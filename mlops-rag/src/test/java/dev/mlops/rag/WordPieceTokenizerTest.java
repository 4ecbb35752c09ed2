package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NonRetriableException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token ids are checked against an independent oracle: DJL's binding of the Hugging Face
 * {@code tokenizers} Rust library (ai.djl.huggingface:tokenizers:0.38.0), reading the same
 * {@code tokenizer.json}.
 */
class WordPieceTokenizerTest {

    @TempDir
    Path tmp;

    static final List<String> TRICKY = List.of(
            "Hello, World!",
            "Café naïve résumé — Ärger über Öl",
            "zero\u200Bwidth soft\u00ADhyphen bidi\u202Emark BOM\uFEFFhere",
            "control\u0001char\u0007s and tabs\tand\nnewlines\r\n",
            "CJK 中文字符 and かな and 한국어",
            "emoji 😀👍🏽 and symbols $5 + 3 = 8 ^ ~ | ` < >",
            "[CLS] already [SEP] specials [MASK] inside [PAD] text [UNK]",
            "a" + "b".repeat(120) + " long word",
            "unaffable antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
            "İstanbul ß ﬁ ligature Ⅻ roman ①",
            "nbsp\u00A0ideographic\u3000space line\u2028sep",
            "",
            "   ",
            "SELECT * FROM t WHERE x >= 10 AND y <> 'a''b';",
            "p53-mediated apoptosis (IC50 = 3.2 µM) in HEK-293T cells; α-synuclein & β-amyloid");

    @Test
    void ids_matchHuggingFaceTokenizers_onTrickyAndRealText() throws Exception {
        for (EmbeddingModel model : new EmbeddingModel[] {EmbeddingModel.ALL_MINILM_L6_V2, EmbeddingModel.BGE_SMALL_EN_V15}) {
            Path json = copyTokenizerJson(model);
            WordPieceTokenizer ours;
            try (InputStream in = Files.newInputStream(json)) {
                ours = WordPieceTokenizer.fromJson(in, 100_000);
            }
            List<String> texts = new ArrayList<>(TRICKY);
            texts.addAll(scifactTexts(400));
            texts.addAll(sqliteLines(300));
            Map<String, String> noTruncation = Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");
            int checked = 0;
            try (HuggingFaceTokenizer oracle = HuggingFaceTokenizer.newInstance(json, noTruncation)) {
                for (String text : texts) {
                    long[] expected = oracle.encode(text).getIds();
                    int[] actual = ours.encode(text);
                    assertThat(toLong(actual)).as("%s ids of %s", model, text).containsExactly(expected);
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(700);
        }
    }

    @Test
    void truncation_keepsFirstPiecesAndSep_matchingOracleWithMaxLength() throws Exception {
        Path json = copyTokenizerJson(EmbeddingModel.ALL_MINILM_L6_V2);
        WordPieceTokenizer ours;
        try (InputStream in = Files.newInputStream(json)) {
            ours = WordPieceTokenizer.fromJson(in, 256);
        }
        Map<String, String> truncate256 = Map.of("addSpecialTokens", "true", "truncation", "true",
                "maxLength", "256", "padding", "false");
        try (HuggingFaceTokenizer oracle = HuggingFaceTokenizer.newInstance(json, truncate256)) {
            for (String text : scifactTexts(200)) {
                Encoding e = oracle.encode(text);
                assertThat(toLong(ours.encode(text))).as(text).containsExactly(e.getIds());
            }
        }
        String longText = "word ".repeat(1000);
        int[] ids = ours.encode(longText);
        assertThat(ids).hasSize(256);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[255]).isEqualTo(102);
        assertThat(ours.countTokens(longText)).isEqualTo(1000);
        assertThat(ours.withMaxTokens(10).encode(longText)).hasSize(10);
    }

    @Test
    void fromJson_rejectsNonWordPieceAndBadLimits() {
        byte[] bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{}}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(bpe), 10))
                .isInstanceOf(NonRetriableException.class).hasMessageContaining("'BPE'");
        byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(garbage), 10))
                .isInstanceOf(NonRetriableException.class).hasMessageContaining("tokenizer.json");
        assertThatThrownBy(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(bpe), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
    }

    private Path copyTokenizerJson(EmbeddingModel model) throws Exception {
        Path file = tmp.resolve(model.resource() + "-tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(model.resource() + "-tokenizer.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    static List<String> scifactTexts(int n) throws Exception {
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(TestData.scifact().resolve("corpus.jsonl"))) {
            String line;
            while ((line = r.readLine()) != null && out.size() < n) {
                var node = json.readTree(line);
                out.add((node.get("title").asText() + " " + node.get("text").asText()).strip());
            }
        }
        try (BufferedReader r = Files.newBufferedReader(TestData.scifact().resolve("queries.jsonl"))) {
            String line;
            int q = 0;
            while ((line = r.readLine()) != null && q++ < n / 2) {
                out.add(json.readTree(line).get("text").asText());
            }
        }
        return out;
    }

    static List<String> sqliteLines(int n) throws Exception {
        try (Stream<Path> files = Files.list(TestData.sqliteDocs())) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank() && out.size() < n && line.hashCode() % 7 == 0) {
                        out.add(line);
                    }
                }
            }
            return out;
        }
    }

    private static long[] toLong(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
