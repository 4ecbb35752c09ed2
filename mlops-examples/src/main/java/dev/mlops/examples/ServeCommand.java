package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelSignature;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.TribuoModels;
import dev.mlops.registry.VersionRequest;
import dev.mlops.registry.serving.ModelEndpoint;
import dev.mlops.registry.serving.ModelServer;
import dev.mlops.registry.serving.ServedPrediction;
import dev.mlops.registry.serving.ServerListener;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops serve [--home DIR] [--port N] [--seconds S]}: serves {@code models:/breast-cancer@champion} from a
 * registry, moves the alias to another version and back, and prints each swap as the server picks it up. With
 * {@code --port} it then serves HTTP on 127.0.0.1 for {@code --seconds} (default 60); the bearer token comes from
 * the {@code MLOPS_TOKEN} environment variable, without it the endpoint runs unauthenticated (loopback only, with a
 * warning). A home without the model gets two trained versions (1 and 50 epochs of logistic regression).
 */
@Command(name = "serve", description = {"Serve models:/breast-cancer@champion from a registry, move the alias and "
        + "watch the hot swap; with --port also serve HTTP on 127.0.0.1 (bearer token from $MLOPS_TOKEN)."})
final class ServeCommand extends CliCommand {

    private static final String MODEL = "breast-cancer";

    @Option(names = "--home", paramLabel = "DIR", description = "The registry home (default: a new temporary one, "
            + "given two trained versions).")
    Path home;
    @Option(names = "--port", paramLabel = "N", defaultValue = "-1", description = "Serve HTTP on 127.0.0.1:N afterwards.")
    int port;
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "60", description = "How long to serve HTTP (default: ${DEFAULT-VALUE}).")
    int seconds;

    ServeCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() throws Exception {
        return run(home, port, seconds, out, err);
    }

    static int run(Path home, int port, int seconds, PrintStream out, PrintStream err) throws Exception {
        if (home == null) {
            home = Files.createTempDirectory("mlops-serve");
        }
        Path data = Path.of("../shared/data");
        if (!Files.exists(data.resolve("breast_cancer.csv"))) {
            data = Path.of("/work/shared/data");
        }
        List<Map<String, Object>> testRows = new ArrayList<>();
        try (ModelRegistry registry = ModelRegistry.builder().home(home).principal(() -> "serve-demo").build()) {
            prepare(registry, data, testRows);

            // --8<-- [start:serve]
            LinkedBlockingQueue<String> swaps = new LinkedBlockingQueue<>();
            ServerListener listener = new ServerListener() {
                @Override
                public void versionLoaded(String uri, Integer previous, int version) {
                    swaps.add(uri + ": version " + previous + " -> " + version);
                }
            };
            try (PredictionLog log = PredictionLog.inMemory(10_000);
                 ModelServer server = ModelServer.builder()
                         .registry(registry)
                         .model("models:/breast-cancer@champion")
                         .pollInterval(Duration.ofMillis(200))   // follow the alias
                         .predictionLog(log)                     // every prediction, for drift monitoring
                         .listener(listener)
                         .build()) {
                server.awaitReady(Duration.ofSeconds(30));
                out.println("swap: " + swaps.take());
                Map<String, Object> row = testRows.get(0);
                ServedPrediction before = server.predict("patient-1", row);
                out.printf("version %d says %s (p(1)=%.3g)%n", before.version(), before.label(),
                        before.prediction().score("1"));

                registry.setAlias(MODEL, "champion", 2, "promote the 50-epoch model");   // promotion
                out.println("swap: " + swaps.poll(30, TimeUnit.SECONDS));
                ServedPrediction after = server.predict("patient-1", row);
                out.printf("version %d says %s (p(1)=%.3g)%n", after.version(), after.label(),
                        after.prediction().score("1"));

                registry.rollback(MODEL, "champion", "roll back");                     // rollback
                out.println("swap: " + swaps.poll(30, TimeUnit.SECONDS));
                out.println("now serving version " + server.health().primary().version() + ", loaded at "
                        + server.health().primary().loadedAt());
                // --8<-- [end:serve]
                out.println("prediction log: " + log.read(MODEL, java.time.Instant.EPOCH,
                        java.time.Instant.parse("3000-01-01T00:00:00Z")).size() + " records");

                if (port >= 0) {
                    ModelEndpoint.Builder http = ModelEndpoint.builder().server(server).port(port);
                    String token = System.getenv("MLOPS_TOKEN");
                    if (token != null && !token.isBlank()) {
                        http.bearerToken(token);
                    } else {
                        http.withoutAuthentication();
                    }
                    try (ModelEndpoint endpoint = http.start()) {
                        out.println("serving http://127.0.0.1:" + endpoint.address().getPort()
                                + " (POST /predict, GET /health, /version, /metrics) for " + seconds + " s");
                        out.flush();
                        Thread.sleep(seconds * 1000L);
                    }
                }
            }
            out.println("registry home: " + home.toAbsolutePath());
        }
        return 0;
    }

    /** Registers two versions (1 and 50 epochs) when the home has none, and collects the standardized test rows. */
    private static void prepare(ModelRegistry registry, Path data, List<Map<String, Object>> testRows)
            throws Exception {
        Table table = CsvReader.builder().inferSchema().build().read(data.resolve("breast_cancer.csv"));
        JsonNode split = new ObjectMapper().readTree(data.resolve("breast_cancer_split.json").toFile());
        List<String> features = new ArrayList<>(table.schema().names());
        features.remove("target");
        String[] names = features.toArray(String[]::new);
        double[] target = table.toDoubleArray("target");
        double[][] cols = new double[names.length][];
        double[] mean = new double[names.length];
        double[] std = new double[names.length];
        JsonNode train = split.get("train_indices");
        for (int j = 0; j < names.length; j++) {
            cols[j] = table.toDoubleArray(names[j]);
            for (JsonNode i : train) {
                mean[j] += cols[j][i.asInt()] / train.size();
            }
            for (JsonNode i : train) {
                std[j] += Math.pow(cols[j][i.asInt()] - mean[j], 2) / train.size();
            }
            std[j] = Math.sqrt(std[j]);
        }
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> trainSet = new MutableDataset<>(new SimpleDataSourceProvenance("breast_cancer train",
                labels), labels);
        for (JsonNode i : train) {
            trainSet.add(new ArrayExample<>(new Label(Integer.toString((int) target[i.asInt()])), names,
                    row(cols, i.asInt(), mean, std)));
        }
        for (JsonNode i : split.get("test_indices")) {
            double[] x = row(cols, i.asInt(), mean, std);
            Map<String, Object> m = new HashMap<>();
            for (int j = 0; j < names.length; j++) {
                m.put(names[j], x[j]);
            }
            testRows.add(m);
        }
        if (registry.models().stream().anyMatch(m -> m.name().equals(MODEL))) {
            return;
        }
        ModelSignature signature = new ModelSignature(Schema.of(features.stream()
                .map(f -> Field.of(f, ColumnType.DOUBLE)).toList()), ColumnType.STRING);
        for (int epochs : new int[] {1, 50}) {
            try (RegistryRun run = registry.startRun(MODEL, "logreg-" + epochs)) {
                TribuoModels.logModel(run, new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, 1L)
                        .train(trainSet), "model");
                registry.createVersion(VersionRequest.builder(MODEL, run.runId(), "model").flavor(TribuoModels.FLAVOR)
                        .signature(signature).reason(epochs + " epochs").build());
            }
        }
        registry.setAlias(MODEL, "champion", 1, "baseline");
    }

    private static double[] row(double[][] cols, int i, double[] mean, double[] std) {
        double[] x = new double[cols.length];
        for (int j = 0; j < cols.length; j++) {
            x[j] = (cols[j][i] - mean[j]) / std[j];
        }
        return x;
    }
}
