/**
 * The registry's storage SPI on a shared PostgreSQL server, for teams whose runs and models are written from
 * several hosts: {@link dev.mlops.registry.postgres.PostgresTrackingStore#builder()} (experiments and runs) and
 * {@link dev.mlops.registry.postgres.PostgresRegistryStore#builder()} (models, versions, aliases, audit log).
 */
package dev.mlops.registry.postgres;
