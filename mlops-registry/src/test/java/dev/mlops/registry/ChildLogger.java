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

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        boolean forever = args[1].equals("forever");
        int batches = Integer.parseInt(args[2]);
        PrintStream out = System.out;
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
