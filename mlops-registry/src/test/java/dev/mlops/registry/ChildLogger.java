package dev.mlops.registry;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The child JVM of {@link MultiProcessTest}: logs into a registry and prints one line per acknowledged write
 * ({@code ACK <step>} after {@code logBatch} returned, {@code BACK <upto>} after a buffered {@code flush}
 * returned), so the parent knows exactly what must survive a kill.
 *
 * <p>Arguments: {@code home mode batches}; mode {@code run} finishes and prints {@code DONE}, mode {@code forever}
 * logs until killed.
 */
public final class ChildLogger {

    private ChildLogger() {
    }

    /** Registers versions and moves an alias until killed; prints {@code VACK <version>} after each. */
    private static void register(Path home, PrintStream out) {
        try (ModelRegistry registry = ModelRegistry.builder().home(home).principal(() -> "child").build()) {
            String runId;
            try (RegistryRun run = registry.startRun("models", "source")) {
                java.nio.file.Path f = java.nio.file.Files.writeString(home.resolve("weights.bin"), "weights");
                run.logArtifact(f, "model");
                runId = run.runId();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            while (true) {
                ModelVersion v = registry.createVersion(VersionRequest.builder("m", runId, "model").reason("loop").build());
                registry.setAlias("m", "champion", v.version(), "newest");
                out.println("VACK " + v.version());
                out.flush();
            }
        }
    }

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        boolean forever = args[1].equals("forever");
        int batches = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        if (args[1].equals("register")) {
            register(home, out);
            return;
        }
        try (ModelRegistry registry = ModelRegistry.builder().home(home).bufferChunkSize(64).build();
             RegistryRun run = registry.startRun("shared", "child-" + ProcessHandle.current().pid())) {
            out.println("RUN " + run.runId());
            out.flush();
            MetricLogger buffered = run.bufferedLogger();
            long bufferedStep = 0;
            for (int i = 0; forever || i < batches; i++) {
                RunBatch.Builder b = RunBatch.builder().param("p" + i, Integer.toString(i)).tag("last", Integer.toString(i));
                for (int k = 0; k < 10; k++) {
                    b.metric("m" + k, i, i);
                }
                run.logBatch(b.build());
                out.println("ACK " + i);
                for (int k = 0; k < 100; k++) {
                    buffered.log("fast", bufferedStep, bufferedStep);
                    bufferedStep++;
                }
                if (i % 5 == 4) {
                    buffered.flush();
                    out.println("BACK " + bufferedStep);
                }
                out.flush();
            }
            buffered.close();
            out.println("BACK " + bufferedStep);
        }
        out.println("DONE");
        out.flush();
    }
}
