package dev.mlops.core.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A shared secret that an SDK HTTP endpoint requires from its clients, compared in constant time.
 *
 * <p>The rules every SDK endpoint follows ({@code ModelEndpoint}, {@code Dashboard}):
 * <ul>
 *   <li>a token has at least 16 characters and is not blank ({@link #of});</li>
 *   <li>a presented token is compared by hashing both sides with SHA-256 and comparing the digests with
 *       {@link MessageDigest#isEqual}, so neither the content nor the length of the secret leaks through timing
 *       ({@link #matches});</li>
 *   <li>an endpoint is started either with a token or with an explicit "without authentication", never with both
 *       or neither, and without authentication only on a loopback address ({@link #checkExposure}); the endpoint
 *       then logs a loud warning.</li>
 * </ul>
 * Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class BearerToken {

    /** The fewest characters a token may have. */
    public static final int MIN_LENGTH = 16;

    private final String secret;
    private final byte[] hash;

    private BearerToken(String secret) {
        this.secret = secret;
        this.hash = sha256(secret);
    }

    /**
     * A token with this secret.
     *
     * @throws IllegalArgumentException if it is shorter than {@value #MIN_LENGTH} characters or blank
     */
    public static BearerToken of(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() < MIN_LENGTH || secret.isBlank()) {
            throw new IllegalArgumentException("bearerToken must have at least " + MIN_LENGTH
                    + " non-blank characters, but has " + secret.length() + ". Fix: use a random token, e.g. 32 hex"
                    + " characters");
        }
        return new BearerToken(secret);
    }

    /** A new token of 32 hex characters (128 bits) drawn from {@code random}, e.g. a {@code SecureRandom}. */
    public static BearerToken random(RandomGenerator random) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return new BearerToken(HexFormat.of().formatHex(bytes));
    }

    /** The secret, for printing a URL a browser can open; never log it. */
    public String secret() {
        return secret;
    }

    /** Whether {@code presented} is this token, compared in constant time; false for null. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), hash);
    }

    /**
     * The token of an {@code Authorization} header value {@code Bearer <token>} (scheme case-insensitive, token
     * trimmed), or null if the header is null or not a bearer header.
     */
    public static String fromAuthorizationHeader(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /**
     * Checks how an endpoint is about to be exposed.
     *
     * @param component        what is being started, for the messages, e.g. {@code "the model endpoint"}
     * @param bindAddress      the address it will bind
     * @param hasToken         whether a token was set
     * @param unauthenticated  whether "without authentication" was chosen
     * @param tokenHint        how to set a token on this component, e.g. {@code "bearerToken(secret)"}
     * @throws IllegalStateException if both or neither of a token and "without authentication" are set, or if an
     *                               unauthenticated endpoint would bind to a non-loopback address
     */
    public static void checkExposure(String component, InetAddress bindAddress, boolean hasToken,
                                     boolean unauthenticated, String tokenHint) {
        if (hasToken && unauthenticated) {
            throw new IllegalStateException("both " + tokenHint + " and withoutAuthentication() are set on "
                    + component + ". Fix: choose one");
        }
        if (!hasToken && !unauthenticated) {
            throw new IllegalStateException("no bearer token: " + component + " authenticates every request by "
                    + "default. Fix: call " + tokenHint + ", or withoutAuthentication() for a loopback-only "
                    + component.replaceFirst("^the ", ""));
        }
        if (unauthenticated && !bindAddress.isLoopbackAddress()) {
            throw new IllegalStateException(component + " without authentication may only bind to loopback, but "
                    + "bindAddress is " + bindAddress.getHostAddress() + ". Fix: set " + tokenHint + " or bind to "
                    + "127.0.0.1");
        }
    }

    @Override
    public String toString() {
        return "BearerToken[****]";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
