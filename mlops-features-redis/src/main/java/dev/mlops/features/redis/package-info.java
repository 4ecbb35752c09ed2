/**
 * The Redis online store: its builder, the only public type. Jedis stays behind it, in {@code internal}.
 */
package dev.mlops.features.redis;
