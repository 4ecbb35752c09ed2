/**
 * Extension points of the feature store: {@link dev.mlops.features.spi.OnlineStore}, implemented by the
 * embedded Chronicle Map store and by adapters such as Redis.
 */
package dev.mlops.features.spi;
