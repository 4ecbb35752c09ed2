/**
 * Data validation: declare what a {@link dev.mlops.core.table.Table} must satisfy with
 * {@link dev.mlops.core.validation.Expectations#builder()}, then check tables with the built
 * {@link dev.mlops.core.validation.Validator} to get a {@link dev.mlops.core.validation.ValidationReport},
 * an exception, a split into passing and failing rows, or a quarantine file of the rejected rows.
 */
package dev.mlops.core.validation;
