/**
 * The Jedis-backed implementation of the online-store SPI: key layout, the conditional-write script,
 * pipelining and the retry loop.
 */
package dev.mlops.features.redis.internal;
