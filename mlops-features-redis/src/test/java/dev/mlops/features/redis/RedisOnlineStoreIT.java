package dev.mlops.features.redis;

import dev.mlops.features.spi.OnlineStore;
import dev.mlops.features.spi.OnlineStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis store against the online-store contract, on a real {@code redis-server}. Each test's folder
 * maps to its own key namespace, so reopening "the same folder" reopens the same Redis data.
 */
class RedisOnlineStoreIT extends OnlineStoreContract {

    @RegisterExtension
    static final RedisServer REDIS = RedisServer.ephemeral();

    @Override
    protected OnlineStore open(Path home) {
        return RedisOnlineStore.builder().port(REDIS.port()).namespace("t" + Integer.toHexString(home.toString().hashCode())).build();
    }
}
