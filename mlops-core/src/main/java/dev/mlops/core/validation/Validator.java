package dev.mlops.core.validation;

import dev.mlops.core.table.Table;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks tables against the rules declared with {@link Expectations#builder()}. Immutable and thread-safe:
 * one validator may check many tables from many threads at once.
 *
 * <p>Every mode first resolves the rules against the table: a rule on a missing column throws
 * {@link dev.mlops.core.ColumnNotFoundException} and a rule of the wrong kind for its column's type throws
 * {@link dev.mlops.core.SchemaMismatchException}, before any rule runs and before anything is written
 * (unless the column declares {@code ofType}, which turns both into report failures). An exception thrown by
 * a custom predicate propagates unchanged. Apart from these, bad data never makes {@link #validate} or
 * {@link #split} throw: it is reported.
 *
 * <p><b>Table-level failures</b> ({@code rowCount}, {@code maxNullShare}, {@code ofType}) say the table as a
 * whole is wrong; no row is to blame, so they do not move rows to the failing side. {@link #split} still
 * splits on the row-level rules and reports the table-level failures in its report (and rules skipped because
 * their column failed {@code ofType} checked no row); {@link #quarantine} refuses the whole table.
 */
public interface Validator {

    /** Checks {@code table} against every rule and reports what failed; never throws for bad data. */
    ValidationReport validate(Table table);

    /**
     * Checks {@code table} and returns it unchanged if every rule passed.
     *
     * @throws dev.mlops.core.ValidationException if any rule failed: its summary is the report's
     *                                            {@link ValidationReport#headline() headline}, its failures one
     *                                            line per failed rule with the count and the first examples
     */
    Table validateOrThrow(Table table);

    /**
     * Splits {@code table} into the rows that pass every row-level rule and those that fail at least one, both
     * in their original order, with the report. A row-level failure moves its row to the failing side;
     * table-level failures are only reported (check {@link ValidationReport#passed()} or
     * {@link ValidationReport#tableFailures()}).
     */
    SplitResult split(Table table);

    /**
     * Writes the rows of {@code table} that fail a row-level rule to the CSV file {@code file} and returns the
     * rows that pass. The file has the table's columns, then {@code _row}, the row's index in {@code table},
     * and {@code _reasons}, the descriptions of every rule the row failed joined by {@code "; "} (see
     * {@link SplitResult#failingWithReasons()}). It is written by {@link dev.mlops.core.io.CsvWriter}: a header
     * row, nulls as empty unquoted fields, doubles in shortest round-trip form, timestamps as ISO-8601 UTC, UTF-8;
     * {@link dev.mlops.core.io.CsvReader} reads it back.
     *
     * <ul>
     *   <li>A <b>table-level failure</b> rejects the whole table: a {@link dev.mlops.core.ValidationException}
     *       is thrown and nothing is written.</li>
     *   <li><b>No failing row</b>: nothing is written, an existing {@code file} is left as it is (a file from
     *       an earlier run is not deleted), and {@code table} is returned.</li>
     *   <li>Otherwise the file is written <b>atomically</b>: to a temporary file in the same directory, forced
     *       to disk, then renamed over {@code file}, replacing an existing file. If writing fails, the temporary
     *       file is removed and an existing {@code file} keeps its old content.</li>
     * </ul>
     *
     * @throws dev.mlops.core.ValidationException          if a table-level rule failed; nothing was written
     * @throws dev.mlops.core.SchemaMismatchException      if {@code table} has a column named {@code _row} or
     *                                                     {@code _reasons}; nothing was written
     * @throws dev.mlops.core.NotFoundException            if the directory of {@code file} does not exist
     * @throws dev.mlops.core.NonRetriableException        if {@code file} is a directory or access is denied
     * @throws dev.mlops.core.DataFormatException          if a failing row holds text UTF-8 cannot encode (an
     *                                                     unpaired surrogate); nothing was written
     * @throws dev.mlops.core.ResourceUnavailableException if writing failed for another I/O reason (a full disk)
     */
    Table quarantine(Table table, Path file);

    /** The description of every rule, in declaration order, e.g. {@code radius: range [0.0, 100.0]}. */
    List<String> rules();

    /** A builder holding this validator's rules and settings, to derive a variant; this validator is unchanged. */
    Expectations.Builder toBuilder();
}
