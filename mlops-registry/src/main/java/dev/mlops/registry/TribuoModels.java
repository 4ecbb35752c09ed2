package dev.mlops.registry;

import dev.mlops.registry.internal.TribuoSupport;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Tribuo integration: log a trained model (its protobuf serialization, never Java serialization) with its
 * provenance, and log evaluations as metrics.
 *
 * <pre>{@code
 * Model<Label> model = trainer.train(train);
 * TribuoModels.logModel(run, model, "model");          // model/model.tribuo + tribuo.* params and tags
 * TribuoModels.logEvaluation(run, model, test, "test"); // test.accuracy, test.f1_macro, test.auc.<label>, ...
 * registry.createVersion(VersionRequest.builder("cancer", run.runId(), "model").flavor("tribuo")
 *         .signature(signature).build());
 * }</pre>
 */
public final class TribuoModels {

    /** The flavor name of Tribuo model versions. */
    public static final String FLAVOR = "tribuo";
    /** The file name of the serialized model inside its artifact directory. */
    public static final String FILE = "model.tribuo";

    private TribuoModels() {
    }

    /**
     * Serializes {@code model} to {@code <artifactPath>/model.tribuo} in the run's artifacts, and logs its provenance:
     * the trainer's configured hyperparameters as params {@code tribuo.trainer.<name>}, the trainer class, the
     * dataset provenance (source, size, feature count) as tags {@code tribuo.dataset.*}, and the Tribuo version.
     */
    public static void logModel(RegistryRun run, Model<?> model, String artifactPath) {
        TribuoSupport.logModel(run, model, artifactPath);
    }

    /**
     * Evaluates a classifier on {@code test} and logs {@code <prefix>.accuracy}, {@code <prefix>.f1_macro},
     * {@code <prefix>.f1.<label>}, {@code <prefix>.auc.<label>} (when the model produces probabilities) and the
     * confusion matrix as {@code <prefix>.confusion.<true>.<predicted>} counts.
     */
    public static void logEvaluation(RegistryRun run, Model<Label> model, Dataset<Label> test, String prefix) {
        TribuoSupport.logClassification(run, model, test, prefix);
    }

    /** Evaluates a regressor on {@code test} and logs {@code <prefix>.rmse}, {@code <prefix>.mae}, {@code <prefix>.r2}. */
    public static void logRegressionEvaluation(RegistryRun run, Model<Regressor> model, Dataset<Regressor> test,
                                               String prefix) {
        TribuoSupport.logRegression(run, model, test, prefix);
    }
}
