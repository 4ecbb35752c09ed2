package dev.mlops.features.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** What the contract does not pin down: extreme timestamps, batches over the pipeline size, key expiry. */
class RedisSemanticsIT {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.ephemeral();

    private static final long[] TIMES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1_000_000, -1, 0, 1, 255, 256, 1_000_000,
        Long.MAX_VALUE - 1, Long.MAX_VALUE};

    @Test
    void theConditionalWrite_ordersByEventThenCreated_acrossSignsAndExtremes_asOnlineRecordNewerThanDoes() {
        Random rnd = new Random(3);
        try (OnlineStore s = RedisOnlineStore.builder().port(REDIS.port()).namespace("order").build()) {
            for (int i = 0; i < 400; i++) {
                OnlineRecord a = new OnlineRecord("k" + i, TIMES[rnd.nextInt(TIMES.length)], TIMES[rnd.nextInt(TIMES.length)], new byte[] {1});
                OnlineRecord b = new OnlineRecord("k" + i, TIMES[rnd.nextInt(TIMES.length)], TIMES[rnd.nextInt(TIMES.length)], new byte[] {2});
                s.write("v", List.of(a));
                s.write("v", List.of(b));
                // the reference: the SPI's own rule, evaluated in Java (the store evaluates it in Lua on bytes)
                OnlineRecord expected = a.newerThan(b) ? a : b;
                assertThat(s.read("v", "k" + i)).as("%s then %s", a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void batchesLargerThanOnePipeline_areWrittenWhole_andReadAllKeepsTheOrder() {
        try (OnlineStore s = RedisOnlineStore.builder().port(REDIS.port()).namespace("batch").build()) {
            List<OnlineRecord> records = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 2_500; i++) {
                records.add(new OnlineRecord("e" + i, i, i, new byte[] {(byte) i, (byte) (i >> 8)}));
                keys.add("e" + (2_499 - i));
            }
            s.write("big", records);
            assertThat(s.size("big")).isEqualTo(2_500);
            List<OnlineRecord> back = s.readAll("big", keys);
            for (int i = 0; i < 2_500; i++) {
                assertThat(back.get(i)).isEqualTo(records.get(2_499 - i));
            }
            assertThat(s.size("bi")).isZero(); // a view whose name is a prefix of another's
        }
    }

    @Test
    void keyExpiry_isTheEventTimePlusTheViewTtlPlusGrace_onRedisClock() {
        Duration ttl = Duration.ofHours(1);
        Duration grace = Duration.ofMinutes(1);
        try (OnlineStore s = RedisOnlineStore.builder().port(REDIS.port()).namespace("exp").keyExpiry("v", ttl)
                .keyExpiryGrace(grace).build(); Jedis raw = REDIS.client()) {
            long nowMillis = System.currentTimeMillis();
            long event = nowMillis * 1000;
            s.write("v", List.of(new OnlineRecord("fresh", event, event, new byte[] {1})));
            long expireAt = raw.pexpireTime("exp:r:v:fresh");
            // the expected instant, computed here from the definition: event + ttl + grace
            assertThat(expireAt).isEqualTo(nowMillis + ttl.toMillis() + grace.toMillis());

            long old = (nowMillis - ttl.toMillis() - grace.toMillis() - 1_000) * 1000;
            s.write("v", List.of(new OnlineRecord("stale", old, old, new byte[] {1})));
            assertThat(s.read("v", "stale")).as("already past event + ttl + grace when written").isNull();

            s.write("w", List.of(new OnlineRecord("kept", old, old, new byte[] {1})));
            assertThat(raw.pttl("exp:r:w:kept")).as("a view without key expiry").isEqualTo(-1L);
            assertThat(s.read("w", "kept")).isNotNull();
        }
    }
}
