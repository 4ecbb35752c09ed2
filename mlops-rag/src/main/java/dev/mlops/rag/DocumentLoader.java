package dev.mlops.rag;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.rag.internal.HtmlText;
import dev.mlops.rag.internal.PdfText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.select.Selector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plain text ({@code .txt}), Markdown ({@code .md}, {@code .markdown}), HTML ({@code .html},
 * {@code .htm}, parsed by jsoup) and PDF ({@code .pdf}, Apache PDFBox) files as {@link Document}s.
 *
 * <p><b>Ids and metadata.</b> A file's id is its path relative to the directory given (for a file
 * given directly, its file name). Every document has {@code source} (that path), {@code title},
 * {@code format} ({@code text}, {@code markdown}, {@code html} or {@code pdf}) and {@code bytes}
 * (the file's size). Chunks keep their character offset into the document's text
 * ({@link SearchHit#start()}).
 * <ul>
 *   <li>Text and Markdown: the title is a first line {@code Title: X}, else the first {@code # }
 *       heading, else the file name.</li>
 *   <li>HTML: the title is {@code <title>}, else the first {@code <h1>}, else the file name. The
 *       text: elements matching {@code script, style, noscript, template, svg, math, canvas, iframe,
 *       object, select, head, [hidden]} and {@link Builder#htmlExclude(String)} (site navigation,
 *       say) are dropped; headings become {@code #}…{@code ######} lines, list items {@code - }
 *       lines, table cells are joined by {@code " | "}; paragraphs and other blocks are separated by a
 *       blank line, {@code li}, {@code tr}, {@code div} and {@code br} by a line break;
 *       {@code <pre>} keeps its whitespace; other whitespace runs (and {@code &nbsp;}) become one
 *       space; trailing spaces and repeated blank lines are removed. The charset is the BOM's, else
 *       the page's {@code <meta charset>}, else UTF-8, which must then be valid.</li>
 *   <li>PDF: <b>one document per page with text</b>, id {@code <path>#page=<n>}; metadata
 *       {@code page} (1-based), {@code pages} (the page count) and {@code page_start} (the offset
 *       of this page's text in the whole PDF's text, pages joined by a blank line); the title is the
 *       PDF's Title, else the file name. Text comes from PDFBox's {@code PDFTextStripper} (lines
 *       joined by {@code \n}, each page stripped).</li>
 * </ul>
 *
 * <p><b>Bad input.</b> An empty or whitespace-only file, and a PDF none of whose pages has text
 * (a scan), is skipped: logged at WARN and reported to {@link IngestProgress#fileSkipped}. A
 * {@link DataFormatException} naming the file is thrown for a file with a NUL byte in its first
 * 8 KiB (binary; not checked for PDF), bytes that are not valid UTF-8 (with the byte offset and
 * value), an encrypted PDF that needs a password or forbids text extraction, and a file PDFBox
 * cannot parse. A file larger than {@link Builder#maxBytes(long)} (default 64 MiB) and another
 * extension are refused ({@link NonRetriableException}). Nothing is returned when a file fails.
 * Directories are walked recursively, files in sorted order, hidden files and unsupported
 * extensions skipped.
 */
public final class DocumentLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentLoader.class);
    private static final List<String> EXTENSIONS = List.of("txt", "md", "markdown", "html", "htm", "pdf");

    private final long maxBytes;
    private final String htmlExclude;

    private DocumentLoader(long maxBytes, String htmlExclude) {
        this.maxBytes = maxBytes;
        this.htmlExclude = htmlExclude;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a loader. */
    public static final class Builder {
        private long maxBytes = 64L << 20;
        private final List<String> htmlExclude = new ArrayList<>();

        private Builder() {}

        /** The largest file accepted, in bytes; default 64 MiB. */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * Also drops the HTML elements matching this jsoup CSS selector (navigation, tables of
         * contents, ...), e.g. {@code "nav, .nosearch, .fancy_toc"} for the SQLite documentation.
         * May be called several times.
         */
        public Builder htmlExclude(String cssSelector) {
            if (cssSelector == null || cssSelector.isBlank()) {
                throw new IllegalArgumentException("htmlExclude needs a CSS selector, was '" + cssSelector + "'");
            }
            try {
                org.jsoup.select.QueryParser.parse(cssSelector);
            } catch (Selector.SelectorParseException e) {
                throw new IllegalArgumentException("htmlExclude: '" + cssSelector + "' is not a valid CSS selector ("
                        + e.getMessage() + ")", e);
            }
            htmlExclude.add(cssSelector);
            return this;
        }

        public DocumentLoader build() {
            StringBuilder sel = new StringBuilder(HtmlText.ALWAYS_EXCLUDED);
            htmlExclude.forEach(s -> sel.append(", ").append(s));
            return new DocumentLoader(maxBytes, sel.toString());
        }
    }

    /** Loads files and (recursively) directories; ids are relative to each given directory. */
    public List<Document> load(List<Path> paths) {
        return load(paths, IngestProgress.NONE);
    }

    /** {@link #load(List)}, reporting each file to {@code progress}. */
    public List<Document> load(List<Path> paths, IngestProgress progress) {
        record Item(Path file, Path root) {}
        List<Item> items = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(DocumentLoader::supported).sorted().toList()) {
                        items.add(new Item(f, p));
                    }
                } catch (IOException e) {
                    throw new ResourceUnavailableException(p.toString(), "listing failed: " + e, e);
                }
            } else {
                items.add(new Item(p, p.getParent() == null ? p : p.getParent()));
            }
        }
        List<Document> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            List<Document> docs = loadFile(it.file(), it.root());
            if (docs.isEmpty()) {
                progress.fileSkipped(it.file(), skipReason(it.file()), i + 1, items.size());
            } else {
                progress.fileLoaded(it.file(), docs.size(), i + 1, items.size());
            }
            out.addAll(docs);
        }
        return out;
    }

    private static String skipReason(Path file) {
        return extension(file).equals("pdf") ? "no page has extractable text (empty, or a scan without a text layer)"
                : "empty or whitespace only";
    }

    private static boolean supported(Path f) {
        return EXTENSIONS.contains(extension(f));
    }

    private static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Loads one file of a single-document format (text, Markdown, HTML); empty when the file is
     * empty or blank. A PDF can give several documents: use {@link #loadFile}.
     */
    public Optional<Document> load(Path file, Path root) {
        if (extension(file).equals("pdf")) {
            throw new IllegalArgumentException("'" + file + "' is a PDF, which gives one document per page; use loadFile");
        }
        List<Document> docs = loadFile(file, root);
        return docs.isEmpty() ? Optional.empty() : Optional.of(docs.get(0));
    }

    /** Loads one file: one document (text, Markdown, HTML), one per page with text (PDF), or none (skipped). */
    public List<Document> loadFile(Path file, Path root) {
        if (!Files.isRegularFile(file)) {
            throw new dev.mlops.core.NotFoundException("file", file.toString(), List.of());
        }
        if (!supported(file)) {
            throw new NonRetriableException("no loader for '" + file + "' (extension '." + extension(file)
                    + "'); supported: ." + String.join(", .", EXTENSIONS) + ". Fix: convert it to one of these first");
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new NonRetriableException("file " + file + " has " + size + " bytes, more than the limit of "
                        + maxBytes + ". Fix: split it, or raise DocumentLoader.builder().maxBytes(...)");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "reading failed: " + e, e);
        }
        String ext = extension(file);
        String id = root.relativize(file).toString().replace('\\', '/');
        if (bytes.length == 0) {
            LOG.warn("skipping empty file {}", file);
            return List.of();
        }
        if (ext.equals("pdf")) {
            return pdf(file, id, bytes);
        }
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                throw DataFormatException.builder("binary file (NUL byte at offset " + i + ")").source(file)
                        .fix("load only text, Markdown, HTML or PDF files").build();
            }
        }
        if (ext.equals("html") || ext.equals("htm")) {
            return html(file, id, bytes);
        }
        String text = utf8(file, bytes);
        if (text.isBlank()) {
            LOG.warn("skipping empty file {}", file);
            return List.of();
        }
        return List.of(new Document(id, text, Map.of("source", id, "title", title(text, file),
                "format", ext.equals("txt") ? "text" : "markdown", "bytes", (long) bytes.length)));
    }

    private static String utf8(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = decoder.decode(in, chars, true);
        if (result.isError()) {
            throw DataFormatException.builder("not valid UTF-8 at byte offset " + in.position()).source(file)
                    .value(String.format(java.util.Locale.ROOT, "0x%02X", bytes[in.position()] & 0xFF))
                    .fix("convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)").build();
        }
        decoder.flush(chars);
        String text = chars.flip().toString();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return text;
    }

    private List<Document> html(Path file, String id, byte[] bytes) {
        org.jsoup.nodes.Document page;
        try {
            page = Jsoup.parse(new ByteArrayInputStream(bytes), null, "");
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "reading failed: " + e, e);
        }
        if (page.charset().equals(StandardCharsets.UTF_8)) {
            utf8(file, bytes); // no BOM or <meta> said otherwise: the bytes must be valid UTF-8
        }
        String title = page.title().strip();
        if (title.isEmpty()) {
            Element h1 = page.selectFirst("h1");
            title = h1 == null || h1.text().isBlank() ? file.getFileName().toString() : h1.text().strip();
        }
        page.select(htmlExclude).remove();
        String text = HtmlText.of(page.body());
        if (text.isBlank()) {
            LOG.warn("skipping HTML file {}: no text", file);
            return List.of();
        }
        return List.of(new Document(id, text, Map.of("source", id, "title", title, "format", "html",
                "bytes", (long) bytes.length)));
    }

    private static List<Document> pdf(Path file, String id, byte[] bytes) {
        PdfText.Result result;
        try {
            result = PdfText.read(bytes);
        } catch (PdfText.Unreadable e) {
            throw DataFormatException.builder(e.getMessage()).source(file).fix(e.fix()).cause(e.getCause()).build();
        }
        String title = result.title().isEmpty() ? file.getFileName().toString() : result.title();
        List<Document> docs = new ArrayList<>();
        long offset = 0;
        int count = result.pages().size();
        for (PdfText.Page p : result.pages()) {
            if (p.text().isEmpty()) {
                continue;
            }
            if (!docs.isEmpty()) {
                offset += 2; // the blank line joining pages
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("source", id);
            meta.put("title", title);
            meta.put("format", "pdf");
            meta.put("bytes", (long) bytes.length);
            meta.put("page", (long) p.number());
            meta.put("pages", (long) count);
            meta.put("page_start", offset);
            docs.add(new Document(id + "#page=" + p.number(), p.text(), meta));
            offset += p.text().length();
        }
        if (docs.isEmpty()) {
            LOG.warn("skipping PDF {}: none of its {} pages has extractable text", file, count);
        }
        return docs;
    }

    static String title(String text, Path file) {
        String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        if (first.startsWith("Title:")) {
            return first.substring(6).strip();
        }
        Optional<String> heading = text.lines().filter(l -> l.startsWith("# ")).findFirst();
        return heading.map(h -> h.substring(2).strip()).orElse(file.getFileName().toString());
    }
}
