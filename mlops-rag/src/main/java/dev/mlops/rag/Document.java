package dev.mlops.rag;

import dev.mlops.core.Fingerprint;
import java.util.Map;
import java.util.TreeMap;

/**
 * A source document: a stable id, its text and metadata ({@code String}, {@code Long}/{@code Integer}
 * or {@code Double} values; keys are letters, digits, {@code _}, {@code -} and {@code .}).
 * {@link #contentHash()} covers text and metadata and decides whether a re-ingest has work to do.
 */
public record Document(String id, String text, Map<String, Object> metadata) {

    public Document {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank, was '" + id + "'");
        }
        if (text == null) {
            throw new IllegalArgumentException("text of document '" + id + "' is null");
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.\\-]+")) {
                throw new IllegalArgumentException("document '" + id + "': metadata key '" + e.getKey()
                        + "' must match [A-Za-z0-9_.-]+");
            }
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Double)) {
                throw new IllegalArgumentException("document '" + id + "': metadata '" + e.getKey() + "' is a "
                        + v.getClass().getSimpleName() + "; use String, Long, Integer or Double");
            }
        }
    }

    /** A document without metadata. */
    public Document(String id, String text) {
        this(id, text, Map.of());
    }

    /** SHA-256 of the text and the metadata (sorted by key), {@code sha256:<hex>}. */
    public String contentHash() {
        StringBuilder sb = new StringBuilder(text.length() + 64).append(text).append('\u0000');
        new TreeMap<>(metadata).forEach((k, v) -> sb.append(k).append('=')
                .append(v.getClass().getSimpleName()).append(':').append(v).append('\u0000'));
        return Fingerprint.of(sb.toString()).toString();
    }
}
