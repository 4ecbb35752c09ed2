package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A feature computed at request time by a Java function of other features and of request data, applied
 * by the same code on the offline path (per joined entity row, request fields read from the entity
 * rows' columns) and on the online path (request fields passed with the read), so training and serving
 * cannot disagree. Referenced as {@code "name:feature"}; its output column is {@code name__feature}.
 *
 * <pre>{@code
 * OnDemandFeature feelsHot = OnDemandFeature.builder("derived", "feels_hot", ColumnType.BOOLEAN)
 *         .input("weather:atemp")
 *         .requestField("threshold")
 *         .function(in -> in.get("weather:atemp") == null ? null
 *                 : (Double) in.get("weather:atemp") > ((Number) in.get("threshold")).doubleValue())
 *         .build();
 * }</pre>
 */
public final class OnDemandFeature {

    /** The computation: receives every input by reference ({@code "view:feature"}) or request field name, nulls included. */
    @FunctionalInterface
    public interface Function {
        /** Returns the value (boxed as the output type: Double, Long, Boolean, String, Instant) or {@code null}. */
        Object apply(Map<String, Object> inputs);
    }

    private final String name;
    private final String feature;
    private final ColumnType type;
    private final List<FeatureRef> inputs;
    private final List<String> requestFields;
    private final Function function;

    private OnDemandFeature(Builder b) {
        this.name = b.name;
        this.feature = b.feature;
        this.type = b.type;
        this.inputs = List.copyOf(b.inputs);
        this.requestFields = List.copyOf(b.requestFields);
        this.function = b.function;
    }

    public static Builder builder(String name, String feature, ColumnType type) {
        return new Builder(name, feature, type);
    }

    public String name() {
        return name;
    }

    public String feature() {
        return feature;
    }

    public ColumnType type() {
        return type;
    }

    public FeatureRef ref() {
        return new FeatureRef(name, feature);
    }

    public List<FeatureRef> inputs() {
        return inputs;
    }

    public List<String> requestFields() {
        return requestFields;
    }

    public Function function() {
        return function;
    }

    /** Runs the function and checks that its result has the declared type. */
    Object compute(Map<String, Object> in) {
        Object v = function.apply(in);
        if (v == null) {
            return null;
        }
        boolean ok = switch (type) {
            case DOUBLE -> v instanceof Double;
            case LONG -> v instanceof Long;
            case BOOLEAN -> v instanceof Boolean;
            case STRING -> v instanceof String;
            case TIMESTAMP -> v instanceof java.time.Instant;
        };
        if (!ok) {
            throw new IllegalStateException("on-demand feature '" + ref() + "' is declared " + type + " but its function returned "
                    + v.getClass().getSimpleName() + " (" + v + "); return the boxed type of " + type + " or null");
        }
        return v;
    }

    /** Collects an on-demand feature's settings. */
    public static final class Builder {
        private final String name;
        private final String feature;
        private final ColumnType type;
        private final List<FeatureRef> inputs = new ArrayList<>();
        private final List<String> requestFields = new ArrayList<>();
        private Function function;

        private Builder(String name, String feature, ColumnType type) {
            this.name = Names.check("on-demand feature name", name);
            this.feature = Names.check("feature name", feature);
            this.type = Objects.requireNonNull(type, "type");
        }

        /** An input feature, {@code "view:feature"}. */
        public Builder input(String ref) {
            inputs.add(FeatureRef.parse(ref));
            return this;
        }

        /** A request field: a column of the entity rows offline, a value passed with the read online. */
        public Builder requestField(String field) {
            requestFields.add(Names.check("request field", field));
            return this;
        }

        public Builder function(Function function) {
            this.function = Objects.requireNonNull(function, "function");
            return this;
        }

        public OnDemandFeature build() {
            if (function == null) {
                throw new IllegalStateException("on-demand feature '" + name + ":" + feature + "' needs a function");
            }
            return new OnDemandFeature(this);
        }
    }
}
