/**
 * The registry's {@link dev.mlops.registry.spi.TrackingStore} on a shared PostgreSQL server, for teams whose runs
 * are logged from several hosts: {@link dev.mlops.registry.postgres.PostgresTrackingStore#builder()}.
 */
package dev.mlops.registry.postgres;
