/**
 * Reading and writing {@link dev.mlops.core.table.Table}s and other core types: CSV through
 * {@link dev.mlops.core.io.CsvReader} and {@link dev.mlops.core.io.CsvWriter} (Apache Commons CSV underneath),
 * JSON through the Jackson mappers of {@link dev.mlops.core.io.Json}. Bad input fails with a
 * {@link dev.mlops.core.DataFormatException} that names the file, line, column and value.
 */
package dev.mlops.core.io;
