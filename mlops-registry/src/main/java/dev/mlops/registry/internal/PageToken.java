package dev.mlops.registry.internal;

import dev.mlops.core.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Page tokens: the offset of the next page plus a short hash of the query it belongs to. */
final class PageToken {

    private PageToken() {
    }

    static String encode(int offset, String queryKey) {
        String raw = "v1:" + offset + ":" + hash(queryKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The offset, or an {@link IllegalArgumentException} if the token is malformed or from another query. */
    static int decode(String token, String queryKey) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("page token '" + token + "' is malformed. Fix: pass the token from"
                    + " RunPage.nextPageToken() unchanged", e);
        }
        String[] parts = raw.split(":");
        if (parts.length != 3 || !parts[0].equals("v1")) {
            throw new IllegalArgumentException("page token '" + token + "' is malformed. Fix: pass the token from"
                    + " RunPage.nextPageToken() unchanged");
        }
        if (!parts[2].equals(hash(queryKey))) {
            throw new IllegalArgumentException("page token '" + token + "' belongs to another query (filter, order or"
                    + " experiments differ). Fix: repeat the same query with the token, or drop the token");
        }
        try {
            int offset = Integer.parseInt(parts[1]);
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page token '" + token + "' is malformed", e);
        }
    }

    private static String hash(String queryKey) {
        return Fingerprint.of(queryKey).hex().substring(0, 16);
    }
}
