/**
 * The columnar {@link dev.mlops.core.table.Table}, its {@link dev.mlops.core.table.Schema} and typed
 * columns: the one data type that every module of the SDK reads and writes.
 */
package dev.mlops.core.table;
