package dev.mlops.rag;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plain-text ({@code .txt}) and Markdown ({@code .md}, {@code .markdown}) files as
 * {@link Document}s. The id is the path relative to the directory given (for a file given directly,
 * its file name); metadata:
 * {@code source} (that path), {@code title} (a first line {@code Title: X}, else the first Markdown
 * {@code # } heading, else the file name), {@code format} ({@code text} or {@code markdown}) and
 * {@code bytes}.
 *
 * <p>Handling of bad input: an empty or whitespace-only file is skipped (logged, not returned); a
 * file with a NUL byte is refused as binary; bytes that are not valid UTF-8 are refused with the
 * byte offset; a file larger than {@link Builder#maxBytes(long)} (default 64 MiB) is refused; other
 * extensions are refused with the supported list. Directories are walked recursively, files in
 * sorted order, hidden files skipped.
 */
public final class DocumentLoader {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentLoader.class);

    private final long maxBytes;

    private DocumentLoader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of a loader. */
    public static final class Builder {
        private long maxBytes = 64L << 20;

        private Builder() {}

        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        public DocumentLoader build() {
            return new DocumentLoader(maxBytes);
        }
    }

    /** Loads files and (recursively) directories; ids are relative to each given directory. */
    public List<Document> load(List<Path> paths) {
        List<Document> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path f : walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                            .filter(f -> supported(f)).sorted().toList()) {
                        load(f, p).ifPresent(out::add);
                    }
                } catch (IOException e) {
                    throw new ResourceUnavailableException(p.toString(), "listing failed: " + e, e);
                }
            } else {
                load(p, p.getParent() == null ? p : p.getParent()).ifPresent(out::add);
            }
        }
        return out;
    }

    private static boolean supported(Path f) {
        String ext = extension(f);
        return ext.equals("txt") || ext.equals("md") || ext.equals("markdown");
    }

    private static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Loads one file; empty when the file is empty or blank. */
    public Optional<Document> load(Path file, Path root) {
        if (!Files.isRegularFile(file)) {
            throw new dev.mlops.core.NotFoundException("file", file.toString(), List.of());
        }
        if (!supported(file)) {
            throw new NonRetriableException("no loader for '" + file + "' (extension '." + extension(file)
                    + "'); supported: .txt, .md, .markdown. Fix: convert it to text first");
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
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                throw DataFormatException.builder("binary file (NUL byte at offset " + i + ")").source(file)
                        .fix("load only text or Markdown files").build();
            }
        }
        String text;
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
        text = chars.flip().toString();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            LOG.warn("skipping empty file {}", file);
            return Optional.empty();
        }
        String ext = extension(file);
        String id = root.relativize(file).toString().replace('\\', '/');
        return Optional.of(new Document(id, text, Map.of("source", id, "title", title(text, file),
                "format", ext.equals("txt") ? "text" : "markdown", "bytes", (long) bytes.length)));
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
