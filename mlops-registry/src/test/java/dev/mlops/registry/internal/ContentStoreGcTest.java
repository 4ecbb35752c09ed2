package dev.mlops.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Fingerprint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's rule against deleting a blob a concurrent writer is about to reference. */
class ContentStoreGcTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(Instant.parse("2026-11-27T00:00:00Z").toEpochMilli());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void aBlobStoredAgainWhileTheCollectorDecidesIsKept() throws Exception {
        ContentStore store = new ContentStore(dir.resolve("artifacts"), clock);
        ContentStore.Blob a = store.put(file("a", "alpha"));
        now.addAndGet(Duration.ofHours(2).toMillis());
        Instant cutoff = clock.instant().minus(Duration.ofHours(1));
        // the writer stores "alpha" again after the collector listed it as old, before it moves it away
        ContentStore.Collected c = store.collect(() -> {
            store.put(unchecked(() -> file("a2", "alpha")));
            return Set.of();
        }, cutoff);
        assertThat(c.deleted()).isZero();
        assertThat(c.tooYoung()).isEqualTo(1);
        assertThat(new String(store.read(a.sha256(), a.size()), StandardCharsets.UTF_8)).isEqualTo("alpha");
    }

    @Test
    void aBlobLeftInTheCollectorsTrashByACrashIsRestoredOnRead() throws Exception {
        ContentStore store = new ContentStore(dir.resolve("artifacts"), clock);
        ContentStore.Blob a = store.put(file("a", "alpha"));
        Path blob = store.blob(a.sha256());
        // the collector moved it aside and was killed before deciding
        Files.move(blob, dir.resolve("artifacts/tmp").resolve(a.sha256().hex() + ".gc"));
        assertThat(blob).doesNotExist();
        assertThat(new String(store.read(a.sha256(), a.size()), StandardCharsets.UTF_8)).isEqualTo("alpha");
        assertThat(blob).exists();
        // and an unreferenced old one left there is deleted by the next collection
        Files.move(blob, dir.resolve("artifacts/tmp").resolve(a.sha256().hex() + ".gc"));
        now.addAndGet(Duration.ofHours(2).toMillis());
        assertThat(store.collect(Set::of, clock.instant().minus(Duration.ofHours(1))).deleted()).isEqualTo(1);
        assertThat(blob).doesNotExist();
        assertThat(Files.list(dir.resolve("artifacts/tmp"))).isEmpty();
        assertThat(Fingerprint.of("alpha".getBytes(StandardCharsets.UTF_8))).isEqualTo(a.sha256());
    }

    private interface Io<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
