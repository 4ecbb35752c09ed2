package dev.mlops.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The feature definitions of a project, as code: entities, feature views, feature services and on-demand
 * features. {@link FeatureStore#plan} compares them with what is applied; {@link FeatureStore#apply}
 * persists them. {@link #builder()} checks that every reference resolves (a view's entity, a service's
 * features, an on-demand feature's inputs).
 */
public final class Definitions {

    private final Map<String, Entity> entities;
    private final Map<String, FeatureView> views;
    private final Map<String, FeatureService> services;
    private final Map<String, OnDemandFeature> onDemand;

    private Definitions(Map<String, Entity> e, Map<String, FeatureView> v, Map<String, FeatureService> s,
                        Map<String, OnDemandFeature> o) {
        this.entities = java.util.Collections.unmodifiableMap(e);
        this.views = java.util.Collections.unmodifiableMap(v);
        this.services = java.util.Collections.unmodifiableMap(s);
        this.onDemand = java.util.Collections.unmodifiableMap(o);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Entities by name. */
    public Map<String, Entity> entities() {
        return entities;
    }

    /** Feature views by name. */
    public Map<String, FeatureView> views() {
        return views;
    }

    /** Feature services by {@code name:version} key, e.g. {@code "rides:2"}. */
    public Map<String, FeatureService> services() {
        return services;
    }

    /** On-demand features by reference {@code name:feature}. */
    public Map<String, OnDemandFeature> onDemand() {
        return onDemand;
    }

    /** The service {@code name} at {@code version}, or {@code null}. */
    public FeatureService service(String name, int version) {
        return services.get(name + ":" + version);
    }

    /** The type of a feature reference, or {@code null} if it does not resolve. */
    dev.mlops.core.table.ColumnType typeOf(FeatureRef ref) {
        FeatureView v = views.get(ref.view());
        if (v != null) {
            var f = v.feature(ref.feature());
            if (f != null) {
                return f.type();
            }
            Aggregation a = v.aggregation(ref.feature());
            return a == null ? null : a.outputType(v.feature(a.feature()).type());
        }
        OnDemandFeature o = onDemand.get(ref.toString());
        return o == null ? null : o.type();
    }

    /** Collects definitions; {@link #build()} checks references. */
    public static final class Builder {
        private final Map<String, Entity> entities = new LinkedHashMap<>();
        private final Map<String, FeatureView> views = new LinkedHashMap<>();
        private final Map<String, FeatureService> services = new LinkedHashMap<>();
        private final Map<String, OnDemandFeature> onDemand = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder entity(Entity entity) {
            if (entities.putIfAbsent(entity.name(), entity) != null) {
                throw new IllegalArgumentException("entity '" + entity.name() + "' defined twice");
            }
            return this;
        }

        public Builder view(FeatureView view) {
            if (views.putIfAbsent(view.name(), view) != null) {
                throw new IllegalArgumentException("feature view '" + view.name() + "' defined twice");
            }
            return this;
        }

        public Builder service(FeatureService service) {
            if (services.putIfAbsent(service.name() + ":" + service.version(), service) != null) {
                throw new IllegalArgumentException("feature service '" + service.name() + "' version " + service.version() + " defined twice");
            }
            return this;
        }

        public Builder onDemand(OnDemandFeature feature) {
            if (onDemand.putIfAbsent(feature.ref().toString(), feature) != null) {
                throw new IllegalArgumentException("on-demand feature '" + feature.ref() + "' defined twice");
            }
            return this;
        }

        public Definitions build() {
            List<String> problems = new ArrayList<>();
            for (FeatureView v : views.values()) {
                Entity e = entities.get(v.entity().name());
                if (e == null) {
                    problems.add("view '" + v.name() + "' uses entity '" + v.entity().name() + "', which is not defined");
                } else if (!e.equals(v.entity())) {
                    problems.add("view '" + v.name() + "' uses entity " + v.entity() + " but the definitions hold " + e);
                }
                if (onDemand.keySet().stream().anyMatch(k -> k.startsWith(v.name() + ":"))) {
                    problems.add("on-demand feature and feature view share the name '" + v.name() + "'");
                }
            }
            Definitions d = new Definitions(new LinkedHashMap<>(entities), new LinkedHashMap<>(views),
                    new LinkedHashMap<>(services), new LinkedHashMap<>(onDemand));
            for (OnDemandFeature o : onDemand.values()) {
                for (FeatureRef in : o.inputs()) {
                    if (!views.containsKey(in.view()) || views.get(in.view()).feature(in.feature()) == null) {
                        problems.add("on-demand feature '" + o.ref() + "' reads '" + in + "', which no feature view defines");
                    }
                }
            }
            for (FeatureService s : services.values()) {
                for (String f : s.features()) {
                    if (d.typeOf(FeatureRef.parse(f)) == null) {
                        problems.add("feature service '" + s.name() + "' v" + s.version() + " selects '" + f + "', which is not defined");
                    }
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException("inconsistent feature definitions: " + String.join("; ", problems));
            }
            return d;
        }
    }
}
