package dev.mlops.registry.internal;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelSignature;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one validation of an input row against a signature, shared by every flavor ({@link TribuoPredictor},
 * {@link OnnxPredictor}) and the server's input check: returns the numeric features in signature order, and names a
 * likely misspelling ("did you mean") when a feature is missing or unknown.
 */
public final class SignatureInputs {

    private SignatureInputs() {
    }

    static double[] of(ModelSignature signature, String uri, int row, Map<String, ?> features) {
        return values(signature, uri, row, features::get, features::containsKey, features.keySet());
    }

    static double[] of(ModelSignature signature, String uri, Table rows, int row) {
        return values(signature, uri, row, name -> rows.isNull(row, name) ? null : rows.value(row, name),
                name -> rows.schema().contains(name), rows.schema().names());
    }

    /**
     * The candidate closest to {@code name} by edit distance (case-insensitive, underscores, hyphens and spaces
     * alike), when it is close enough to be a likely misspelling: names shorter than 4 characters only up to case and
     * separators, shorter than 8 within 1 edit, longer ones within a quarter of their length (at least 2). Null when
     * none is; ties go to the first candidate.
     */
    public static String suggest(String name, Iterable<?> candidates) {
        if (name == null) {
            return null;
        }
        String a = normalized(name);
        int limit = a.length() < 4 ? 0 : a.length() < 8 ? 1 : Math.max(2, a.length() / 4);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object c : candidates) {
            if (!(c instanceof String candidate) || candidate.equals(name)) {
                continue;
            }
            int d = distance(a, normalized(candidate), Math.min(limit, bestDistance - 1));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return bestDistance <= limit ? best : null;
    }

    /** {@code " (did you mean 'x'?)"} for {@link #suggest}'s answer, or the empty string. */
    public static String didYouMean(String name, Iterable<?> candidates) {
        String s = suggest(name, candidates);
        return s == null ? "" : " (did you mean '" + s + "'?)";
    }

    /** For a missing signature feature: the row's own key that looks like a misspelling of it, if any. */
    public static String misspeltAs(String feature, Iterable<?> rowKeys, java.util.Collection<String> signatureNames) {
        java.util.List<Object> unknown = new java.util.ArrayList<>();
        for (Object k : rowKeys) {
            if (!(k instanceof String s) || !signatureNames.contains(s)) {
                unknown.add(k);
            }
        }
        String s = suggest(feature, unknown);
        return s == null ? "" : " (the row has '" + s + "': a misspelling?)";
    }

    private static String normalized(String s) {
        return s.toLowerCase(java.util.Locale.ROOT).replace('_', ' ').replace('-', ' ');
    }

    /** Levenshtein distance, or {@code limit + 1} as soon as it must exceed {@code limit}. */
    private static int distance(String a, String b, int limit) {
        if (limit < 0 || Math.abs(a.length() - b.length()) > limit) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return Integer.MAX_VALUE;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] <= limit ? prev[b.length()] : Integer.MAX_VALUE;
    }

    static double[] values(ModelSignature signature, String uri, int row, Function<String, Object> get,
                           Predicate<String> has, Iterable<?> keys) {
        int n = signature.inputs().size();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            Field f = signature.inputs().field(i);
            String where = "row " + row + ", feature '" + f.name() + "'";
            if (!has.test(f.name())) {
                throw new IllegalArgumentException(where + " is missing" + misspeltAs(f.name(), keys,
                        signature.inputs().names()) + " (" + uri + " expects " + signature.inputs().names()
                        + "). Fix: supply every feature of the signature");
            }
            Object v = get.apply(f.name());
            if (v == null) {
                throw new IllegalArgumentException(where + " is null; the model has no value for a missing feature."
                        + " Fix: impute it before predicting");
            }
            double d;
            if (v instanceof Boolean b) {
                if (f.type() != ColumnType.BOOLEAN) {
                    throw new IllegalArgumentException(where + " is the boolean " + v + ", but the signature says "
                            + f.type());
                }
                d = b ? 1 : 0;
            } else if (v instanceof Number num) {
                if (f.type() == ColumnType.BOOLEAN) {
                    throw new IllegalArgumentException(where + " is the number " + v + ", but the signature says BOOLEAN");
                }
                d = num.doubleValue();
            } else {
                throw new IllegalArgumentException(where + " is " + v.getClass().getSimpleName() + " '" + v
                        + "', but the signature says " + f.type() + ". Fix: pass a number");
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(where + " is " + d + "; the model needs a finite number. Fix:"
                        + " impute or drop the row");
            }
            values[i] = d;
        }
        return values;
    }
}
