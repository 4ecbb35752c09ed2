package dev.mlops.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child JVM of {@link RollingFilePredictionLogProcessIT}. Modes:
 * <ul>
 *   <li>{@code crash <dir>}: appends {@link #record(int)} for i = 0, 1, 2, ... forever, flushing after every
 *       50 and then printing {@code flushed N} (N records acknowledged); the parent kills it.</li>
 *   <li>{@code hold <dir>}: opens the log, prints {@code locked}, and closes it when stdin ends.</li>
 * </ul>
 */
public final class PredictionLogChild {

    static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    private PredictionLogChild() {
    }

    /** Record number {@code i}: deterministic, with out-of-order timestamps and every value type. */
    static PredictionRecord record(int i) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("x", i * 0.5);
        inputs.put("n", (long) i);
        inputs.put("flag", i % 2 == 0);
        inputs.put("s", "v" + (i % 7));
        inputs.put("t", T0.plusSeconds(i));
        inputs.put("missing", null);
        Object output = i % 3 == 0 ? new double[] {i, -i, Double.NaN} : (Object) (i / 3.0);
        Instant timestamp = T0.plusMillis((i * 7919L) % 100_003).plusNanos(i % 1000);
        return new PredictionRecord("m", "v" + (i % 2), timestamp, "r" + i, inputs, output, i);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "crash" -> {
                PredictionLog log = PredictionLog.rollingFilesBuilder(dir).maxFileBytes(16 << 10).build();
                for (int i = 0; ; i++) {
                    log.append(record(i));
                    if ((i + 1) % 50 == 0) {
                        log.flush();
                        if (log.dropped() != 0) {
                            System.out.println("dropped " + log.dropped());
                            System.exit(2);
                        }
                        System.out.println("flushed " + (i + 1));
                        System.out.flush();
                    }
                }
            }
            case "hold" -> {
                try (PredictionLog log = PredictionLog.rollingFiles(dir)) {
                    System.out.println("locked");
                    System.out.flush();
                    System.in.readAllBytes();
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + "; use crash or hold");
        }
    }
}
