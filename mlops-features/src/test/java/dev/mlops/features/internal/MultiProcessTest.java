package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A second process reads the Chronicle store while this one holds it, without recovery and without disturbing it. */
class MultiProcessTest {

    @TempDir
    Path dir;

    @Test
    void readerProcess_seesTheWritersRecordsAndWatermark_andLeavesTheWriterUndisturbed() throws Exception {
        Path store = dir.resolve("online");
        try (OnlineStore writer = OnlineStores.chronicle(store, 1000)) {
            writer.write("v", List.of(new OnlineRecord("a", 42, 43, new byte[] {1, 2, 3})));
            writer.setWatermark("v", 777);
            for (int round = 0; round < 2; round++) {
                Path log = dir.resolve("reader" + round + ".log");
                Process p = ChildJvm.start(ChildJvm.parentFlags(), ReaderChild.class, List.of(store.toString(), "v", "a"), log);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = Files.readString(log);
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(out).contains("RECORD " + (round == 0 ? 42 : 50) + " 3").contains("WATERMARK OptionalLong[" + (round == 0 ? 777 : 888) + "]")
                        .doesNotContain("recovering");
                assertThat(store.resolve(".writer-open")).as("the reader leaves the writer's marker").exists();
                // the writer keeps writing after the reader has gone
                writer.write("v", List.of(new OnlineRecord("a", 50, 51, new byte[] {4, 5, 6})));
                writer.setWatermark("v", 888);
            }
            assertThat(writer.read("v", "a").eventMicros()).isEqualTo(50);
        }
        assertThat(store.resolve(".writer-open")).doesNotExist();
    }
}
