package dev.mlops.registry.postgres;

import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.spi.TrackingStore;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link ResilienceIT#killedClientLosesNoAcknowledgedWrite}: logs steps 0, 1, 2... into run
 * {@code args[1]} of database {@code args[0]} forever, printing {@code ack <step>} after each write returned; the
 * parent kills it.
 */
public final class CrashingClient {

    private CrashingClient() {
    }

    public static void main(String[] args) {
        TrackingStore store = PostgresTrackingStore.builder().jdbcUrl(args[0]).build();
        for (long step = 0; ; step++) {
            store.write(args[1], new RunWrite(Map.of("p" + step, "v"),
                    List.of(new MetricPoint("m", step, step, Instant.ofEpochMilli(step))), Map.of(), Map.of(), List.of()));
            System.out.println("ack " + step);
            System.out.flush();
        }
    }
}
