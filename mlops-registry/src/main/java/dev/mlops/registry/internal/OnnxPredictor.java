package dev.mlops.registry.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Prediction;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A predictor over an onnxruntime session: one float input {@code [rows, features]}, the first output
 * {@code [rows, classes]} (or {@code [rows, 1]} for a regressor). The session is closed when the predictor becomes
 * unreachable.
 */
final class OnnxPredictor implements BatchingPredictor {

    private static final Cleaner CLEANER = Cleaner.create();

    private final ModelVersion version;
    private final ModelSignature signature;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String inputName;
    private final int[] columnOf; // signature position -> tensor column
    private final int width;
    private final String[] labels;

    OnnxPredictor(ModelVersion version, byte[] model, OnnxSupport.Layout layout) {
        this.version = version;
        this.signature = version.signature();
        String uri = version.uri();
        boolean classifier = signature.output() == ColumnType.STRING;
        if (classifier == layout.labels().isEmpty()) {
            throw new IllegalArgumentException("model " + uri + ": the signature's output is " + signature.output()
                    + " but the ONNX layout lists " + layout.labels().size() + " labels. Fix: a classifier (STRING"
                    + " output) needs its labels in onnx.json, a regressor (DOUBLE output) none");
        }
        for (String f : layout.inputs()) {
            if (!signature.inputs().contains(f)) {
                throw new IllegalArgumentException("model " + uri + ": the ONNX model's input column '" + f
                        + "' is not in the signature " + signature.inputs().names() + ". Fix: register the version"
                        + " with a signature that has every input of the model");
            }
        }
        this.width = layout.inputs().size();
        this.columnOf = new int[signature.inputs().size()];
        for (int i = 0; i < columnOf.length; i++) {
            columnOf[i] = layout.inputs().indexOf(signature.inputs().field(i).name()); // -1: ignored by the model
        }
        this.labels = layout.labels().toArray(String[]::new);
        this.env = OrtEnvironment.getEnvironment();
        OrtSession s;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            s = env.createSession(model, options);
        } catch (OrtException e) {
            throw new NonRetriableException("model " + uri + ": " + dev.mlops.registry.OnnxModels.FILE + " (" + model.length
                    + " bytes) is not a loadable ONNX model: " + e.getMessage() + ". Fix: re-export the model and"
                    + " register a new version", e);
        }
        this.session = s;
        try {
            checkShapes(uri, s, classifier);
            this.inputName = s.getInputNames().iterator().next();
        } catch (RuntimeException | OrtException e) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // already failing; the shape error is the one to report
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new NonRetriableException("model " + uri + ": reading the ONNX model's inputs failed: "
                    + e.getMessage(), e);
        }
        CLEANER.register(this, new Closer(s));
    }

    private record Closer(OrtSession session) implements Runnable {
        @Override
        public void run() {
            try {
                session.close();
            } catch (OrtException ignored) {
                // closing native memory on collection; nothing to report to
            }
        }
    }

    private void checkShapes(String uri, OrtSession s, boolean classifier) throws OrtException {
        Map<String, NodeInfo> in = s.getInputInfo();
        if (in.size() != 1 || !(in.values().iterator().next().getInfo() instanceof TensorInfo ti)
                || ti.type != OnnxJavaType.FLOAT || ti.getShape().length != 2
                || (ti.getShape()[1] >= 0 && ti.getShape()[1] != width)) {
            throw new IllegalArgumentException("model " + uri + ": the ONNX model's inputs are " + describe(in)
                    + ", but this flavor needs one float tensor [rows, " + width + "] (the " + width
                    + " inputs of onnx.json). Fix: export the model with a single 2-D float input");
        }
        Map<String, NodeInfo> out = s.getOutputInfo();
        int expected = classifier ? labels.length : 1;
        if (out.isEmpty() || !(out.values().iterator().next().getInfo() instanceof TensorInfo to)
                || to.type != OnnxJavaType.FLOAT || to.getShape().length != 2
                || (to.getShape()[1] >= 0 && to.getShape()[1] != expected)) {
            throw new IllegalArgumentException("model " + uri + ": the ONNX model's first output is " + describe(out)
                    + ", but this flavor needs a float tensor [rows, " + expected + "]" + (classifier
                    ? " (one column per label of onnx.json)" : " (one regression value)")
                    + ". Fix: check the labels in onnx.json against the model");
        }
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        List<String> out = new ArrayList<>();
        nodes.forEach((k, v) -> out.add(k + ": " + v.getInfo()));
        return out.toString();
    }

    @Override
    public ModelVersion version() {
        return version;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public double[] inputs(Map<String, ?> features) {
        Objects.requireNonNull(features, "features");
        return SignatureInputs.of(signature, version.uri(), 0, features);
    }

    @Override
    public Prediction predict(Map<String, ?> features) {
        return predictInputs(List.of(inputs(features))).get(0);
    }

    @Override
    public List<Prediction> predict(Table rows) {
        Objects.requireNonNull(rows, "rows");
        List<double[]> in = new ArrayList<>(rows.rowCount());
        for (int r = 0; r < rows.rowCount(); r++) {
            in.add(SignatureInputs.of(signature, version.uri(), rows, r));
        }
        return in.isEmpty() ? List.of() : predictInputs(in);
    }

    @Override
    public List<Prediction> predictInputs(List<double[]> rows) {
        int n = rows.size();
        float[] data = new float[n * width];
        for (int r = 0; r < n; r++) {
            double[] row = rows.get(r);
            for (int i = 0; i < columnOf.length; i++) {
                if (columnOf[i] >= 0) {
                    data[r * width + columnOf[i]] = (float) row[i];
                }
            }
        }
        float[][] out;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {n, width});
             OrtSession.Result result = session.run(Map.of(inputName, t))) {
            out = (float[][]) result.get(0).getValue();
        } catch (OrtException e) {
            throw new NonRetriableException("model " + version.uri() + ": onnxruntime failed on a batch of " + n
                    + " rows: " + e.getMessage(), e);
        }
        List<Prediction> predictions = new ArrayList<>(n);
        for (float[] o : out) {
            if (labels.length == 0) {
                predictions.add(new Prediction((double) o[0], Map.of()));
            } else {
                Map<String, Double> scores = new HashMap<>();
                int best = 0;
                for (int k = 0; k < labels.length; k++) {
                    scores.put(labels[k], (double) o[k]);
                    if (o[k] > o[best]) {
                        best = k;
                    }
                }
                predictions.add(new Prediction(labels[best], scores));
            }
        }
        return predictions;
    }
}
