package dev.mlops.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.MlopsException;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.dashboard.Dashboard;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.ReferenceProfile;
import dev.mlops.features.FeatureStore;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegisteredModel;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops dashboard [--home DIR] [--port N] [--bind ADDR] [--window DURATION] [--seconds S]}: serves the
 * monitoring dashboard over the stores of a home directory laid out like the demo's, each part optional:
 * {@code registry/} (registry page; its models are the serving page's models), {@code flows/} (flows page),
 * {@code predictions/} (serving page: the rolling prediction log), {@code features/} (feature store page: every view
 * of its {@code registry.json}), {@code rag/feedback.jsonl} (RAG page). A store another process holds (a running
 * demo) is skipped with a note. The token is {@code MLOPS_TOKEN} from the environment when set, else a random one;
 * the printed URL carries it. Serves until interrupted, or for {@code --seconds}.
 */
@Command(name = "dashboard", sortOptions = false,
        description = {"Serve the monitoring dashboard over a home directory laid out like the demo's (registry/, "
                + "flows/, predictions/, features/, rag/feedback.jsonl). The bearer token is MLOPS_TOKEN from the "
                + "environment, or a random one shown in the printed URL."})
final class DashboardCommand extends CliCommand {

    @Option(names = "--home", paramLabel = "DIR", defaultValue = ".", description = "The home directory of the stores (default: the current directory).")
    Path home;
    @Option(names = "--port", paramLabel = "N", defaultValue = "8765", description = "The port (default ${DEFAULT-VALUE}; 0 for any free port).")
    int port;
    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "The address to bind (default ${DEFAULT-VALUE}).")
    String bind;
    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "P7D",
            description = "How far back the serving page reads the prediction log, ISO-8601 (default ${DEFAULT-VALUE}).")
    String window;
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "-1", description = "Stop after this many seconds (default: run until interrupted).")
    long seconds;

    DashboardCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    public Integer call() throws Exception {
        InetAddress address;
        Duration servingWindow;
        try {
            address = InetAddress.getByName(bind);
        } catch (IOException e) {
            throw usage("--bind '" + bind + "' is not valid (" + e.getMessage() + ")");
        }
        try {
            servingWindow = Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw usage("--window '" + window + "' is not valid (" + e.getMessage() + "); e.g. P7D or PT12H");
        }
        if (!Files.isDirectory(home)) {
            err.println("mlops dashboard: --home " + home + " is not a directory. Fix: pass the home of a demo run, "
                    + "e.g. mlops demo --home DIR first");
            return 1;
        }
        Dashboard.Builder builder;
        try {
            builder = Dashboard.builder().port(port).bindAddress(address).servingWindow(servingWindow);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return serve(home, builder, seconds, out, err);
    }

    /**
     * Serves the dashboard over {@code home} with {@code builder}'s settings (the token from {@code MLOPS_TOKEN}
     * when set), printing its URL, until interrupted or for {@code seconds} (when {@code >= 0}).
     */
    static int serve(Path home, Dashboard.Builder builder, long seconds, PrintStream out, PrintStream err)
            throws Exception {
        String token = System.getenv("MLOPS_TOKEN");
        if (token != null && !token.isEmpty()) {
            builder.bearerToken(token);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (Opened opened = open(home, builder)) {
            opened.notes.forEach(n -> out.println("  " + n));
            out.println("dashboard over " + home.toAbsolutePath().normalize() + ": " + opened.dashboard.uri());
            Thread hook = new Thread(stop::countDown, "mlops-dashboard-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            if (seconds >= 0) {
                stop.await(seconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook already ran
            }
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            err.println("mlops dashboard: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /** The dashboard and the stores opened for it; closing closes all. */
    static final class Opened implements AutoCloseable {
        final List<AutoCloseable> stores = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        Dashboard dashboard;

        @Override
        public void close() throws Exception {
            if (dashboard != null) {
                dashboard.close();
            }
            Exception first = null;
            for (int i = stores.size() - 1; i >= 0; i--) {
                try {
                    stores.get(i).close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Opens what {@code home} holds, configures {@code builder} with it and starts the dashboard. */
    static Opened open(Path home, Dashboard.Builder builder) throws Exception {
        Opened o = new Opened();
        try {
            Path registryHome = home.resolve("registry");
            List<String> models = new ArrayList<>();
            if (Files.isDirectory(registryHome)) {
                ModelRegistry registry = attempt(o, "registry/", () -> ModelRegistry.open(registryHome));
                if (registry != null) {
                    builder.registry(registry);
                    registry.models().stream().map(RegisteredModel::name).forEach(models::add);
                }
            }
            if (Files.isDirectory(home.resolve("flows"))) {
                FlowEngine engine = attempt(o, "flows/", () -> FlowEngine.builder().home(home.resolve("flows"))
                        .build());
                if (engine != null) {
                    builder.flows(engine.history());
                }
            }
            if (Files.isDirectory(home.resolve("predictions"))) {
                if (models.isEmpty()) {
                    o.notes.add("predictions/ skipped: no registered model names the traffic to show");
                } else {
                    PredictionLog log = attempt(o, "predictions/", () -> PredictionLog.rollingFiles(
                            home.resolve("predictions")));
                    if (log != null) {
                        builder.serving(log, models.toArray(String[]::new));
                        drift(o, builder, home.resolve("drift"), log, models);
                    }
                }
            }
            Path features = home.resolve("features");
            if (Files.isRegularFile(features.resolve("registry.json"))) {
                FeatureStore store = attempt(o, "features/", () -> FeatureStore.builder().home(features).build());
                if (store != null) {
                    builder.features(store).featureViews(views(features.resolve("registry.json")));
                }
            }
            Path feedback = home.resolve("rag").resolve("feedback.jsonl");
            if (Files.isRegularFile(feedback)) {
                FeedbackStore store = attempt(o, "rag/feedback.jsonl", () -> FeedbackStore.open(feedback));
                if (store != null) {
                    builder.ragFeedback(store);
                }
            }
            o.dashboard = builder.start();
            return o;
        } catch (Exception | Error e) {
            try {
                o.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * A drift page per model with a monitor history in {@code drift/}: {@code <model>.history.jsonl} (the
     * {@link DriftMonitor#builder() monitor's} durable history) beside {@code <model>.profile} (the reference profile
     * it checked against), as {@code mlops demo} leaves them. The monitor is only read, never started.
     */
    private static void drift(Opened o, Dashboard.Builder builder, Path drift, PredictionLog log, List<String> models) {
        for (String model : models) {
            Path history = drift.resolve(model + ".history.jsonl");
            Path profile = drift.resolve(model + ".profile");
            if (Files.isRegularFile(history) && Files.isRegularFile(profile)) {
                DriftMonitor monitor = attempt(o, "drift/" + model, () -> DriftMonitor.builder().log(log).model(model)
                        .reference(ReferenceProfile.load(profile)).historyFile(history).build());
                if (monitor != null) {
                    builder.drift(monitor);
                }
            }
        }
    }

    /** The view names of a feature store's {@code registry.json} ({@code dev.mlops.features.registry/v1}). */
    static String[] views(Path registryJson) throws IOException {
        JsonNode views = new ObjectMapper().readTree(registryJson.toFile()).path("views");
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = views.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names.toArray(String[]::new);
    }

    @FunctionalInterface
    private interface Opener<T extends AutoCloseable> {
        T open();
    }

    /** Opens one store; a store that cannot be opened (held by a running demo, damaged) becomes a note. */
    private static <T extends AutoCloseable> T attempt(Opened o, String what, Opener<T> opener) {
        try {
            T store = opener.open();
            o.stores.add(store);
            return store;
        } catch (MlopsException | IllegalStateException e) {
            // MlopsException: held by a process or damaged; IllegalStateException: a flow engine home in use
            o.notes.add(what + " skipped: " + e.getMessage());
            return null;
        }
    }
}
