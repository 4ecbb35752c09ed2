package dev.mlops.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client JVM writing through the adapter is killed with SIGKILL: every write it acknowledged (its
 * {@code write} call returned) is readable afterwards, whole. Also checks the adapter's meters on a live server.
 */
class RedisKilledClientIT {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.ephemeral();

    static final int BATCH = 10;

    static OnlineRecord record(int batch, int i) {
        String key = "e" + (batch * BATCH + i);
        return new OnlineRecord(key, 1_000L * batch, 7L, ("payload-" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The child: writes batches of {@value #BATCH} records until killed, printing {@code ACK <batch>} after each. */
    public static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            try (OnlineStore s = RedisOnlineStore.builder().port(Integer.parseInt(args[0])).namespace("killed").build()) {
                for (int b = 0; ; b++) {
                    List<OnlineRecord> batch = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        batch.add(record(b, i));
                    }
                    s.write("v", batch);
                    s.setWatermark("v", b);
                    System.out.println("ACK " + b);
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void everyAcknowledgedWrite_ofAKilledClient_isReadable() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                Integer.toString(REDIS.port())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int lastAck = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                    if (lastAck >= 200) {
                        break;
                    }
                }
            }
            p.destroyForcibly(); // SIGKILL, most likely in the middle of a pipeline
            assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(lastAck).as("acknowledged batches").isGreaterThanOrEqualTo(200);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (OnlineStore s = RedisOnlineStore.builder().port(REDIS.port()).namespace("killed").meterRegistry(meters)
                .build()) {
            // The watermark is at least the last acknowledged batch. The child may have acknowledged more batches
            // after the last ACK this test read (its stdout is a pipe buffer ahead of us), so there is no upper
            // bound; but it sets the watermark only after the batch's write returned, so every batch up to the
            // watermark must be complete too.
            long watermark = s.watermark("v").getAsLong();
            assertThat(watermark).isGreaterThanOrEqualTo(lastAck);
            for (int b = 0; b <= watermark; b++) {
                List<String> keys = new ArrayList<>();
                List<OnlineRecord> expected = new ArrayList<>();
                for (int i = 0; i < BATCH; i++) {
                    expected.add(record(b, i));
                    keys.add(expected.get(i).key());
                }
                assertThat(s.readAll("v", keys)).as("batch %d", b).containsExactlyElementsOf(expected);
            }
            assertThat(meters.get("mlops.features.redis.calls").tag("op", "read_all").tag("outcome", "ok").timer()
                    .count()).isEqualTo(watermark + 1L);
            assertThat(meters.get("mlops.features.redis.pool.idle").gauge().value()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("mlops.features.redis.pool.active").gauge().value()).isZero();
            assertThat(meters.find("mlops.features.redis.errors").counter()).isNull();
        }
    }
}
