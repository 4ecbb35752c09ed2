package dev.mlops.registry.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.spi.TrackedRun;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.OnnxModels;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.RegistryRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/** Writing and reading the ONNX flavor: {@code model.onnx} plus its tensor layout {@code onnx.json}. */
public final class OnnxSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxSupport() {
    }

    /** The tensor layout: input columns in tensor order, output labels in tensor order (empty for a regressor). */
    record Layout(List<String> inputs, List<String> labels) {
        Layout {
            inputs = List.copyOf(inputs);
            labels = List.copyOf(labels);
        }
    }

    public static void logTribuo(RegistryRun run, Model<?> model, String artifactPath) {
        TrackedRun.checkArtifactPath(artifactPath);
        if (!(model instanceof ONNXExportable exportable)) {
            throw new IllegalArgumentException("the Tribuo model " + model.getClass().getSimpleName() + " cannot be"
                    + " exported to ONNX; Tribuo exports linear models and factorization machines only. Fix: log it"
                    + " with TribuoModels.logModel (the 'tribuo' flavor)");
        }
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < model.getFeatureIDMap().size(); i++) {
            inputs.add(model.getFeatureIDMap().get(i).getName());
        }
        List<String> labels = new ArrayList<>();
        if (model.validate(Label.class)) {
            for (int i = 0; i < model.getOutputIDInfo().size(); i++) {
                labels.add(((Label) model.getOutputIDInfo().getOutput(i)).getLabel());
            }
        } else if (!model.validate(Regressor.class) || model.getOutputIDInfo().size() != 1) {
            throw new IllegalArgumentException("the Tribuo model predicts " + model.getOutputIDInfo().getDomain()
                    + "; the ONNX flavor serves classifiers and single-output regressors only");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mlops-onnx");
            Path file = dir.resolve(OnnxModels.FILE);
            exportable.saveONNXModel("dev.mlops", 1, file);
            write(run, dir, file, new Layout(inputs, labels), artifactPath);
        } catch (IOException e) {
            throw new ResourceUnavailableException("temporary directory", "writing the ONNX model failed (" + e + ")", e);
        } finally {
            deleteTree(dir);
        }
    }

    public static void logFile(RegistryRun run, Path onnxFile, List<String> inputs, List<String> labels,
                               String artifactPath) {
        TrackedRun.checkArtifactPath(artifactPath);
        if (!Files.isRegularFile(onnxFile)) {
            throw new IllegalArgumentException("ONNX file '" + onnxFile + "' does not exist or is not a regular file");
        }
        checkNames("inputs", inputs, false);
        checkNames("labels", labels, true);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mlops-onnx");
            Path file = dir.resolve(OnnxModels.FILE);
            Files.copy(onnxFile, file);
            write(run, dir, file, new Layout(inputs, labels), artifactPath);
        } catch (IOException e) {
            throw new ResourceUnavailableException(onnxFile.toString(), "copying the ONNX model failed (" + e + ")", e);
        } finally {
            deleteTree(dir);
        }
    }

    private static void checkNames(String what, List<String> names, boolean mayBeEmpty) {
        if (names.isEmpty() && !mayBeEmpty) {
            throw new IllegalArgumentException("the ONNX " + what + " list is empty. Fix: name every input column");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank() || !seen.add(n)) {
                throw new IllegalArgumentException("the ONNX " + what + " list has a " + (n == null || n.isBlank()
                        ? "blank" : "duplicate") + " name '" + n + "' at position " + i);
            }
        }
    }

    private static void write(RegistryRun run, Path dir, Path file, Layout layout, String artifactPath)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", layout.inputs());
        m.put("labels", layout.labels());
        Path meta = dir.resolve(OnnxModels.LAYOUT);
        Files.writeString(meta, JSON.writeValueAsString(m));
        run.logArtifact(file, artifactPath);
        run.logArtifact(meta, artifactPath);
    }

    static Layout readLayout(byte[] bytes, String uri) {
        try {
            JsonNode n = JSON.readTree(bytes);
            List<String> inputs = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            if (n == null || !n.path("inputs").isArray() || !n.path("labels").isArray()) {
                throw new NonRetriableException("model " + uri + ": " + OnnxModels.LAYOUT + " needs the arrays"
                        + " 'inputs' and 'labels'. Fix: log the model with OnnxModels.logModel or logFile");
            }
            n.get("inputs").forEach(x -> inputs.add(x.asText()));
            n.get("labels").forEach(x -> labels.add(x.asText()));
            return new Layout(inputs, labels);
        } catch (IOException e) {
            throw new NonRetriableException("model " + uri + ": " + OnnxModels.LAYOUT + " is not valid JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    static Predictor load(ModelVersion version, byte[] model, byte[] layout) {
        return new OnnxPredictor(version, model, readLayout(layout, version.uri()));
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
