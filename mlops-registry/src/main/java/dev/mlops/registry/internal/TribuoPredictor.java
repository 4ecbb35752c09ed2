package dev.mlops.registry.internal;

import dev.mlops.core.table.Field;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Prediction;
import dev.mlops.registry.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** A {@link Predictor} over a Tribuo classifier or regressor, validating inputs against the signature. */
final class TribuoPredictor implements ValidatedPredictor {

    private final ModelVersion version;
    private final ModelSignature signature;
    private final Model<?> model;
    private final boolean classifier;
    private final String[] names;
    /** The signature's names in Tribuo's (natural String) order, and where each comes from in signature order. */
    private final String[] sortedNames;
    private final int[] order;

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
        Integer[] idx = new Integer[names.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> names[a].compareTo(names[b]));
        this.order = new int[names.length];
        this.sortedNames = new String[names.length];
        for (int k = 0; k < idx.length; k++) {
            order[k] = idx[k];
            sortedNames[k] = names[idx[k]];
        }
    }

    @Override
    public ModelVersion version() {
        return version;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Prediction predictValues(double[] values) {
        Output<?> unknown = classifier ? LabelFactory.UNKNOWN_LABEL : RegressionFactory.UNKNOWN_REGRESSOR;
        double[] sorted = new double[values.length];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = values[order[k]];
        }
        Example example = new SortedExample(unknown, sortedNames.clone(), sorted);
        org.tribuo.Prediction<?> p = ((Model) model).predict(example);
        if (classifier) {
            Map<String, Double> scores = new TreeMap<>();
            p.getOutputScores().forEach((k, v) -> scores.put(k, ((Label) v).getScore()));
            if (p.getOutput() == null) {
                throw overflow(values, "no label (its class scores are " + scores + ")");
            }
            return new Prediction(((Label) p.getOutput()).getLabel(), scores);
        }
        double y = ((Regressor) p.getOutput()).getValues()[0];
        if (!Double.isFinite(y)) {
            throw overflow(values, "the value " + y);
        }
        return new Prediction(y, Map.of());
    }

    /** The model overflowed on extreme (finite) inputs: say so, with the largest one, rather than fail obscurely. */
    private IllegalArgumentException overflow(double[] values, String what) {
        int worst = 0;
        for (int i = 1; i < values.length; i++) {
            if (Math.abs(values[i]) > Math.abs(values[worst])) {
                worst = i;
            }
        }
        return new IllegalArgumentException("model " + version.uri() + " produced " + what + ": its arithmetic"
                + " overflowed on these inputs; the largest in magnitude is '" + names[worst] + "' = "
                + values[worst] + ". Fix: send inputs on the scale the model was trained on (clip or rescale"
                + " extreme values)");
    }

    @Override
    public Prediction predictValidated(double[] values) {
        if (values.length != names.length) {
            throw new IllegalArgumentException("model " + version.uri() + " takes " + names.length
                    + " validated values, but got " + values.length + ". Fix: validate the row against its signature");
        }
        return predictValues(values);
    }

    /**
     * An example whose names are already in Tribuo's order: {@link ArrayExample}'s own constructor sorts them with a
     * boxed argsort on every call, the largest cost of a single-row prediction after the model itself.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SortedExample extends ArrayExample {
        SortedExample(Output output, String[] sortedNames, double[] sortedValues) {
            super(output, 1.0f, 0);
            this.featureNames = sortedNames;
            this.featureValues = sortedValues;
            this.size = sortedNames.length;
        }
    }

    @Override
    public Prediction predict(Map<String, ?> features) {
        Objects.requireNonNull(features, "features");
        return predictValues(SignatureInputs.of(signature, version.uri(), 0, features));
    }

    @Override
    public List<Prediction> predict(Table rows) {
        Objects.requireNonNull(rows, "rows");
        List<Prediction> out = new ArrayList<>(rows.rowCount());
        for (int r = 0; r < rows.rowCount(); r++) {
            out.add(predictValues(SignatureInputs.of(signature, version.uri(), rows, r)));
        }
        return out;
    }
}
