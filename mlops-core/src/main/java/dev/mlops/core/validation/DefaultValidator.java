package dev.mlops.core.validation;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.NonRetriableException;
import dev.mlops.core.ValidationException;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The implementation of {@link Validator}: an immutable list of rules. */
final class DefaultValidator implements Validator {

    /** Examples per failed rule in the lines of a {@link ValidationException}. */
    static final int EXAMPLES_PER_RULE = 3;

    /** Writes quarantine files: atomic, nulls as empty unquoted fields, read back equal by CsvReader. */
    private static final CsvWriter QUARANTINE_CSV = CsvWriter.builder().build();

    private final Schema schema;
    private final List<Rule> rules;
    private final Map<String, ColumnType> declaredTypes;
    private final int maxStored;

    DefaultValidator(Schema schema, List<Rule> rules, Map<String, ColumnType> declaredTypes, int maxStored) {
        this.schema = schema;
        this.rules = rules;
        this.declaredTypes = declaredTypes;
        this.maxStored = maxStored;
    }

    @Override
    public ValidationReport validate(Table table) {
        Objects.requireNonNull(table, "table");
        Set<String> skipped = resolve(table.schema());
        List<RuleResult> results = new ArrayList<>(rules.size());
        List<ValidationFailure> failures = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.column != null && skipped.contains(rule.column) && !(rule instanceof Rule.OfType)) {
                results.add(new RuleResult(rule.name, rule.column, rule.description, rule.scope(),
                        RuleResult.Status.SKIPPED, 0, new int[0]));
                continue;
            }
            Rule.Outcome o = rule.evaluate(table, maxStored);
            results.add(new RuleResult(rule.name, rule.column, rule.description, rule.scope(),
                    o.count() > 0 ? RuleResult.Status.FAILED : RuleResult.Status.PASSED, o.count(), o.rows()));
            failures.addAll(o.stored());
        }
        return ValidationReport.of(table.rowCount(), maxStored, results, failures);
    }

    /**
     * Checks every rule against {@code actual} before any runs. Returns the columns whose declared
     * {@code ofType} does not hold (their other rules are skipped); throws for a rule on a missing column or
     * of the wrong kind when the column declares no type.
     */
    private Set<String> resolve(Schema actual) {
        Set<String> skipped = new HashSet<>();
        for (Map.Entry<String, ColumnType> e : declaredTypes.entrySet()) {
            int position = actual.indexOf(e.getKey());
            if (position < 0 || actual.field(position).type() != e.getValue()) {
                skipped.add(e.getKey());
            }
        }
        for (Rule rule : rules) {
            if (rule.column == null || declaredTypes.containsKey(rule.column)) {
                continue;
            }
            int position = actual.indexOf(rule.column);
            if (position < 0) {
                throw new ColumnNotFoundException(rule.column, actual.names());
            }
            ColumnType type = actual.field(position).type();
            if (!rule.accepts(type)) {
                throw rule.kindMismatch(type);
            }
        }
        return skipped;
    }

    @Override
    public Table validateOrThrow(Table table) {
        ValidationReport report = validate(table);
        if (!report.passed()) {
            throw new ValidationException(report.headline(), report.failedRuleLines(EXAMPLES_PER_RULE));
        }
        return table;
    }

    @Override
    public SplitResult split(Table table) {
        ValidationReport report = validate(table);
        int[] failed = report.sharedFailedRows();
        if (failed.length == 0) {
            return new SplitResult(table, table.take(new int[0]), report);
        }
        int[] passed = new int[table.rowCount() - failed.length];
        int n = 0;
        int f = 0;
        for (int row = 0; row < table.rowCount(); row++) {
            if (f < failed.length && failed[f] == row) {
                f++;
            } else {
                passed[n++] = row;
            }
        }
        return new SplitResult(table.take(passed), table.take(failed), report);
    }

    @Override
    public Table quarantine(Table table, Path file) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(file, "file");
        SplitResult.checkNoReservedColumns(table);
        SplitResult split = split(table);
        ValidationReport report = split.report();
        List<RuleResult> tableFailures = report.tableFailures();
        if (!tableFailures.isEmpty()) {
            throw new ValidationException(report.headline() + "; " + Text.plural(tableFailures.size(), "table-level rule")
                    + " failed, so the whole table is rejected and nothing was written to '" + file + "'",
                    report.failedRuleLines(EXAMPLES_PER_RULE));
        }
        if (split.failing().rowCount() > 0) {
            if (Files.isDirectory(file)) {
                throw new NonRetriableException("cannot write quarantine file '" + file + "': it is a directory. "
                        + "Fix: give a file name; nothing was written");
            }
            QUARANTINE_CSV.write(split.failingWithReasons(), file);
        }
        return split.passing();
    }

    @Override
    public List<String> rules() {
        return rules.stream().map(r -> r.description).toList();
    }

    @Override
    public Expectations.Builder toBuilder() {
        return new ExpectationsBuilder(schema, rules, declaredTypes, maxStored);
    }

    @Override
    public String toString() {
        return "Validator" + rules();
    }
}
