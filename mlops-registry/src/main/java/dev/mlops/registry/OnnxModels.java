package dev.mlops.registry;

import dev.mlops.registry.internal.OnnxSupport;
import java.nio.file.Path;
import java.util.List;
import org.tribuo.Model;

/**
 * The ONNX flavor: a model file in the ONNX format, loaded with onnxruntime and served through the same
 * {@link Predictor} as any other flavor.
 *
 * <p>A version of this flavor is two files in its artifact directory: {@code model.onnx} and {@code onnx.json}, the
 * layout that maps the model's tensors to the signature: {@code inputs}, the feature names in the order of the
 * columns of the model's single float input tensor {@code [rows, features]}, and {@code labels}, the class label of
 * each column of its first float output {@code [rows, classes]} (empty for a regressor, whose output is
 * {@code [rows, 1]}). Inputs are validated against the version's signature before they reach the model.
 *
 * <pre>{@code
 * Model<Label> model = new LogisticRegressionTrainer().train(train);   // linear or factorization machine
 * OnnxModels.logModel(run, model, "onnx");                             // onnx/model.onnx + onnx/onnx.json
 * registry.createVersion(VersionRequest.builder("cancer", run.runId(), "onnx").flavor(OnnxModels.FLAVOR)
 *         .signature(signature).build());
 * Predictor p = registry.load("models:/cancer/2");
 * }</pre>
 */
public final class OnnxModels {

    /** The flavor name of ONNX model versions. */
    public static final String FLAVOR = "onnx";
    /** The file name of the model inside its artifact directory. */
    public static final String FILE = "model.onnx";
    /** The file name of the tensor layout inside its artifact directory. */
    public static final String LAYOUT = "onnx.json";

    private OnnxModels() {
    }

    /**
     * Exports a Tribuo model to ONNX and logs {@code <artifactPath>/model.onnx} and {@code <artifactPath>/onnx.json}.
     * Tribuo exports linear models and factorization machines (classifiers and single-output regressors); the
     * layout records Tribuo's feature order and label order, so the file needs nothing else to be served.
     *
     * @throws IllegalArgumentException if the model cannot be exported to ONNX (e.g. a tree or an ensemble)
     */
    public static void logModel(RegistryRun run, Model<?> model, String artifactPath) {
        OnnxSupport.logTribuo(run, model, artifactPath);
    }

    /**
     * Logs an ONNX file produced elsewhere with its layout: {@code inputs} names the columns of the model's float
     * input tensor in order, {@code labels} the columns of its float output (empty for a regressor).
     *
     * @throws IllegalArgumentException if the file does not exist, or a list has blank or duplicate names
     */
    public static void logFile(RegistryRun run, Path onnxFile, List<String> inputs, List<String> labels,
                               String artifactPath) {
        OnnxSupport.logFile(run, onnxFile, inputs, labels, artifactPath);
    }
}
