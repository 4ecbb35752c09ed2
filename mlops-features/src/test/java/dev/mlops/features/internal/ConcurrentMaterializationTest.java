package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.MaterializationInProgressException;
import dev.mlops.features.MaterializeChild;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One materializer per store: a second process (here: this test JVM beside a child JVM) is refused, not mixed in. */
class ConcurrentMaterializationTest {

    @TempDir
    Path dir;

    static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant END = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void aSecondProcess_isRefusedWhileOneMaterializes_andMaterializesOnceItFinished() throws Exception {
        int keys = 2_000;
        Schema s = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("x", ColumnType.DOUBLE)
                .addNullable("label", ColumnType.STRING).build();
        TableBuilder b = Table.builder(s);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        for (int k = 0; k < keys; k++) {
            b.addRow((long) k, t0, t0, k + 0.5, "u" + k);
        }
        Path csv = dir.resolve("stats.csv");
        CsvWriter.builder().build().write(b.build(), csv);
        Path home = dir.resolve("home");
        Path log = dir.resolve("child.log");
        // the child materializes 2,000 keys in batches of 20, pausing 20 ms per batch: about 2 s of holding the lock
        Process child = ChildJvm.start(ChildJvm.parentFlags(), MaterializeChild.class,
                List.of(home.toString(), csv.toString(), "20"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("PROGRESS") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(Files.readString(log)).as("the child is materializing").contains("PROGRESS")
                    .doesNotContain("DONE");
            Method defs = MaterializeChild.class.getDeclaredMethod("definitions", Path.class);
            defs.setAccessible(true);
            try (FeatureStore store = FeatureStore.builder().home(home).onlineCapacity(50_000).build()) {
                store.apply((dev.mlops.features.Definitions) defs.invoke(null, csv));
                assertThatThrownBy(() -> store.materialize(START, END))
                        .isInstanceOfSatisfying(MaterializationInProgressException.class, e -> {
                            assertThat(e.holder()).contains("process " + child.pid());
                            assertThat(e.lockFile()).isEqualTo(home.resolve("materialize.lock"));
                            assertThat(e.retriable()).isTrue();
                        })
                        .hasMessageContaining("one process materializes a store at a time");
                assertThatThrownBy(() -> store.materializeIncremental(END))
                        .isInstanceOf(MaterializationInProgressException.class);
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(log)).contains("DONE");
                // the child is done (its lock released): now this process materializes
                assertThat(store.materialize(START, END).rowsWritten().get("stats")).isEqualTo((long) keys);
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void twoStoreObjectsInOneJvm_onOneHome_areRefusedToo() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        try (MaterializationLock held = MaterializationLock.acquire(home, START)) {
            assertThatThrownBy(() -> MaterializationLock.acquire(home, START))
                    .isInstanceOf(MaterializationInProgressException.class)
                    .hasMessageContaining("another FeatureStore object in this JVM")
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        // released: it can be taken again
        MaterializationLock.acquire(home, START).close();
    }
}
