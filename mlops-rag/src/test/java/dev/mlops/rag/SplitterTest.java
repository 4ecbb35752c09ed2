package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitterTest {

    @Test
    void recursive_matchesLangChainOnAHandTracedExample() {
        // traced by hand through LangChain's RecursiveCharacterTextSplitter(chunk_size=11, chunk_overlap=4):
        // splits "aaa"," bbb"," ccc"," ddd"," eee" merge to "aaa bbb ccc", "ccc ddd", "ddd eee"
        String text = "aaa bbb ccc ddd eee";
        List<TextSpan> chunks = RecursiveCharacterSplitter.builder().chunkSize(11).chunkOverlap(4).build().split(text);
        assertThat(chunks).containsExactly(new TextSpan("aaa bbb ccc", 0), new TextSpan("ccc ddd", 8),
                new TextSpan("ddd eee", 12));
    }

    @Test
    void recursive_prefersParagraphsThenLines() {
        String text = "para one is here.\n\npara two is here.\n\npara three";
        List<TextSpan> chunks = RecursiveCharacterSplitter.builder().chunkSize(40).chunkOverlap(0).build().split(text);
        assertThat(chunks).extracting(TextSpan::text)
                .containsExactly("para one is here.\n\npara two is here.", "para three");
    }

    @Test
    void overlap_isHonouredEvenWhenPiecesAreLongerThanIt() {
        // langchain#8142: with one long paragraph per piece LangChain carries no overlap at all
        String text = ("word ".repeat(30) + "\n\n").repeat(4);
        RecursiveCharacterSplitter splitter = RecursiveCharacterSplitter.builder().chunkSize(100).chunkOverlap(20).build();
        List<TextSpan> chunks = splitter.split(text);
        assertThat(chunks.size()).isGreaterThan(4);
        for (int i = 0; i < chunks.size(); i++) {
            TextSpan c = chunks.get(i);
            assertThat(c.text().length()).isLessThanOrEqualTo(100);
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
            if (i > 0) {
                int shared = chunks.get(i - 1).end() - c.start();
                assertThat(shared).as("overlap of chunk %d", i).isBetween(1, 20);
            }
        }
        // every non-blank character is covered
        boolean[] covered = new boolean[text.length()];
        chunks.forEach(c -> java.util.Arrays.fill(covered, c.start(), c.end(), true));
        for (int i = 0; i < text.length(); i++) {
            assertThat(covered[i] || Character.isWhitespace(text.charAt(i))).as("char %d", i).isTrue();
        }
    }

    @Test
    void wordLongerThanTheChunk_isCutMidWord_andBadSettingsFail() {
        List<TextSpan> chunks = RecursiveCharacterSplitter.builder().chunkSize(10).chunkOverlap(0).build().split("x".repeat(25));
        assertThat(chunks).extracting(TextSpan::text).containsExactly("x".repeat(10), "x".repeat(10), "x".repeat(5));
        assertThat(Splitter.none().split("  ")).isEmpty();
        assertThatThrownBy(() -> RecursiveCharacterSplitter.builder().chunkSize(10).chunkOverlap(10).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("chunkOverlap");
    }

    @Test
    void tokenSplitter_neverExceedsTheModelWindow_onTheSqliteDocs() throws Exception {
        WordPieceTokenizer tok;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            tok = WordPieceTokenizer.fromJson(in, 256);
        }
        TokenSplitter splitter = TokenSplitter.builder().tokenizer(tok).overlapTokens(32).build();
        assertThat(splitter.chunkTokens()).isEqualTo(254);
        String text = Files.readString(TestData.sqliteDocs().resolve("fts5.txt"));
        List<TextSpan> chunks = splitter.split(text);
        assertThat(chunks.size()).isGreaterThan(text.length() / 2000);
        for (int i = 0; i < chunks.size(); i++) {
            TextSpan c = chunks.get(i);
            int[] ids = tok.withMaxTokens(100_000).encode(c.text());
            assertThat(ids.length).as("chunk %d with specials", i).isLessThanOrEqualTo(256);
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text());
            if (i > 0) {
                assertThat(chunks.get(i - 1).end()).isGreaterThan(c.start()); // they overlap
            }
        }
        assertThatThrownBy(() -> TokenSplitter.builder().tokenizer(tok).chunkTokens(255).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("window");
    }
}
