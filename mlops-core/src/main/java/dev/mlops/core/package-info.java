/**
 * Types shared by every mlops module: the unchecked {@link dev.mlops.core.MlopsException} hierarchy, split
 * into retriable and non-retriable failures so a retry policy can decide by type, and the SHA-256
 * {@link dev.mlops.core.Fingerprint} that identifies data, models and runs by content.
 */
package dev.mlops.core;
