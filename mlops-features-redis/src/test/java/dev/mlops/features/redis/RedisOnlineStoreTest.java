package dev.mlops.features.redis;

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
    void aClosedStore_refusesCalls() {
        OnlineStore s = RedisOnlineStore.builder().build();
        s.close();
        assertThatThrownBy(() -> s.read("v", "a")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
