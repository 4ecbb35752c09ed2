/**
 * Implementation of the registry: the SQLite tracking store, the content-addressed artifact store, the filter
 * parser, buffered logging and provenance capture. Not exported.
 */
package dev.mlops.registry.internal;
