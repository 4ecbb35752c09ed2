package dev.mlops.registry.internal;

import dev.mlops.core.table.Field;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** A {@link Predictor} over a Tribuo classifier or regressor, validating inputs against the signature. */
final class TribuoPredictor implements Predictor {

    private final ModelVersion version;
    private final ModelSignature signature;
    private final Model<?> model;
    private final boolean classifier;
    private final String[] names;

    TribuoPredictor(ModelVersion version, Model<?> model) {
        this.version = version;
        this.signature = version.signature();
        this.model = model;
        this.classifier = model.validate(Label.class);
        if (!classifier && !model.validate(Regressor.class)) {
            throw new IllegalArgumentException("model " + version.uri() + " is a Tribuo model of an unsupported output"
                    + " type; only classification (Label) and regression (Regressor) models can be served");
        }
        for (Field f : signature.inputs()) {
            switch (f.type()) {
                case DOUBLE, LONG, BOOLEAN -> { }
                default -> throw new IllegalArgumentException("model " + version.uri() + ": signature column '"
                        + f.name() + "' is " + f.type() + ", but Tribuo models take numeric features only. Fix:"
                        + " encode it as DOUBLE, LONG or BOOLEAN before training and in the signature");
            }
        }
        this.names = signature.inputs().names().toArray(String[]::new);
    }

    @Override
    public ModelVersion version() {
        return version;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    private double[] features(int row, java.util.function.Function<String, Object> get,
                              java.util.function.Predicate<String> has) {
        double[] values = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            Field f = signature.inputs().field(i);
            String where = "row " + row + ", feature '" + f.name() + "'";
            if (!has.test(f.name())) {
                throw new IllegalArgumentException(where + " is missing (" + version.uri() + " expects "
                        + signature.inputs().names() + "). Fix: supply every feature of the signature");
            }
            Object v = get.apply(f.name());
            if (v == null) {
                throw new IllegalArgumentException(where + " is null; the model has no value for a missing feature."
                        + " Fix: impute it before predicting");
            }
            double d;
            if (v instanceof Boolean b) {
                if (f.type() != dev.mlops.core.table.ColumnType.BOOLEAN) {
                    throw new IllegalArgumentException(where + " is the boolean " + v + ", but the signature says "
                            + f.type());
                }
                d = b ? 1 : 0;
            } else if (v instanceof Number n) {
                if (f.type() == dev.mlops.core.table.ColumnType.BOOLEAN) {
                    throw new IllegalArgumentException(where + " is the number " + v + ", but the signature says BOOLEAN");
                }
                d = n.doubleValue();
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Prediction predictValues(double[] values) {
        Output<?> unknown = classifier ? LabelFactory.UNKNOWN_LABEL : RegressionFactory.UNKNOWN_REGRESSOR;
        Example example = new ArrayExample(unknown, names, values);
        org.tribuo.Prediction<?> p = ((Model) model).predict(example);
        if (classifier) {
            Map<String, Double> scores = new HashMap<>();
            p.getOutputScores().forEach((k, v) -> scores.put(k, ((Label) v).getScore()));
            return new Prediction(((Label) p.getOutput()).getLabel(), scores);
        }
        return new Prediction(((Regressor) p.getOutput()).getValues()[0], Map.of());
    }

    @Override
    public Prediction predict(Map<String, ?> features) {
        Objects.requireNonNull(features, "features");
        return predictValues(features(0, features::get, features::containsKey));
    }

    @Override
    public List<Prediction> predict(Table rows) {
        Objects.requireNonNull(rows, "rows");
        List<Prediction> out = new ArrayList<>(rows.rowCount());
        for (int r = 0; r < rows.rowCount(); r++) {
            int row = r;
            out.add(predictValues(features(row, name -> rows.isNull(row, name) ? null : rows.value(row, name),
                    name -> rows.schema().contains(name))));
        }
        return out;
    }
}
