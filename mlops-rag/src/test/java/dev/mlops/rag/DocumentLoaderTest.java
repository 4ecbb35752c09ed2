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
    void loadsTheSqliteDocs() {
        List<Document> docs = DocumentLoader.builder().build().load(List.of(TestData.sqliteDocs()));
        assertThat(docs).hasSize(75);
        assertThat(docs).anySatisfy(d -> assertThat(d.metadata()).containsEntry("title", "Write-Ahead Logging"));
    }
}
