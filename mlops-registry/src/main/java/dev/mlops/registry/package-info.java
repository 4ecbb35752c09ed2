/**
 * Registry API: the {@link dev.mlops.registry.ModelRegistry} entry point, tracked runs with batch and buffered
 * logging, run search with its filter language, and the records these return.
 */
package dev.mlops.registry;
