package dev.mlops.core.validation;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Row;
import dev.mlops.core.table.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The implementation of {@link Expectations.Builder}; not thread-safe. */
final class ExpectationsBuilder implements Expectations.Builder {

    private final Schema schema; // null: rules are checked against each table when it is validated
    private final List<Rule> rules;
    private final Map<String, ColumnType> declaredTypes;
    private int maxStored = Expectations.DEFAULT_MAX_STORED_FAILURES_PER_RULE;

    ExpectationsBuilder(Schema schema) {
        this(schema, List.of(), Map.of(), Expectations.DEFAULT_MAX_STORED_FAILURES_PER_RULE);
    }

    ExpectationsBuilder(Schema schema, List<Rule> rules, Map<String, ColumnType> declaredTypes, int maxStored) {
        this.schema = schema;
        this.rules = new ArrayList<>(rules);
        this.declaredTypes = new LinkedHashMap<>(declaredTypes);
        this.maxStored = maxStored;
    }

    @Override
    public Expectations.ColumnExpectations column(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
        if (schema != null && !schema.contains(name)) {
            throw new ColumnNotFoundException(name, schema.names());
        }
        return new ColumnRules(name);
    }

    @Override
    public Expectations.Builder rowCount(int min, int max) {
        if (min < 0 || min > max) {
            throw new IllegalArgumentException("rowCount needs 0 <= min <= max but min was " + min + " and max " + max);
        }
        add(new Rule.RowCount(min, max));
        return this;
    }

    @Override
    public Expectations.Builder satisfies(String name, Predicate<Row> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        add(new Rule.Satisfies(checkName(name), (table, row) -> predicate.test(table.row(row))));
        return this;
    }

    @Override
    public Expectations.Builder satisfies(String name, RowPredicate predicate) {
        Objects.requireNonNull(predicate, "predicate");
        add(new Rule.Satisfies(checkName(name), predicate));
        return this;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a custom rule needs a name that says what it checks, but the name was \""
                    + name + "\"");
        }
        return name;
    }

    @Override
    public Expectations.Builder maxStoredFailuresPerRule(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxStoredFailuresPerRule must be >= 0 but was " + limit);
        }
        this.maxStored = limit;
        return this;
    }

    @Override
    public Validator build() {
        return new DefaultValidator(schema, List.copyOf(rules), Map.copyOf(declaredTypes), maxStored);
    }

    private void add(Rule rule) {
        for (Rule r : rules) {
            if (r.description.equals(rule.description)) {
                throw new IllegalStateException("rule '" + rule.description + "' is declared twice; remove one");
            }
        }
        if (rule.column != null && !(rule instanceof Rule.OfType)) {
            ColumnType declared = declaredTypes.get(rule.column);
            if (declared != null && !rule.accepts(declared)) {
                throw new IllegalStateException("rule '" + rule.description + "' needs " + rule.needs()
                        + " but column '" + rule.column + "' is declared ofType(" + declared + "); " + rule.kindFix(declared));
            }
            if (schema != null) {
                ColumnType type = schema.field(rule.column).type();
                if (!rule.accepts(type)) {
                    throw rule.kindMismatch(type);
                }
            }
        }
        rules.add(rule);
    }

    /** The rules of one column, added to the enclosing builder as they are declared. */
    private final class ColumnRules implements Expectations.ColumnExpectations {

        private final String column;

        ColumnRules(String column) {
            this.column = column;
        }

        @Override
        public Expectations.ColumnExpectations notNull() {
            add(new Rule.NotNull(column));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations ofType(ColumnType type) {
            Objects.requireNonNull(type, "type");
            ColumnType declared = declaredTypes.get(column);
            if (declared != null && declared != type) {
                throw new IllegalStateException("column '" + column + "' is already declared ofType(" + declared
                        + "); it cannot also be ofType(" + type + ")");
            }
            if (schema != null && schema.field(column).type() != type) {
                throw new IllegalStateException("column '" + column + "' is " + schema.field(column).type()
                        + " in the builder's schema, so ofType(" + type + ") could never pass; fix the schema or the type");
            }
            for (Rule r : rules) {
                if (column.equals(r.column) && !r.accepts(type)) {
                    throw new IllegalStateException("column '" + column + "' cannot be ofType(" + type + "): rule '"
                            + r.description + "' needs " + r.needs() + "; " + r.kindFix(type));
                }
            }
            add(new Rule.OfType(column, type));
            declaredTypes.put(column, type);
            return this;
        }

        @Override
        public Expectations.ColumnExpectations between(double min, double max) {
            return between(min, max, Bounds.CLOSED);
        }

        @Override
        public Expectations.ColumnExpectations between(double min, double max, Bounds bounds) {
            Objects.requireNonNull(bounds, "bounds");
            if (Double.isNaN(min) || Double.isNaN(max)) {
                throw new IllegalArgumentException("range bounds must not be NaN, but min was " + min + " and max " + max
                        + " (column '" + column + "'); use an infinity for an open end");
            }
            if (min > max || (min == max && bounds != Bounds.CLOSED)) {
                throw new IllegalArgumentException("range " + bounds.format(min, max) + " of column '" + column
                        + "' holds no value; give min < max, or min == max with closed bounds");
            }
            add(new Rule.Range(column, min, max, bounds));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations atLeast(double min) {
            return between(min, Double.POSITIVE_INFINITY, Bounds.CLOSED);
        }

        @Override
        public Expectations.ColumnExpectations greaterThan(double min) {
            return between(min, Double.POSITIVE_INFINITY, Bounds.OPEN_CLOSED);
        }

        @Override
        public Expectations.ColumnExpectations atMost(double max) {
            return between(Double.NEGATIVE_INFINITY, max, Bounds.CLOSED);
        }

        @Override
        public Expectations.ColumnExpectations lessThan(double max) {
            return between(Double.NEGATIVE_INFINITY, max, Bounds.CLOSED_OPEN);
        }

        @Override
        public Expectations.ColumnExpectations allowedValues(String... values) {
            Objects.requireNonNull(values, "values");
            if (values.length == 0) {
                throw new IllegalArgumentException("allowedValues of column '" + column + "' needs at least one value");
            }
            Set<String> set = new LinkedHashSet<>();
            for (String v : values) {
                set.add(Objects.requireNonNull(v, () -> "allowedValues of column '" + column
                        + "' must not contain null; nulls always pass, add notNull() to forbid them"));
            }
            add(new Rule.AllowedStrings(column, set));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations allowedValues(long... values) {
            Objects.requireNonNull(values, "values");
            if (values.length == 0) {
                throw new IllegalArgumentException("allowedValues of column '" + column + "' needs at least one value");
            }
            add(new Rule.AllowedLongs(column, Arrays.stream(values).sorted().distinct().toArray()));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations unique() {
            add(new Rule.Unique(column));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations matches(String regex) {
            Objects.requireNonNull(regex, "regex");
            try {
                return matches(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("matches: invalid regex " + Text.quote(regex) + " for column '"
                        + column + "': " + e.getDescription() + " near index " + e.getIndex(), e);
            }
        }

        @Override
        public Expectations.ColumnExpectations matches(Pattern pattern) {
            add(new Rule.Matches(column, Objects.requireNonNull(pattern, "pattern")));
            return this;
        }

        @Override
        public Expectations.ColumnExpectations maxNullShare(double share) {
            if (!(share >= 0.0 && share <= 1.0)) {
                throw new IllegalArgumentException("maxNullShare of column '" + column + "' must be between 0 and 1 but was "
                        + share);
            }
            add(new Rule.MaxNullShare(column, share));
            return this;
        }

        @Override
        public Expectations.Builder and() {
            return ExpectationsBuilder.this;
        }
    }
}
