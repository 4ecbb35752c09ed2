package dev.mlops.registry.serving.internal;

import dev.mlops.core.table.ColumnType;
import dev.mlops.registry.internal.SignatureInputs;
import dev.mlops.registry.serving.InvalidInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Validates one request row against a loaded signature, once, into the model's numbers and the values to log. */
final class InputCheck {

    private InputCheck() { }

    /**
     * A validated row: {@code values} in signature order for the model (booleans as 1/0), and {@code logged}, the
     * same features converted to the types a {@link dev.mlops.core.spi.PredictionRecord} accepts (Double, Long,
     * Boolean); the map for the log is built only if asked for.
     */
    static final class Checked {
        final String[] names;
        final double[] values;
        final Object[] logged;
        private Map<String, Object> map;

        Checked(String[] names, double[] values, Object[] logged) {
            this.names = names;
            this.values = values;
            this.logged = logged;
        }

        /** The features by name, in signature order. */
        Map<String, Object> map() {
            if (map == null) {
                Map<String, Object> m = LinkedHashMap.newLinkedHashMap(names.length);
                for (int i = 0; i < names.length; i++) {
                    m.put(names[i], logged[i]);
                }
                map = m;
            }
            return map;
        }
    }

    /** Checks the row; see {@link Checked}. */
    static Checked check(Loaded model, int row, Map<String, ?> features, boolean rejectUnknown) {
        if (features == null) {
            throw new InvalidInputException(row, null, "row " + row + " is null. Fix: pass a map of feature name to"
                    + " value");
        }
        int n = model.names.length;
        double[] values = new double[n];
        Object[] logged = new Object[n];
        for (int i = 0; i < n; i++) {
            String name = model.names[i];
            ColumnType type = model.types[i];
            Object v = features.get(name);
            if (v == null) {
                if (!features.containsKey(name)) {
                    throw new InvalidInputException(row, name, "row " + row + ": feature '" + name + "' is missing"
                            + SignatureInputs.misspeltAs(name, features.keySet(), model.nameSet) + "; "
                            + model.version.uri() + " expects " + model.nameList + ". Fix: send every feature of "
                            + "the signature");
                }
                throw new InvalidInputException(row, name, "row " + row + ": feature '" + name + "' is null, but "
                        + model.version.uri() + " needs a " + type + " value. Fix: impute it before predicting");
            }
            Object x = value(model, row, name, type, v);
            logged[i] = x;
            values[i] = x instanceof Boolean b ? (b ? 1 : 0) : ((Number) x).doubleValue();
        }
        if (rejectUnknown && features.size() > model.names.length) {
            for (Object key : features.keySet()) {
                if (!(key instanceof String s) || !model.nameSet.contains(s)) {
                    throw new InvalidInputException(row, String.valueOf(key), "row " + row + ": unknown feature '"
                            + key + "'" + SignatureInputs.didYouMean(String.valueOf(key), model.nameList) + "; "
                            + model.version.uri() + " takes only " + model.nameList
                            + ". Fix: check the spelling or drop the feature");
                }
            }
        }
        return new Checked(model.names, values, logged);
    }

    private static Object value(Loaded model, int row, String name, ColumnType type, Object v) {
        String where = "row " + row + ": feature '" + name + "'";
        switch (type) {
            case BOOLEAN -> {
                if (v instanceof Boolean) {
                    return v;
                }
                throw wrongType(row, name, where, type, v, "pass true or false");
            }
            case DOUBLE, LONG -> {
                if (!(v instanceof Number n)) {
                    throw wrongType(row, name, where, type, v, "pass a number");
                }
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new InvalidInputException(row, name, where + " is " + d + ", but " + model.version.uri()
                            + " needs a finite number. Fix: impute the value or drop the row");
                }
                if (type == ColumnType.LONG) {
                    if (v instanceof Double || v instanceof Float) {
                        if (d != Math.rint(d)) {
                            throw new InvalidInputException(row, name, where + " is " + d + ", but the signature"
                                    + " says LONG. Fix: pass a whole number");
                        }
                        return (long) d;
                    }
                    return n.longValue();
                }
                return v instanceof Double ? v : d;
            }
            default -> throw new InvalidInputException(row, name, where + ": the signature type " + type
                    + " cannot be served. Fix: register a signature with DOUBLE, LONG or BOOLEAN inputs");
        }
    }

    private static InvalidInputException wrongType(int row, String name, String where, ColumnType type, Object v,
                                                   String fix) {
        String shown = String.valueOf(v);
        if (shown.length() > 60) {
            shown = shown.substring(0, 60) + "...";
        }
        String kind = v instanceof String ? "the string" : v instanceof Boolean ? "the boolean"
                : v instanceof Number ? "the number" : v instanceof Instant ? "the instant"
                : "a " + v.getClass().getSimpleName();
        return new InvalidInputException(row, name, where + " is " + kind + " '" + shown + "', but the signature"
                + " says " + type + ". Fix: " + fix);
    }
}
