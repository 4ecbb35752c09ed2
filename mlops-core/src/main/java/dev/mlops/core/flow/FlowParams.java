package dev.mlops.core.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Parameter values for one run, set by typed {@link Param} (checked by the compiler) or by name (checked
 * against the declared type when the run starts). Immutable; each {@code with} returns a new instance.
 */
public final class FlowParams {

    private static final FlowParams EMPTY = new FlowParams(Map.of());

    private final Map<String, Object> values;

    private FlowParams(Map<String, Object> values) {
        this.values = values;
    }

    /** No values: every parameter takes its default. */
    public static FlowParams of() {
        return EMPTY;
    }

    /** Values by name, e.g. parsed from a command line or carried by a trigger. */
    public static FlowParams of(Map<String, ?> byName) {
        FlowParams p = EMPTY;
        for (Map.Entry<String, ?> e : byName.entrySet()) {
            p = p.with(e.getKey(), e.getValue());
        }
        return p;
    }

    /** These values plus {@code param = value}. */
    public <T> FlowParams with(Param<T> param, T value) {
        Objects.requireNonNull(param, "param");
        return with(param.name, value);
    }

    /** These values plus {@code name = value}; the type is checked when a run starts. */
    public FlowParams with(String name, Object value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, () -> "value of parameter '" + name + "'");
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new FlowParams(Collections.unmodifiableMap(copy));
    }

    /** The values by name. */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * Resolves the values of {@code flow}'s parameters in declaration order, defaults filled in.
     *
     * @throws FlowDefinitionException for an unknown name, a missing required value, a value of the wrong
     *                                 type or one that breaks the parameter's rule
     */
    Object[] resolve(Flow<?> flow) {
        for (String name : values.keySet()) {
            if (flow.params.stream().noneMatch(p -> p.name.equals(name))) {
                throw new FlowDefinitionException("flow '" + flow.name + "' has no parameter '" + name
                        + "'; its parameters are " + flow.params.stream().map(Param::name).toList());
            }
        }
        Object[] resolved = new Object[flow.params.size()];
        for (Param<?> p : flow.params) {
            Object v = values.get(p.name);
            String source = "value";
            if (v == null) {
                v = p.defaultValue;
                source = "default";
                if (v == null) {
                    throw new FlowDefinitionException("flow '" + flow.name + "' needs a value for required "
                            + p + ". Fix: pass FlowParams.of().with(param, value)");
                }
            }
            if (!p.type.isInstance(v)) {
                throw new FlowDefinitionException("parameter '" + p.name + "' of flow '" + flow.name
                        + "' expects a " + p.type.getName() + ", got a " + v.getClass().getName() + " ("
                        + describe(v) + "). Fix: pass a " + p.type.getSimpleName());
            }
            checkRule(flow.name, p, v, source);
            resolved[p.index] = v;
        }
        return resolved;
    }

    @SuppressWarnings("unchecked")
    static <T> void checkRule(String flow, Param<T> p, Object value, String source) {
        if (p.rule != null && !p.rule.test((T) value)) {
            throw new FlowDefinitionException(source + " " + describe(value) + " of parameter '" + p.name
                    + "' of flow '" + flow + "' breaks its rule: " + p.ruleText);
        }
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return '"' + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + '"';
    }

    @Override
    public String toString() {
        return "FlowParams" + values;
    }
}
