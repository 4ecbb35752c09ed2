package dev.mlops.registry;

import dev.mlops.core.spi.TrackedRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Params, metric points and tags written together by {@link RegistryRun#logBatch(RunBatch)}: one transaction,
 * all or nothing, durable when the call returns. Keys are checked when they are added.
 *
 * <pre>{@code
 * run.logBatch(RunBatch.builder().param("lr", "0.1").metric("loss", 0.3, 7).tag("phase", "warmup").build());
 * }</pre>
 */
public final class RunBatch {

    /** One metric point of a batch, before it is stamped with the registry's clock. */
    public record Point(String key, double value, long step) {
        public Point {
            TrackedRun.checkKey(key);
            TrackedRun.checkStep(step);
        }
    }

    private final Map<String, String> params;
    private final List<Point> metrics;
    private final Map<String, String> tags;

    private RunBatch(Builder b) {
        this.params = Map.copyOf(b.params);
        this.metrics = List.copyOf(b.metrics);
        this.tags = Map.copyOf(b.tags);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The params, unmodifiable. */
    public Map<String, String> params() {
        return params;
    }

    /** The metric points in the order they were added, unmodifiable. */
    public List<Point> metrics() {
        return metrics;
    }

    /** The tags, unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    /** Whether the batch holds nothing. */
    public boolean isEmpty() {
        return params.isEmpty() && metrics.isEmpty() && tags.isEmpty();
    }

    /** Builds a {@link RunBatch}; not thread-safe. */
    public static final class Builder {
        private final Map<String, String> params = new LinkedHashMap<>();
        private final List<Point> metrics = new ArrayList<>();
        private final Map<String, String> tags = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a param.
         *
         * @throws IllegalArgumentException if the key is invalid, or the key was already added to this batch
         *                                  with another value
         */
        public Builder param(String key, String value) {
            TrackedRun.checkKey(key);
            Objects.requireNonNull(value, () -> "param '" + key + "' has a null value");
            String old = params.putIfAbsent(key, value);
            if (old != null && !old.equals(value)) {
                throw new IllegalArgumentException("param '" + key + "' added twice to one batch, with '" + old
                        + "' and '" + value + "'. Fix: params are immutable; add each key once");
            }
            return this;
        }

        /** Adds every entry as {@link #param}. */
        public Builder params(Map<String, String> entries) {
            entries.forEach(this::param);
            return this;
        }

        /** Appends a metric point. */
        public Builder metric(String key, double value, long step) {
            metrics.add(new Point(key, value, step));
            return this;
        }

        /** Sets a tag; a later value for the same key in this batch wins. */
        public Builder tag(String key, String value) {
            TrackedRun.checkKey(key);
            Objects.requireNonNull(value, () -> "tag '" + key + "' has a null value");
            tags.put(key, value);
            return this;
        }

        public RunBatch build() {
            return new RunBatch(this);
        }
    }
}
