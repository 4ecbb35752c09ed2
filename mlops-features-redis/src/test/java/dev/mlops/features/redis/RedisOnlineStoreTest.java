package dev.mlops.features.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.features.spi.OnlineStore;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's checks and the error when nothing listens; no server needed. */
class RedisOnlineStoreTest {

    @Test
    void builder_rejectsBadValues_namingTheParameterAndValue() {
        assertThatThrownBy(() -> RedisOnlineStore.builder().port(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port").hasMessageContaining("0");
        assertThatThrownBy(() -> RedisOnlineStore.builder().namespace("a:b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a:b'");
        assertThatThrownBy(() -> RedisOnlineStore.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> RedisOnlineStore.builder().retries(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> RedisOnlineStore.builder().keyExpiry("v", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'v'");
    }

    @Test
    void noServerListening_givesResourceUnavailable_afterTheRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (OnlineStore s = RedisOnlineStore.builder().port(port).retries(1).retryBackoff(Duration.ZERO).build()) {
            assertThatThrownBy(() -> s.read("v", "a")).isInstanceOf(ResourceUnavailableException.class)
                    .hasMessageContaining("redis://127.0.0.1:" + port).hasMessageContaining("2 attempts");
        }
    }

    @Test
    void noServerListening_isCountedAndTimed_asAFailedCallWithConnectionErrorsAndRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (OnlineStore s = RedisOnlineStore.builder().port(port).retries(2).retryBackoff(Duration.ZERO)
                .meterRegistry(meters).build()) {
            assertThatThrownBy(() -> s.read("v", "a")).isInstanceOf(ResourceUnavailableException.class);
            // 3 attempts: 3 connection errors, 2 retries, 1 failed call
            assertThat(meters.get("mlops.features.redis.errors").tag("cause", "connection").counter().count()).isEqualTo(3);
            assertThat(meters.get("mlops.features.redis.retries").counter().count()).isEqualTo(2);
            assertThat(meters.get("mlops.features.redis.calls").tag("op", "read").tag("outcome", "error").timer().count())
                    .isEqualTo(1);
            assertThat(meters.find("mlops.features.redis.calls").tag("outcome", "ok").timer()).isNull();
            assertThat(meters.get("mlops.features.redis.pool.max").tag("server", "redis://127.0.0.1:" + port).gauge()
                    .value()).isEqualTo(16);
            assertThat(meters.get("mlops.features.redis.pool.active").gauge().value()).isZero();
        }
        assertThat(meters.find("mlops.features.redis.pool.active").gauge()).as("removed on close").isNull();
    }

    @Test
    void aClosedStore_refusesCalls() {
        OnlineStore s = RedisOnlineStore.builder().build();
        s.close();
        assertThatThrownBy(() -> s.read("v", "a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
