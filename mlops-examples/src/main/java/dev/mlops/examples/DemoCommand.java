package dev.mlops.examples;

import dev.mlops.dashboard.Dashboard;
import dev.mlops.registry.ModelRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mlops demo}: the three end-to-end systems, one after the other, in one fresh home directory.
 *
 * <ol>
 *   <li>{@link ContinuousTrainingDemo}: continuous training with drift detection (breast cancer data);</li>
 *   <li>{@link RagDemo}: RAG over the SQLite documentation (and a BEIR evaluation with {@code --beir});</li>
 *   <li>{@link RealTimeFeaturesDemo}: a real-time feature store (Bike Sharing hourly data).</li>
 * </ol>
 * Then, unless {@code --no-dashboard}, the monitoring dashboard serves the home until interrupted.
 * All three track into one registry, {@code <home>/registry}; see {@code docs/demo.md} for the layout.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Run the three end-to-end systems: continuous training with drift detection, RAG over the "
                + "SQLite documentation, a real-time feature store. See docs/demo.md."})
final class DemoCommand extends CliCommand {

    @Option(names = "--home", paramLabel = "DIR",
            description = "A new or empty directory for every store of the demo (default: a new temporary one).")
    Path home;

    @Option(names = "--no-dashboard", description = "Exit at the end instead of serving the monitoring dashboard.")
    boolean noDashboard;

    @Option(names = "--dashboard-port", paramLabel = "N", defaultValue = "8765",
            description = "The dashboard's port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for any free port).")
    int dashboardPort;

    @Option(names = "--rag-docs", paramLabel = "core|all|PAGE,...", defaultValue = "core",
            description = "SQLite documentation pages to ingest: the ${DEFAULT-VALUE} set of 10 pages (~30 s idle), "
                    + "all 75 (~3 min on 2 cores), or a list of page files (e.g. wal.txt,lockingv3.txt).")
    String ragDocs;

    @Option(names = "--beir", paramLabel = "DIR",
            description = "A BEIR dataset directory (corpus.jsonl, queries.jsonl, qrels/test.tsv): evaluate BM25, "
                    + "dense and hybrid retrieval on it, tracked as runs.")
    Path beir;

    @Option(names = "--llm-url", paramLabel = "URL",
            description = "Answer with an Ollama or OpenAI-compatible server at URL instead of the extractive "
                    + "generator (OpenAI key from $OPENAI_API_KEY).")
    String llmUrl;

    @Option(names = "--llm-api", paramLabel = "ollama|openai", defaultValue = "ollama",
            description = "The API of --llm-url (default: ${DEFAULT-VALUE}).")
    String llmApi;

    @Option(names = "--llm-model", paramLabel = "NAME", description = "The model --llm-url runs, e.g. llama3.2:1b.")
    String llmModel;

    DemoCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** What the whole demo did. */
    record Outcome(Path home, ContinuousTrainingDemo.Result training, RagDemo.Result rag,
                   RealTimeFeaturesDemo.Result features) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> pages = switch (ragDocs) {
            case "core" -> RagDemo.CORE_PAGES;
            case "all" -> List.of();
            default -> Arrays.stream(ragDocs.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
        };
        RagDemo.Settings rag;
        try {
            rag = new RagDemo.Settings(ExampleData.locate("sqlite_docs/wal.txt").resolve("sqlite_docs"),
                    pages, Optional.ofNullable(llmUrl), llmApi, llmModel, Optional.ofNullable(beir));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (beir != null && !Files.isRegularFile(beir.resolve("corpus.jsonl"))) {
            throw usage("--beir " + beir + " has no corpus.jsonl; pass a BEIR dataset directory such as "
                    + "../shared/data/beir/scifact");
        }
        Path dir = home;
        if (dir == null) {
            dir = Files.createTempDirectory("mlops-demo");
        } else if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw usage("--home " + dir + " is not empty; the demo starts from a fresh home. Fix: pass a new "
                            + "or empty directory, or omit --home for a temporary one");
                }
            }
        }
        Outcome outcome = run(dir, rag, ExampleData.locate("bike_sharing/hour.csv").resolve("bike_sharing/hour.csv"),
                out);

        // ---------------------------------------------------------------- DASHBOARD
        // The monitoring dashboard over the demo's home, as `mlops dashboard --home <home>` serves it, on a free
        // loopback port until interrupted. Its serving window reaches back to the demo's simulated traffic.
        if (!noDashboard) {
            Duration window = Duration.between(ContinuousTrainingDemo.START, Instant.now()).plusDays(1);
            out.println("[dashboard] serving the demo's stores until interrupted (Ctrl-C); --no-dashboard skips this");
            return DashboardCommand.serve(outcome.home(), Dashboard.builder().port(dashboardPort)
                    .servingWindow(window.isNegative() ? Duration.ofDays(7) : window), -1, out, err);
        }
        // ---------------------------------------------------------------- end DASHBOARD
        return Main.EXIT_OK;
    }

    /** Runs the three scenarios in {@code home}. */
    static Outcome run(Path home, RagDemo.Settings rag, Path bikeHours, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        out.println("== mlops demo: three end-to-end systems in " + home.toAbsolutePath());
        ContinuousTrainingDemo.Result training = ContinuousTrainingDemo.run(home, out);
        out.printf("== 1. done in %d s%n", seconds(t0));
        long t1 = System.nanoTime();
        RagDemo.Result ragResult;
        RealTimeFeaturesDemo.Result features;
        try (ModelRegistry registry = ModelRegistry.builder().home(home.resolve("registry"))
                .principal(() -> "mlops-demo").build()) {
            ragResult = RagDemo.run(home.resolve("rag"), rag, registry, Clock.systemUTC(), out);
            out.printf("== 2. done in %d s%n", seconds(t1));
            long t2 = System.nanoTime();
            features = RealTimeFeaturesDemo.run(home.resolve("features"), home.resolve("feature-sources"), bikeHours,
                    registry, out);
            out.printf("== 3. done in %d s%n", seconds(t2));
        }
        out.printf("== all three systems done in %d s; registry, flows, prediction log, RAG index and feature store "
                + "in %s%n", seconds(t0), home.toAbsolutePath());
        out.println("   look around: ./mlops registry list --home " + home.resolve("registry") + "   ./mlops flows runs --home "
                + home.resolve("flows") + " --flow " + ContinuousTrainingDemo.FLOW);
        return new Outcome(home, training, ragResult, features);
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
