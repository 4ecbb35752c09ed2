package dev.mlops.registry.serving;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A registry with model {@code m} in three versions whose answers a test can recompute without the code under test:
 * version 1 learned {@code x1 > 0 ? "a1" : "a0"}, version 2 learned {@code x2 > 0 ? "b1" : "b0"} (disjoint label
 * sets, so an answer also shows which version produced it), version 3 is a corrupt Tribuo file that cannot load.
 * Training rows keep {@code |x1|, |x2| >= 0.5}; test rows use {@code |x| >= 1}, far from both learned boundaries.
 * Features: {@code x1}, {@code x2} (DOUBLE), {@code n} (LONG, noise) and {@code flag} (BOOLEAN, noise).
 */
final class ServingFixture {

    static final String MODEL = "m";
    static final String[] FEATURES = {"x1", "x2", "n", "flag"};
    static final ModelSignature SIGNATURE = new ModelSignature(Schema.of(Field.of("x1", ColumnType.DOUBLE),
            Field.of("x2", ColumnType.DOUBLE), Field.of("n", ColumnType.LONG), Field.of("flag", ColumnType.BOOLEAN)),
            ColumnType.STRING);

    private ServingFixture() { }

    /** Opens a registry in {@code home} holding versions 1, 2 (good) and 3 (corrupt); alias champion -> 1. */
    static ModelRegistry registry(Path home, Clock clock) throws IOException {
        ModelRegistry registry = ModelRegistry.builder().home(home).clock(clock).principal(() -> "test").build();
        register(registry, train(0, "a"), "rule x1");
        register(registry, train(1, "b"), "rule x2");
        Path broken = home.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(TribuoModels.FILE), "this is not a protobuf model");
        try (RegistryRun run = registry.startRun("serving", "broken")) {
            run.logArtifact(broken, "model");
            registry.createVersion(VersionRequest.builder(MODEL, run.runId(), "model").flavor(TribuoModels.FLAVOR)
                    .signature(SIGNATURE).reason("corrupt on purpose").build());
        }
        registry.setAlias(MODEL, "champion", 1, "first");
        return registry;
    }

    private static void register(ModelRegistry registry, Model<Label> model, String reason) {
        try (RegistryRun run = registry.startRun("serving", reason)) {
            TribuoModels.logModel(run, model, "model");
            registry.createVersion(VersionRequest.builder(MODEL, run.runId(), "model").flavor(TribuoModels.FLAVOR)
                    .signature(SIGNATURE).reason(reason).build());
        }
    }

    /** A logistic regression that learned {@code x[feature] > 0 ? prefix+"1" : prefix+"0"}. */
    static Model<Label> train(int feature, String prefix) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("rule " + prefix, factory),
                factory);
        Random random = new Random(42 + feature);
        for (int i = 0; i < 400; i++) {
            double[] x = row(random, 0.5);
            String label = prefix + (x[feature] > 0 ? "1" : "0");
            data.add(new ArrayExample<>(new Label(label), FEATURES, x));
        }
        return new LogisticRegressionTrainer().train(data);
    }

    /** Feature values {x1, x2, n, flag} with |x1|, |x2| in [min, min + 2]. */
    static double[] row(Random random, double min) {
        double x1 = (random.nextBoolean() ? 1 : -1) * (min + 2 * random.nextDouble());
        double x2 = (random.nextBoolean() ? 1 : -1) * (min + 2 * random.nextDouble());
        return new double[] {x1, x2, random.nextInt(4), random.nextBoolean() ? 1 : 0};
    }

    /** A request row far from both boundaries. */
    static Map<String, Object> request(Random random) {
        double[] x = row(random, 1.0);
        Map<String, Object> m = new HashMap<>();
        m.put("x1", x[0]);
        m.put("x2", x[1]);
        m.put("n", (long) x[2]);
        m.put("flag", x[3] == 1);
        return m;
    }

    /** What version {@code version} must answer for {@code row}, from the rule it was trained on. */
    static String expected(int version, Map<String, ?> row) {
        return switch (version) {
            case 1 -> ((Double) row.get("x1")) > 0 ? "a1" : "a0";
            case 2 -> ((Double) row.get("x2")) > 0 ? "b1" : "b0";
            default -> throw new IllegalArgumentException("no rule for version " + version);
        };
    }
}
