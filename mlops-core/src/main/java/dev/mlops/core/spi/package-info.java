/**
 * Extension interfaces through which mlops modules meet without depending on each other: training code
 * logs to a {@link dev.mlops.core.spi.RunTracker} that the registry module implements, and serving writes
 * to a {@link dev.mlops.core.spi.PredictionLog} that drift monitoring reads.
 */
package dev.mlops.core.spi;
