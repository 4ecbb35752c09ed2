package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTML (jsoup) and PDF (PDFBox) loading, on real SQLite documentation files and on PDFs built here. */
class HtmlPdfLoaderTest {

    static final Path HTML = Path.of("../examples/data/sqlite_html").toAbsolutePath().normalize();
    static final Path TEXT = Path.of("../examples/data/sqlite_docs").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static String norm(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    /**
     * The oracle is the project's text version of the same page (examples/data/sqlite_docs), made by an
     * independent converter when the data was staged: every paragraph, heading and list item of it must
     * appear in our text, and the headings must be the same, in the same order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"wal", "isolation", "copyright"})
    void html_sqlitePage_matchesTheIndependentTextConversion(String page) throws Exception {
        DocumentLoader loader = DocumentLoader.builder().htmlExclude(".nosearch, .fancy_toc, .fancy_toc_mark").build();
        List<Document> docs = loader.loadFile(HTML.resolve(page + ".html"), HTML);
        assertThat(docs).hasSize(1);
        Document d = docs.get(0);
        String reference = Files.readString(TEXT.resolve(page + ".txt"));
        String title = reference.lines().findFirst().orElseThrow().substring("Title: ".length());
        assertThat(d.id()).isEqualTo(page + ".html");
        assertThat(d.metadata()).containsEntry("title", title).containsEntry("format", "html")
                .containsEntry("source", page + ".html").containsEntry("bytes", Files.size(HTML.resolve(page + ".html")));
        String ours = norm(d.text());
        int checked = 0;
        for (String para : reference.split("\\n\\s*\\n")) {
            String p = para.strip();
            if (p.isEmpty() || p.startsWith("Title:") || p.startsWith("Source:")) {
                continue;
            }
            List<String> parts = p.startsWith("#") || p.startsWith("- ") ? Arrays.asList(p.split("\\n")) : List.of(p);
            for (String part : parts) {
                assertThat(ours).as("paragraph of %s.txt", page).contains(norm(part));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
        assertThat(headings(d.text())).isEqualTo(headings(reference));
        assertThat(d.text()).doesNotContain("toggle_div").doesNotContain("Choose any three");
    }

    private static List<String> headings(String text) {
        return text.lines().filter(l -> l.startsWith("#")).map(l -> norm(l.replaceFirst("^#+", ""))).toList();
    }

    @Test
    void html_structureRules_handChecked() throws Exception {
        Path f = dir.resolve("page.html");
        Files.writeString(f, """
                <!DOCTYPE html><html><head><title> My  page </title><style>p {color: red}</style></head>
                <body><nav>Home | Docs</nav><h1>Top</h1><p>First   para
                with <b>bold</b>&nbsp;text.</p><script>var x = 1;</script>
                <ul><li>one</li><li>two</li></ul><h2>Code</h2><pre>a  b
                  c</pre><table><tr><td>k</td><td>v</td></tr></table><div hidden>secret</div>line<br>break</body></html>
                """);
        Document d = DocumentLoader.builder().htmlExclude("nav").build().loadFile(f, dir).get(0);
        assertThat(d.metadata()).containsEntry("title", "My page"); // jsoup normalises the title's whitespace
        assertThat(d.text()).isEqualTo("""
                # Top

                First para with bold text.

                - one
                - two

                ## Code

                a  b
                  c

                k | v

                line
                break""");
    }

    @Test
    void html_charsets() throws Exception {
        Path declared = dir.resolve("latin1.html");
        Files.write(declared, "<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\u00e9</p></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1));
        Document d = DocumentLoader.builder().build().loadFile(declared, dir).get(0);
        assertThat(d.text()).isEqualTo("caf\u00e9");
        assertThat(d.metadata()).containsEntry("title", "latin1.html"); // no <title>, no <h1>
        Path undeclared = dir.resolve("bad.html");
        Files.write(undeclared, "<p>caf\u00e9</p>".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> DocumentLoader.builder().build().loadFile(undeclared, dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bad.html")
                .hasMessageContaining("UTF-8").hasMessageContaining("offset 6").hasMessageContaining("0xE9");
        Path empty = dir.resolve("empty.html");
        Files.writeString(empty, "<html><head><title>t</title><script>x()</script></head><body> </body></html>");
        assertThat(DocumentLoader.builder().build().loadFile(empty, dir)).isEmpty();
        assertThatThrownBy(() -> DocumentLoader.builder().htmlExclude("div[")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("div[");
    }

    /** Writes a PDF with PDFBox: one page per entry, each entry's lines shown in Helvetica; "" = a blank page. */
    static byte[] pdf(String title, String... pages) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            for (String text : pages) {
                PDPage page = new PDPage();
                doc.addPage(page);
                if (text.isEmpty()) {
                    continue;
                }
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                    cs.setLeading(16);
                    cs.newLineAtOffset(72, 700);
                    for (String line : text.split("\n")) {
                        cs.showText(line);
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            if (title != null) {
                doc.getDocumentInformation().setTitle(title);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void pdf_onePerPageWithText_withPageMetadataAndOffsets() throws Exception {
        Files.createDirectories(dir.resolve("docs"));
        Path f = dir.resolve("docs/gen.pdf");
        Files.write(f, pdf("Generated Manual", "Page one text.", "", "Third page.\nSecond line."));
        List<Path> loaded = new ArrayList<>();
        List<Document> docs = DocumentLoader.builder().build().load(List.of(dir.resolve("docs")), new IngestProgress() {
            @Override
            public void fileLoaded(Path file, int documents, int filesDone, int filesTotal) {
                loaded.add(file);
                assertThat(documents).isEqualTo(2);
                assertThat(filesTotal).isEqualTo(1);
            }
        });
        assertThat(loaded).containsExactly(f);
        assertThat(docs).extracting(Document::id).containsExactly("gen.pdf#page=1", "gen.pdf#page=3");
        assertThat(docs).extracting(Document::text).containsExactly("Page one text.", "Third page.\nSecond line.");
        assertThat(docs.get(0).metadata()).containsAllEntriesOf(Map.of("source", "gen.pdf", "title", "Generated Manual",
                "format", "pdf", "page", 1L, "pages", 3L, "page_start", 0L));
        // page 3 starts after "Page one text." (14 chars) and the blank line joining pages (2)
        assertThat(docs.get(1).metadata()).containsEntry("page", 3L).containsEntry("page_start", 16L);
    }

    /**
     * A real PDF: the SQLite copyright release form (public domain, from Debian's sqlite3-doc). The
     * expected lines were read from its raw content stream (zlib-decompressed, the strings of its Tj
     * operators), not from PDFBox.
     */
    @Test
    void pdf_realFile_sqliteCopyrightRelease() throws Exception {
        Path f = Path.of("src/test/resources/pdf/sqlite-copyright-release.pdf");
        List<Document> docs = DocumentLoader.builder().build().loadFile(f, f.getParent());
        assertThat(docs).hasSize(1);
        Document d = docs.get(0);
        assertThat(d.id()).isEqualTo("sqlite-copyright-release.pdf#page=1");
        assertThat(d.metadata()).containsEntry("pages", 1L).containsEntry("title", "sqlite-copyright-release.pdf");
        assertThat(d.text()).startsWith("Copyright Release for\nContributions To SQLite\n")
                .contains("SQLite is software that implements an embeddable SQL database engine. SQLite is available for free download from\n"
                        + "http://www.sqlite.org/. The principal author and maintainer of SQLite has disclaimed all copyright interest in his")
                .contains("the SQLite software that I may cause to be published on that website in the future.");
    }

    @Test
    void pdf_badInput_getsPreciseErrorsOrIsSkipped() throws Exception {
        byte[] good = pdf("T", "Secret text.");
        // encrypted with a user password
        Path locked = dir.resolve("locked.pdf");
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(good)) {
            doc.protect(new StandardProtectionPolicy("owner", "user", new AccessPermission()));
            doc.save(locked.toFile());
        }
        assertThatThrownBy(() -> DocumentLoader.builder().build().loadFile(locked, dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("locked.pdf")
                .hasMessageContaining("encrypted").hasMessageContaining("password").hasMessageContaining("qpdf");
        // encrypted with an owner password only, forbidding extraction
        Path noCopy = dir.resolve("nocopy.pdf");
        try (PDDocument doc = org.apache.pdfbox.Loader.loadPDF(good)) {
            AccessPermission ap = new AccessPermission();
            ap.setCanExtractContent(false);
            doc.protect(new StandardProtectionPolicy("owner", "", ap));
            doc.save(noCopy.toFile());
        }
        assertThatThrownBy(() -> DocumentLoader.builder().build().loadFile(noCopy, dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("nocopy.pdf")
                .hasMessageContaining("forbid text extraction");
        // not a PDF at all
        Path garbage = dir.resolve("garbage.pdf");
        Files.writeString(garbage, "this is not a PDF, just text with a .pdf name\n");
        assertThatThrownBy(() -> DocumentLoader.builder().build().loadFile(garbage, dir))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("garbage.pdf")
                .hasMessageContaining("not a readable PDF");
        // empty file and a PDF with only blank pages: skipped, and reported as skipped
        Path empty = dir.resolve("empty.pdf");
        Files.write(empty, new byte[0]);
        Path blank = dir.resolve("blank.pdf");
        Files.write(blank, pdf(null, "", ""));
        List<String> skipped = new ArrayList<>();
        List<Document> docs = DocumentLoader.builder().build().load(List.of(blank, empty), new IngestProgress() {
            @Override
            public void fileSkipped(Path file, String reason, int filesDone, int filesTotal) {
                skipped.add(file.getFileName() + ": " + reason);
            }
        });
        assertThat(docs).isEmpty();
        assertThat(skipped).containsExactly("blank.pdf: no page has extractable text (empty, or a scan without a text layer)",
                "empty.pdf: no page has extractable text (empty, or a scan without a text layer)");
        assertThatThrownBy(() -> DocumentLoader.builder().build().load(blank, dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loadFile");
    }
}
