/**
 * Implementation of the feature store: the point-in-time join engine, the DuckDB Parquet reader, the
 * Chronicle Map online store, the registry file and the value codec. Not exported.
 */
package dev.mlops.features.internal;
