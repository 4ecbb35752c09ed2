package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Child JVM main: materializes the crash-test view into a store, printing progress; the test kills it mid-way. */
public final class MaterializeChild {

    private MaterializeChild() {
    }

    static Definitions definitions(Path csv) {
        Entity e = Entity.of("user", "k", ColumnType.LONG);
        FeatureView v = FeatureView.builder("stats").entity(e).feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .ttl(Duration.ZERO).source(BatchSource.csv(csv)).build();
        return Definitions.builder().entity(e).view(v).build();
    }

    static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2030-01-01T00:00:00Z");

    /** Milliseconds to sleep per progress report: args[2], default 2. */
    static long pause = 2;

    public static void main(String[] args) throws Exception {
        if (args.length > 2) {
            pause = Long.parseLong(args[2]);
        }
        MaterializationListener slow = new MaterializationListener() {
            @Override
            public void progress(String view, long done, long keys) {
                System.out.println("PROGRESS " + done + "/" + keys);
                System.out.flush();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        try (FeatureStore store = FeatureStore.builder().home(Path.of(args[0])).materializationListener(slow)
                .materializationBatchSize(20).onlineCapacity(50_000).build()) {
            store.apply(definitions(Path.of(args[1])));
            store.materialize(START, END);
        }
        System.out.println("DONE");
    }
}
