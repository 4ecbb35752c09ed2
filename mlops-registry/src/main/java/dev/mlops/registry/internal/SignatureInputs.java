package dev.mlops.registry.internal;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelSignature;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** Validates one input row against a signature and returns its numeric features in signature order. */
final class SignatureInputs {

    private SignatureInputs() {
    }

    static double[] of(ModelSignature signature, String uri, int row, Map<String, ?> features) {
        return values(signature, uri, row, features::get, features::containsKey);
    }

    static double[] of(ModelSignature signature, String uri, Table rows, int row) {
        return values(signature, uri, row, name -> rows.isNull(row, name) ? null : rows.value(row, name),
                name -> rows.schema().contains(name));
    }

    static double[] values(ModelSignature signature, String uri, int row, Function<String, Object> get,
                           Predicate<String> has) {
        int n = signature.inputs().size();
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            Field f = signature.inputs().field(i);
            String where = "row " + row + ", feature '" + f.name() + "'";
            if (!has.test(f.name())) {
                throw new IllegalArgumentException(where + " is missing (" + uri + " expects "
                        + signature.inputs().names() + "). Fix: supply every feature of the signature");
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
