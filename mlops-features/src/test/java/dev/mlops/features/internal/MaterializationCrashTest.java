package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.MaterializeChild;
import dev.mlops.features.spi.OnlineStore;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A materializing JVM killed (SIGKILL) mid-way, then the run repeated: the store ends as a clean run leaves it. */
class MaterializationCrashTest {

    @TempDir
    Path dir;

    @Test
    void killedMaterialization_rerun_endsExactlyAsACleanRun() throws Exception {
        int keys = 6_000;
        Random rnd = new Random(9);
        Schema s = Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("x", ColumnType.DOUBLE)
                .addNullable("label", ColumnType.STRING).build();
        TableBuilder b = Table.builder(s);
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        for (int k = 0; k < keys; k++) {
            for (int j = 0; j < 2; j++) {
                Instant ev = t0.plusSeconds(j * 3600L + rnd.nextInt(60));
                b.addRow((long) k, ev, ev, rnd.nextInt(10) == 0 ? null : rnd.nextDouble(), "u" + k + "-" + j);
            }
        }
        Path csv = dir.resolve("stats.csv");
        CsvWriter.builder().build().write(b.build(), csv);

        Path crashed = dir.resolve("crashed");
        Path log = dir.resolve("child.log");
        Process p = ChildJvm.start(ChildJvm.parentFlags(), MaterializeChild.class, List.of(crashed.toString(), csv.toString()), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int wanted = 20 + rnd.nextInt(150);
        while (progressLines(log) < wanted && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(log);
        assertThat(out).as("the child was killed mid-way").doesNotContain("DONE").contains("PROGRESS");
        assertThat(crashed.resolve("online/.writer-open")).as("the writer did not close").exists();

        Method defs = MaterializeChild.class.getDeclaredMethod("definitions", Path.class);
        defs.setAccessible(true);
        Object d = defs.invoke(null, csv);
        for (Path home : List.of(crashed, dir.resolve("clean"))) {
            try (FeatureStore store = FeatureStore.builder().home(home).onlineCapacity(50_000).build()) {
                store.apply((dev.mlops.features.Definitions) d);
                store.materialize(Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00Z"));
            }
        }
        try (OnlineStore a = OnlineStores.chronicle(crashed.resolve("online"), 50_000);
             OnlineStore c = OnlineStores.chronicle(dir.resolve("clean/online"), 50_000)) {
            assertThat(a.size("stats")).isEqualTo(keys).isEqualTo(c.size("stats"));
            assertThat(a.watermarks()).isEqualTo(c.watermarks());
            for (int k = 0; k < keys; k++) {
                assertThat(a.read("stats", Long.toString(k))).isEqualTo(c.read("stats", Long.toString(k)));
            }
        }
    }

    private static int progressLines(Path log) throws java.io.IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        return (int) Files.readAllLines(log).stream().filter(l -> l.startsWith("PROGRESS")).count();
    }
}
