package dev.mlops.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.RetriableException;
import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server goes away while the store is in use: stopped cleanly, and killed with SIGKILL while a writer
 * runs. The server keeps an append-only file fsynced on every write ({@code appendonly yes},
 * {@code appendfsync always}), so every write the store acknowledged must be there after a restart.
 */
class RedisFailureIT {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.aof();

    private static OnlineStore store(String namespace, int retries) {
        return RedisOnlineStore.builder().port(REDIS.port()).namespace(namespace).retries(retries)
                .retryBackoff(Duration.ofMillis(20)).timeout(Duration.ofMillis(1000)).build();
    }

    private static OnlineRecord rec(String key, long event, int b) {
        return new OnlineRecord(key, event, 0, new byte[] {(byte) b, 1, 2});
    }

    @Test
    void stoppedServer_givesARetriableErrorNamingTheServer_andTheStoreRecoversWhenItReturns() throws Exception {
        try (OnlineStore s = store("stop", 2)) {
            s.write("v", List.of(rec("a", 10, 1)));
            s.setWatermark("v", 10);
            REDIS.stop();
            try {
                assertThatThrownBy(() -> s.write("v", List.of(rec("b", 20, 2))))
                        .isInstanceOf(ResourceUnavailableException.class).isInstanceOf(RetriableException.class)
                        .hasMessageContaining("redis://127.0.0.1:" + REDIS.port()).hasMessageContaining("3 attempts")
                        .satisfies(e -> assertThat(((ResourceUnavailableException) e).resource()).isEqualTo("redis://127.0.0.1:" + REDIS.port()));
                assertThatThrownBy(() -> s.read("v", "a")).isInstanceOf(ResourceUnavailableException.class);
                assertThatThrownBy(() -> s.readAll("v", List.of("a"))).isInstanceOf(ResourceUnavailableException.class);
                assertThatThrownBy(() -> s.watermarks()).isInstanceOf(ResourceUnavailableException.class);
            } finally {
                REDIS.start();
            }
            // the same store object: pooled connections to the dead server are replaced; the restarted
            // server has no script cache, so the first write reloads the script
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 1));
            assertThat(s.watermark("v")).hasValue(10);
            s.write("v", List.of(rec("b", 20, 2), rec("a", 5, 9)));
            assertThat(s.readAll("v", List.of("a", "b"))).containsExactly(rec("a", 10, 1), rec("b", 20, 2));
        }
    }

    @Test
    void serverKilledMidWrite_losesNoAcknowledgedWrite() throws Exception {
        List<Integer> acknowledged = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        try (OnlineStore s = store("kill", 0)) {
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000_000; i++) {
                        s.write("v", List.of(rec("k" + i, i, i)));
                        acknowledged.add(i);
                        if (i % 50 == 0) {
                            s.setWatermark("v", i);
                        }
                    }
                } catch (Throwable t) {
                    writerError.set(t);
                }
            });
            writer.start();
            while (acknowledged.size() < 300 && writer.isAlive()) {
                Thread.sleep(5);
            }
            REDIS.kill();
            writer.join(30_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(writerError.get()).as("the writer stopped on the kill with a retriable error")
                    .isInstanceOf(ResourceUnavailableException.class);
            REDIS.start();
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(300);
            for (int i : acknowledged) {
                assertThat(s.read("v", "k" + i)).as("acknowledged write %d", i).isEqualTo(rec("k" + i, i, i));
            }
            // the watermark set last before the kill (it was acknowledged) is there too
            int lastMark = acknowledged.get(acknowledged.size() - 1) / 50 * 50;
            assertThat(s.watermark("v").orElseThrow()).isGreaterThanOrEqualTo(lastMark - 50L);
        }
    }
}
