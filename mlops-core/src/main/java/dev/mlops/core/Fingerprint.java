package dev.mlops.core;

import dev.mlops.core.internal.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The SHA-256 digest of some content: a file, a byte array, a string, or a structured value fed through a
 * {@link Hasher}. Two fingerprints are equal exactly when their digests are. Immutable and thread-safe.
 *
 * <p>Fingerprints depend on content only: a file's name and modification time do not enter, and the
 * {@link Hasher} encoding is fixed (big-endian, UTF-8), so the same content gives the same fingerprint on any
 * machine, JVM or release.
 *
 * <p>The text form, {@code sha256:<64 lower-case hex digits>}, is what {@link #toString()} prints and
 * {@link #parse(String)} reads.
 */
public final class Fingerprint {

    /** Prefix of the text form. */
    public static final String PREFIX = "sha256:";

    private static final int DIGEST_BYTES = 32;
    private static final int SHORT_HEX = 12;
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_LISTED_SIBLINGS = 1000;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] digest;
    private final String hex;

    private Fingerprint(byte[] digest) {
        this.digest = digest;
        this.hex = HEX.formatHex(digest);
    }

    /** The fingerprint of {@code bytes}. */
    public static Fingerprint of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new Fingerprint(sha256().digest(bytes));
    }

    /** The fingerprint of {@code text} encoded as UTF-8 (no length prefix or type tag). */
    public static Fingerprint of(String text) {
        Objects.requireNonNull(text, "text");
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The fingerprint of a regular file's bytes, read in a streaming fashion so the file may be larger
     * than memory.
     *
     * @throws NotFoundException            if the file does not exist (the message lists files beside it)
     * @throws IllegalArgumentException     if {@code file} is a directory
     * @throws NonRetriableException        if the process may not read the file
     * @throws ResourceUnavailableException if reading fails for another I/O reason
     */
    public static Fingerprint of(Path file) {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot fingerprint '" + file + "': it is a directory. "
                    + "Fix: fingerprint each file and join them with Fingerprint.combine(...)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        } catch (NoSuchFileException e) {
            throw fileNotFound(file, e);
        } catch (AccessDeniedException e) {
            throw new NonRetriableException("cannot fingerprint '" + file + "': permission denied. "
                    + "Fix: give this process read access to the file", e);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "reading it failed (" + e + ")", e);
        }
    }

    /**
     * The fingerprint of everything left in {@code in}. Reads to the end of the stream and does not close it.
     *
     * @throws ResourceUnavailableException if reading fails
     */
    public static Fingerprint of(InputStream in) {
        Objects.requireNonNull(in, "in");
        try {
            return digest(in);
        } catch (IOException e) {
            throw new ResourceUnavailableException(DataFormatException.STREAM, "reading it failed (" + e + ")", e);
        }
    }

    // Fingerprint.of(Table) goes here. It is added together with dev.mlops.core.table and feeds the schema
    // and every cell through hasher(), so a table's fingerprint follows the Hasher encoding below.

    /**
     * Fingerprints the fingerprints in order: {@code combine(a, b)} equals
     * {@code hasher().putFingerprint(a).putFingerprint(b).finish()}, and differs from {@code combine(b, a)}.
     */
    public static Fingerprint combine(Fingerprint... fingerprints) {
        Objects.requireNonNull(fingerprints, "fingerprints");
        Hasher hasher = hasher();
        for (int i = 0; i < fingerprints.length; i++) {
            if (fingerprints[i] == null) {
                throw new NullPointerException("fingerprints[" + i + "] is null; combine needs every part");
            }
            hasher.putFingerprint(fingerprints[i]);
        }
        return hasher.finish();
    }

    /**
     * Reads the text form: {@code sha256:} followed by 64 hex digits, or the 64 hex digits alone. Hex digits
     * and the prefix may be in either case.
     *
     * @throws IllegalArgumentException naming the problem and its position if {@code text} is neither
     */
    public static Fingerprint parse(String text) {
        Objects.requireNonNull(text, "text");
        String hex = text;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            String algorithm = text.substring(0, colon);
            if (!algorithm.equalsIgnoreCase("sha256")) {
                throw parseError(text, "unsupported algorithm '" + algorithm + "', only sha256 is supported");
            }
            hex = text.substring(colon + 1);
        }
        if (hex.length() != 2 * DIGEST_BYTES) {
            throw parseError(text, "expected 64 hex digits, found " + hex.length() + " characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw parseError(text, "'" + hex.charAt(i) + "' at index " + (i + text.length() - hex.length())
                        + " is not a hex digit");
            }
        }
        return new Fingerprint(HEX.parseHex(hex.toLowerCase(Locale.ROOT)));
    }

    /** Starts an incremental fingerprint of typed values; see {@link Hasher} for the encoding. */
    public static Hasher hasher() {
        return new Hasher();
    }

    /** The digest as 64 lower-case hex digits. */
    public String hex() {
        return hex;
    }

    /** The first 12 hex digits, for logs and display; not for identity. */
    public String shortHex() {
        return hex.substring(0, SHORT_HEX);
    }

    /** The 32 digest bytes (a copy). */
    public byte[] bytes() {
        return digest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint other && Arrays.equals(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    /** {@code sha256:<64 hex digits>}, the form {@link #parse(String)} reads. */
    @Override
    public String toString() {
        return PREFIX + hex;
    }

    private static Fingerprint digest(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) != -1; ) {
            md.update(buffer, 0, n);
        }
        return new Fingerprint(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 MessageDigest, which every Java platform "
                    + "must provide. Fix: check the JVM's security providers (java.security)", e);
        }
    }

    private static IllegalArgumentException parseError(String text, String problem) {
        return new IllegalArgumentException("cannot parse fingerprint " + Messages.quote(text) + ": " + problem
                + ". Fix: pass the text Fingerprint.toString() printed, 'sha256:' and 64 hex digits");
    }

    private static NotFoundException fileNotFound(Path file, NoSuchFileException e) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return new NotFoundException("file", file.toString(), List.of(), e);
        }
        try (Stream<Path> entries = Files.list(parent)) {
            List<String> siblings = entries.limit(MAX_LISTED_SIBLINGS)
                    .map(p -> file.resolveSibling(p.getFileName()).toString())
                    .sorted()
                    .toList();
            return new NotFoundException("file", file.toString(), siblings, e);
        } catch (IOException | UncheckedIOException listing) {
            NotFoundException notFound = new NotFoundException("file", file.toString(), List.of(), e);
            notFound.addSuppressed(listing);
            return notFound;
        }
    }

    /**
     * Builds a fingerprint from a sequence of typed values. Each put writes a one-byte type tag and then the
     * value in a fixed, machine-independent encoding, so values of different types or split differently
     * never produce the same byte stream: {@code putString("ab").putString("c")} differs from
     * {@code putString("a").putString("bc")}, and {@code putInt(1)} differs from {@code putLong(1)}.
     *
     * <table>
     * <caption>Encoding (all integers big-endian, two's complement)</caption>
     * <tr><th>put</th><th>tag</th><th>then</th></tr>
     * <tr><td>{@link #putNull()}</td><td>0x00</td><td>nothing</td></tr>
     * <tr><td>{@link #putBoolean}</td><td>0x01</td><td>1 byte: 0x01 true, 0x00 false</td></tr>
     * <tr><td>{@link #putInt}</td><td>0x02</td><td>4 bytes</td></tr>
     * <tr><td>{@link #putLong}</td><td>0x03</td><td>8 bytes</td></tr>
     * <tr><td>{@link #putDouble}</td><td>0x04</td><td>8 bytes of {@link Double#doubleToLongBits}</td></tr>
     * <tr><td>{@link #putString}</td><td>0x05</td><td>4-byte length of the UTF-8 bytes, then those bytes</td></tr>
     * <tr><td>{@link #putBytes}</td><td>0x06</td><td>4-byte length, then the bytes</td></tr>
     * <tr><td>{@link #putFingerprint}</td><td>0x07</td><td>the 32 digest bytes</td></tr>
     * <tr><td>{@link #putInstant}</td><td>0x08</td><td>8-byte epoch second, 4-byte nano of second</td></tr>
     * </table>
     *
     * <p>Doubles go through {@link Double#doubleToLongBits}, so every NaN hashes alike, while {@code -0.0}
     * and {@code 0.0} hash differently. Strings are encoded with {@link StandardCharsets#UTF_8}, which turns an
     * unpaired surrogate into {@code '?'}. The {@code put} methods that take an object write the null marker
     * for {@code null}, exactly as {@link #putNull()} does.
     *
     * <p>Not thread-safe. After {@link #finish()} the hasher is spent and every further call throws
     * {@link IllegalStateException}.
     */
    public static final class Hasher {

        private static final byte NULL = 0x00;
        private static final byte BOOLEAN = 0x01;
        private static final byte INT = 0x02;
        private static final byte LONG = 0x03;
        private static final byte DOUBLE = 0x04;
        private static final byte STRING = 0x05;
        private static final byte BYTES = 0x06;
        private static final byte FINGERPRINT = 0x07;
        private static final byte INSTANT = 0x08;

        private final MessageDigest md = sha256();
        /** Bytes not yet fed to the digest; drained when full, so each put costs no digest call. */
        private final ByteBuffer scratch = ByteBuffer.allocate(8192);
        private boolean finished;

        private Hasher() {
        }

        /** Writes the null marker. */
        public Hasher putNull() {
            return start(NULL).flush();
        }

        public Hasher putBoolean(boolean value) {
            return start(BOOLEAN).put(value ? (byte) 1 : (byte) 0);
        }

        public Hasher putInt(int value) {
            start(INT).scratch.putInt(value);
            return flush();
        }

        public Hasher putLong(long value) {
            start(LONG).scratch.putLong(value);
            return flush();
        }

        /** Writes {@link Double#doubleToLongBits}{@code (value)}: all NaNs are one value; -0.0 is not 0.0. */
        public Hasher putDouble(double value) {
            start(DOUBLE).scratch.putLong(Double.doubleToLongBits(value));
            return flush();
        }

        /** Writes the UTF-8 length and bytes of {@code value}, or the null marker. */
        public Hasher putString(String value) {
            return value == null ? putNull() : putLengthPrefixed(STRING, value.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes the length and content of {@code value}, or the null marker. */
        public Hasher putBytes(byte[] value) {
            return value == null ? putNull() : putLengthPrefixed(BYTES, value);
        }

        /** Writes the 32 digest bytes of {@code value}, or the null marker. */
        public Hasher putFingerprint(Fingerprint value) {
            if (value == null) {
                return putNull();
            }
            start(FINGERPRINT).scratch.put(value.digest);
            return this;
        }

        /** Writes the epoch second and nano of second of {@code value}, or the null marker. */
        public Hasher putInstant(Instant value) {
            if (value == null) {
                return putNull();
            }
            start(INSTANT).scratch.putLong(value.getEpochSecond()).putInt(value.getNano());
            return flush();
        }

        /** Returns the fingerprint of everything put so far; the hasher cannot be used afterwards. */
        public Fingerprint finish() {
            checkOpen();
            drain();
            finished = true;
            return new Fingerprint(md.digest());
        }

        private Hasher putLengthPrefixed(byte tag, byte[] bytes) {
            start(tag).scratch.putInt(bytes.length);
            if (bytes.length <= scratch.remaining()) {
                scratch.put(bytes);
            } else {
                drain();
                md.update(bytes);
            }
            return this;
        }

        /** Makes room for a tag and the longest fixed-size value (a fingerprint: 1 + 32 bytes), then writes the tag. */
        private Hasher start(byte tag) {
            checkOpen();
            if (scratch.remaining() < 33) {
                drain();
            }
            scratch.put(tag);
            return this;
        }

        private void drain() {
            md.update(scratch.array(), 0, scratch.position());
            scratch.clear();
        }

        private Hasher put(byte b) {
            scratch.put(b);
            return flush();
        }

        /** Ends a put; the bytes stay buffered until {@link #drain()}. */
        private Hasher flush() {
            return this;
        }

        private void checkOpen() {
            if (finished) {
                throw new IllegalStateException("this Hasher has already finished; start a new one with "
                        + "Fingerprint.hasher()");
            }
        }
    }
}
