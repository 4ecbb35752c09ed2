package dev.mlops.registry.internal;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.RunBatch;
import dev.mlops.registry.TribuoModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

/** Tribuo serialization, provenance flattening and evaluation logging. */
public final class TribuoSupport {

    private static final int MAX_VALUE = 500;

    private TribuoSupport() {
    }

    public static void logModel(RegistryRun run, Model<?> model, String artifactPath) {
        TrackedRun.checkArtifactPath(artifactPath);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mlops-tribuo");
            Path file = dir.resolve(TribuoModels.FILE);
            model.serializeToFile(file);
            run.logArtifact(file, artifactPath);
        } catch (IOException e) {
            throw new ResourceUnavailableException("temporary directory", "writing the Tribuo model failed (" + e + ")", e);
        } finally {
            deleteTree(dir);
        }
        ModelProvenance prov = model.getProvenance();
        Map<String, String> params = new LinkedHashMap<>();
        flatten("tribuo.trainer", prov.getTrainerProvenance(), params);
        Map<String, String> tags = new LinkedHashMap<>();
        flatten("tribuo.dataset", prov.getDatasetProvenance(), tags);
        tags.put("tribuo.model.class", prov.getClassName());
        tags.put("tribuo.version", prov.getTribuoVersion());
        tags.put("tribuo.features", Integer.toString(model.getFeatureIDMap().size()));
        RunBatch.Builder b = RunBatch.builder();
        params.forEach((k, v) -> b.param(k, v));
        tags.forEach((k, v) -> b.tag(k, v));
        run.logBatch(b.build());
    }

    /** Flattens an OLCUT provenance tree into {@code prefix.name[.name...] -> value}. */
    static void flatten(String prefix, Provenance p, Map<String, String> out) {
        if (p == null) {
            return;
        }
        if (p instanceof PrimitiveProvenance<?> prim) {
            put(out, prefix, String.valueOf(prim.getValue()));
        } else if (p instanceof ObjectProvenance obj) {
            put(out, prefix + ".class", obj.getClassName());
            for (Pair<String, Provenance> pair : obj) {
                flatten(prefix + "." + sanitize(pair.getA()), pair.getB(), out);
            }
        } else if (p instanceof ListProvenance<?> list) {
            int i = 0;
            for (Provenance item : list) {
                flatten(prefix + "." + i++, item, out);
            }
        } else if (p instanceof MapProvenance<?> map) {
            for (Pair<String, ? extends Provenance> pair : map) {
                flatten(prefix + "." + sanitize(pair.getA()), pair.getB(), out);
            }
        } else {
            put(out, prefix, p.toString());
        }
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (key.length() > TrackedRun.MAX_KEY_LENGTH) {
            return;
        }
        out.put(key, value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) + "..." : value);
    }

    private static String sanitize(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            b.append(c < 128 && (Character.isLetterOrDigit(c) || "_-./ ".indexOf(c) >= 0) ? c : '_');
        }
        return b.toString();
    }

    public static void logClassification(RegistryRun run, Model<Label> model, Dataset<Label> test, String prefix) {
        TrackedRun.checkKey(prefix);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, test);
        RunBatch.Builder b = RunBatch.builder();
        b.metric(prefix + ".accuracy", eval.accuracy(), 0);
        b.metric(prefix + ".f1_macro", eval.macroAveragedF1(), 0);
        var domain = eval.getConfusionMatrix().getDomain().getDomain();
        for (Label l : domain) {
            String name = sanitize(l.getLabel());
            b.metric(prefix + ".f1." + name, eval.f1(l), 0);
            if (model.generatesProbabilities()) {
                b.metric(prefix + ".auc." + name, eval.AUCROC(l), 0);
            }
            for (Label predicted : domain) {
                b.metric(prefix + ".confusion." + name + "." + sanitize(predicted.getLabel()),
                        eval.getConfusionMatrix().confusion(predicted, l), 0);
            }
        }
        b.metric(prefix + ".examples", test.size(), 0);
        run.logBatch(b.build());
    }

    public static void logRegression(RegistryRun run, Model<Regressor> model, Dataset<Regressor> test, String prefix) {
        TrackedRun.checkKey(prefix);
        RegressionEvaluation eval = new RegressionEvaluator().evaluate(model, test);
        run.logBatch(RunBatch.builder().metric(prefix + ".rmse", eval.averageRMSE(), 0)
                .metric(prefix + ".mae", eval.averageMAE(), 0).metric(prefix + ".r2", eval.averageR2(), 0)
                .metric(prefix + ".examples", test.size(), 0).build());
    }

    /** Reads a Tribuo model from its protobuf bytes (Tribuo's {@code ModelProto}; no Java deserialization). */
    static Model<?> read(byte[] bytes, String where) {
        try {
            return Model.deserializeFromStream(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new NonRetriableException("cannot load the Tribuo model of " + where + ": " + e.getMessage()
                    + ". Fix: register a model written by TribuoModels.logModel (Tribuo's protobuf format)", e);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            });
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless
        }
    }
}
