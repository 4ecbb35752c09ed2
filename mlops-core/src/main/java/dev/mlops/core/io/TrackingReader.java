package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.HexFormat;

/**
 * Decodes bytes strictly (a malformed or unmappable byte is an error, never a replacement character),
 * counts physical lines (CR, LF and CR LF end a line, as in Commons CSV) and refuses a line longer than a
 * limit as soon as the limit is passed, so a huge or binary file costs at most one limit's worth of memory.
 * A leading byte-order mark is dropped.
 *
 * <p>Errors are {@link DataFormatException}s naming the source, the line and, for bad bytes, the byte
 * offset. They are unchecked so they pass through the CSV parser untouched, and they are raised only once
 * every character before the fault has been handed out, so problems are reported in file order. Closing
 * this reader leaves the stream open: whoever opened it closes it.
 */
final class TrackingReader extends Reader {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder;
    private final String source;
    private final int maxLineLength;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
    private final CharBuffer chars = CharBuffer.allocate(BUFFER).flip();
    private long bufferStart; // stream offset of bytes.array()[0]
    private long line = 1;
    private long lineLength;
    private boolean lastWasCr;
    private boolean started;
    private boolean eof;
    private boolean done;
    private DataFormatException pending;

    TrackingReader(InputStream in, Charset charset, String source, int maxLineLength) {
        this.in = in;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.source = source;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!chars.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    /** Decodes the next chunk into {@link #chars}; false at the end of the input. */
    private boolean fill() throws IOException {
        if (pending != null) {
            throw pending;
        }
        chars.clear();
        CoderResult bad = null;
        while (chars.position() == 0 && bad == null && !done) {
            if (!eof) {
                bufferStart += bytes.position();
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    eof = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            CoderResult r = decoder.decode(bytes, chars, eof);
            if (r.isError()) {
                bad = r;
            } else if (eof && r.isUnderflow() && decoder.flush(chars).isUnderflow()) {
                done = true;
            }
        }
        chars.flip();
        if (!started && chars.hasRemaining()) {
            started = true;
            if (chars.get(0) == '\uFEFF') {
                chars.get();
            }
        }
        scanLines();
        if (pending == null && bad != null) {
            pending = badBytes(bad);
        }
        if (!chars.hasRemaining()) {
            if (pending != null) {
                throw pending;
            }
            return !done && fill(); // the chunk was only the byte-order mark
        }
        return true;
    }

    /**
     * Counts lines in the decoded chunk; cuts it where a line passes the limit and records the error. Line
     * lengths are measured between breaks, so the common character costs one comparison.
     */
    private void scanLines() {
        char[] a = chars.array();
        int start = chars.position();
        int end = chars.limit();
        int lineStart = start;
        for (int i = start; i < end; i++) {
            char c = a[i];
            if (c > '\r' || (c != '\n' && c != '\r')) {
                continue;
            }
            if (lineLength + (i - lineStart) > maxLineLength) {
                break;
            }
            boolean afterCr = i > start ? a[i - 1] == '\r' : lastWasCr;
            if (c == '\r' || !afterCr) { // the LF of a CR LF ends no second line
                line++;
            }
            lineLength = 0;
            lineStart = i + 1;
        }
        if (lineLength + (end - lineStart) > maxLineLength) {
            chars.limit(lineStart + (int) (maxLineLength - lineLength));
            pending = DataFormatException.builder("line is longer than the limit of "
                            + String.format("%,d", maxLineLength) + " characters")
                    .source(source).line(line)
                    .fix("check that the file is CSV text with line breaks (not a binary or compressed file); "
                            + "if lines really are this long, raise CsvReader.Builder.maxLineLength")
                    .build();
            return;
        }
        lineLength += end - lineStart;
        if (end > start) {
            lastWasCr = a[end - 1] == '\r';
        }
    }

    private DataFormatException badBytes(CoderResult r) {
        int at = bytes.position();
        int n = Math.min(r.length(), bytes.remaining());
        String hex = HexFormat.ofDelimiter(" ").withPrefix("0x").withUpperCase()
                .formatHex(bytes.array(), at, at + n);
        return DataFormatException.builder("the byte " + hex + " at byte offset " + (bufferStart + at)
                        + " is not valid " + decoder.charset().name())
                .source(source).line(line)
                .fix("save the file as " + decoder.charset().name()
                        + " (e.g. iconv -f latin1 -t utf-8), or set CsvReader.Builder.charset to its encoding")
                .build();
    }

    /** Does nothing: whoever opened the stream closes it. */
    @Override
    public void close() {
    }
}
