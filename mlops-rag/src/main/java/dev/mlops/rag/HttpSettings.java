package dev.mlops.rag;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;

/** Builder validation shared by the HTTP generators. */
final class HttpSettings {

    private HttpSettings() {}

    static URI url(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("baseUrl must not be blank");
        }
        URI u;
        try {
            u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URI: '" + url + "'", e);
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be http(s)://host[:port][/path], was '" + url + "'");
        }
        return u;
    }

    static String nonBlank(String name, String v) {
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, was '" + v + "'");
        }
        return v;
    }

    static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + d);
        }
        return d;
    }

    static Duration nonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + d);
        }
        return d;
    }

    static int attempts(int n) {
        if (n < 1 || n > 20) {
            throw new IllegalArgumentException("maxAttempts must be in [1, 20], was " + n);
        }
        return n;
    }

    static double temperature(double t) {
        if (!(t >= 0 && t <= 2)) {
            throw new IllegalArgumentException("temperature must be in [0, 2], was " + t);
        }
        return t;
    }

    static int maxTokens(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, was " + n);
        }
        return n;
    }

    /** A token count field: absent → 0; present but not a non-negative integer → error. */
    static long count(JsonNode parent, String field, String url) {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return 0;
        }
        if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw new GenerationException(url, -1, "'" + field + "' in the response from " + url
                    + " is not a non-negative integer: " + n);
        }
        return n.asLong();
    }
}
