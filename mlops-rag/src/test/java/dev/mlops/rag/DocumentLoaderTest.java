package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NonRetriableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentLoaderTest {

    @TempDir
    Path dir;

    @Test
    void loadsTextAndMarkdown_withTitleSourceAndFormat() throws Exception {
        Files.createDirectories(dir.resolve("docs/sub"));
        Files.writeString(dir.resolve("docs/a.txt"), "Title: The A page\nSource: x\n\nBody of a.");
        Files.writeString(dir.resolve("docs/sub/b.md"), "intro\n# B heading\ntext");
        Files.writeString(dir.resolve("docs/empty.txt"), "  \n");
        Files.writeString(dir.resolve("docs/.hidden.txt"), "hidden");
        Files.writeString(dir.resolve("docs/ignored.csv"), "a,b");
        List<Document> docs = DocumentLoader.builder().build().load(List.of(dir.resolve("docs")));
        assertThat(docs).extracting(Document::id).containsExactly("a.txt", "sub/b.md");
        assertThat(docs.get(0).metadata()).containsEntry("title", "The A page").containsEntry("format", "text")
                .containsEntry("source", "a.txt");
        assertThat(docs.get(1).metadata()).containsEntry("title", "B heading").containsEntry("format", "markdown");
    }

    @Test
    void badFiles_getPreciseErrors() throws Exception {
        Path binary = dir.resolve("bin.txt");
        Files.write(binary, new byte[] {'a', 'b', 0, 'c'});
        assertThatThrownBy(() -> DocumentLoader.builder().build().load(List.of(binary)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("binary").hasMessageContaining("bin.txt");
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DocumentLoader.builder().build().load(List.of(latin1)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("UTF-8").hasMessageContaining("offset 3");
        Path big = dir.resolve("big.txt");
        Files.writeString(big, "x".repeat(2000));
        assertThatThrownBy(() -> DocumentLoader.builder().maxBytes(1000).build().load(List.of(big)))
                .isInstanceOf(NonRetriableException.class).hasMessageContaining("2000 bytes");
        Path docx = dir.resolve("doc.docx");
        Files.writeString(docx, "PK");
        assertThatThrownBy(() -> DocumentLoader.builder().build().load(List.of(docx)))
                .isInstanceOf(NonRetriableException.class).hasMessageContaining(".docx").hasMessageContaining("supported")
                .hasMessageContaining(".pdf");
    }

    @Test
    void aFiftyMegabyteTextFile_loadsAndSplitsWithOffsets() throws Exception {
        String sentence = "The write-ahead log is checkpointed back into the database file. "; // 66 chars
        int repeats = 50 * 1_000_000 / sentence.length() + 1;
        Path big = dir.resolve("big.txt");
        Files.writeString(big, sentence.repeat(repeats));
        assertThat(Files.size(big)).isGreaterThan(50_000_000L);
        Document d = DocumentLoader.builder().build().load(List.of(big)).get(0);
        assertThat(d.text()).hasSize(sentence.length() * repeats);
        assertThat(d.metadata()).containsEntry("bytes", (long) sentence.length() * repeats);
        // whole sentences of 66 chars, 15 per 1,000-char chunk (15 * 66 - 1 = 989 <= 1000 < 16 * 66 - 1)
        List<TextSpan> chunks = SentenceSplitter.builder().maxChars(1000).build().split(d.text());
        assertThat(chunks).hasSize((repeats + 14) / 15);
        assertThat(chunks.get(1)).isEqualTo(new TextSpan(sentence.repeat(15).strip(), 15 * sentence.length()));
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(d.text().length() - 1); // the final space is no sentence
    }

    @Test
    void loadsTheSqliteDocs() {
        List<Document> docs = DocumentLoader.builder().build().load(List.of(TestData.sqliteDocs()));
        assertThat(docs).hasSize(75);
        assertThat(docs).anySatisfy(d -> assertThat(d.metadata()).containsEntry("title", "Write-Ahead Logging"));
    }
}
