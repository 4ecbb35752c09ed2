/**
 * The feature store's online store on Redis: {@link dev.mlops.features.redis.RedisOnlineStore}.
 */
module dev.mlops.features.redis {
    requires transitive dev.mlops.features;
    requires redis.clients.jedis;
    requires org.apache.commons.pool2;
    requires org.slf4j;
    requires micrometer.core;

    exports dev.mlops.features.redis;
}
