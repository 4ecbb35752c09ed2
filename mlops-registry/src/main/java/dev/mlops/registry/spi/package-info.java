/**
 * The storage SPI of the registry: {@link dev.mlops.registry.spi.TrackingStore} persists experiments, runs and
 * their data (the embedded SQLite store implements it; a PostgreSQL backend can follow), and
 * {@link dev.mlops.registry.spi.Filter} is the parsed run filter a store translates to its own query language.
 */
package dev.mlops.registry.spi;
