package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A named group of features of one entity, read from one batch source: a typed schema, a TTL (how long
 * a value stays valid; {@link Duration#ZERO} means forever), whether it is served online, tags and an
 * owner. Immutable.
 *
 * <pre>{@code
 * FeatureView weather = FeatureView.builder("weather")
 *         .entity(station)
 *         .feature("temp", ColumnType.DOUBLE)
 *         .feature("hum", ColumnType.DOUBLE)
 *         .ttl(Duration.ofHours(2))
 *         .source(BatchSource.csv(Path.of("weather.csv")))
 *         .owner("data-team@example.com")
 *         .build();
 * }</pre>
 */
public final class FeatureView {

    private final String name;
    private final Entity entity;
    private final List<Field> features;
    private final Duration ttl;
    private final BatchSource source;
    private final boolean online;
    private final Map<String, String> tags;
    private final String owner;
    private final List<Aggregation> aggregations;

    private FeatureView(Builder b) {
        this.aggregations = List.copyOf(b.aggregations.values());
        this.name = b.name;
        this.entity = b.entity;
        this.features = List.copyOf(b.features.values());
        this.ttl = b.ttl;
        this.source = b.source;
        this.online = b.online;
        this.tags = java.util.Collections.unmodifiableMap(new TreeMap<>(b.tags));
        this.owner = b.owner;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public Entity entity() {
        return entity;
    }

    /** The feature columns, in declaration order; all nullable. */
    public List<Field> features() {
        return features;
    }

    /** The feature called {@code feature}, or {@code null}. */
    public Field feature(String feature) {
        for (Field f : features) {
            if (f.name().equals(feature)) {
                return f;
            }
        }
        return null;
    }

    /** The windowed aggregations, in declaration order. */
    public List<Aggregation> aggregations() {
        return aggregations;
    }

    /** The aggregation called {@code name}, or {@code null}. */
    public Aggregation aggregation(String name) {
        for (Aggregation a : aggregations) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    public Duration ttl() {
        return ttl;
    }

    public BatchSource source() {
        return source;
    }

    public boolean online() {
        return online;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** The owner, or {@code null}. */
    public String owner() {
        return owner;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureView v && v.name.equals(name) && v.entity.equals(entity) && v.features.equals(features)
                && v.ttl.equals(ttl) && v.source.equals(source) && v.online == online && v.tags.equals(tags)
                && Objects.equals(v.owner, owner) && v.aggregations.equals(aggregations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, entity, features, ttl, source, online, tags, owner, aggregations);
    }

    @Override
    public String toString() {
        return "FeatureView[" + name + ", entity " + entity.name() + ", " + features + ", ttl " + ttl + ", " + source + "]";
    }

    /** Collects a view's settings; {@link #build()} checks them. */
    public static final class Builder {
        private final String name;
        private Entity entity;
        private final LinkedHashMap<String, Field> features = new LinkedHashMap<>();
        private Duration ttl = Duration.ZERO;
        private BatchSource source;
        private boolean online = true;
        private final Map<String, String> tags = new TreeMap<>();
        private String owner;
        private final LinkedHashMap<String, Aggregation> aggregations = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Names.check("feature view name", name);
        }

        public Builder entity(Entity entity) {
            this.entity = Objects.requireNonNull(entity, "entity");
            return this;
        }

        /** Adds a feature column (nullable). */
        public Builder feature(String name, ColumnType type) {
            Names.check("feature name", name);
            Objects.requireNonNull(type, "type");
            if (features.putIfAbsent(name, Field.nullable(name, type)) != null) {
                throw new IllegalArgumentException("feature '" + name + "' declared twice in view '" + this.name + "'");
            }
            return this;
        }

        /** The TTL; {@link Duration#ZERO} (the default) means values never expire. Whole microseconds. */
        public Builder ttl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.getNano() % 1000 != 0) {
                throw new IllegalArgumentException("ttl of view '" + name + "' must be >= 0 whole microseconds, got " + ttl);
            }
            this.ttl = ttl;
            return this;
        }

        public Builder source(BatchSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /** Whether the view is materialized to and served from the online store (default {@code true}). */
        public Builder online(boolean online) {
            this.online = online;
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Adds a windowed aggregation of {@code feature}, referenced as {@code view:name}; see {@link Aggregation}. */
        public Builder aggregation(String name, String feature, Aggregation.Kind kind, Duration window) {
            Aggregation a = new Aggregation(name, feature, kind, window);
            if (aggregations.putIfAbsent(name, a) != null) {
                throw new IllegalArgumentException("aggregation '" + name + "' declared twice in view '" + this.name + "'");
            }
            return this;
        }

        public Builder owner(String owner) {
            this.owner = owner;
            return this;
        }

        public FeatureView build() {
            if (entity == null) {
                throw new IllegalStateException("feature view '" + name + "' needs an entity: call entity(...)");
            }
            if (source == null) {
                throw new IllegalStateException("feature view '" + name + "' needs a batch source: call source(...)");
            }
            if (features.isEmpty()) {
                throw new IllegalStateException("feature view '" + name + "' declares no feature: call feature(name, type)");
            }
            List<String> reserved = new ArrayList<>(List.of(entity.joinKey(), source.eventTimestampColumn()));
            if (source.createdTimestampColumn() != null) {
                reserved.add(source.createdTimestampColumn());
            }
            for (String r : reserved) {
                if (features.containsKey(r)) {
                    throw new IllegalStateException("feature '" + r + "' of view '" + name + "' clashes with its key or timestamp column");
                }
            }
            for (Aggregation a : aggregations.values()) {
                Field f = features.get(a.feature());
                if (f == null) {
                    throw new IllegalStateException("aggregation '" + a.name() + "' of view '" + name + "' reads feature '"
                            + a.feature() + "', which the view does not declare " + features.keySet());
                }
                if (features.containsKey(a.name())) {
                    throw new IllegalStateException("aggregation '" + a.name() + "' of view '" + name + "' has a feature's name");
                }
                boolean numeric = f.type() == ColumnType.DOUBLE || f.type() == ColumnType.LONG;
                if (!numeric && a.kind() != Aggregation.Kind.COUNT && a.kind() != Aggregation.Kind.LAST) {
                    throw new IllegalStateException("aggregation '" + a.name() + "' (" + a.kind() + ") of view '" + name
                            + "' needs a DOUBLE or LONG feature; '" + a.feature() + "' is " + f.type());
                }
            }
            return new FeatureView(this);
        }
    }
}
