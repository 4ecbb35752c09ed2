package dev.mlops.core.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationReportTest {

    private static final Table TABLE = Table.of(
            DoubleColumn.ofBoxed("radius", 10.0, -3.0, null, 120.5),
            StringColumn.of("label", "a", "c", "a", "b"));

    private static final Validator VALIDATOR = Expectations.builder()
            .column("radius").notNull().between(0, 100).and()
            .column("label").allowedValues("a", "b").and()
            .rowCount(5, 10)
            .build();

    @Test
    void summary_listsRulesAndFailures() {
        ValidationReport r = VALIDATOR.validate(TABLE);
        assertEquals("""
                validation failed: 4 of 4 rules failed on 4 rows (5 failures, 3 failing rows)
                  FAILED radius: notNull (1 failure)
                  FAILED radius: range [0.0, 100.0] (2 failures)
                  FAILED label: allowedValues [a, b] (1 failure)
                  FAILED rowCount [5, 10] (1 failure)
                failures:
                  row 2, column 'radius', rule 'notNull': value is null
                  row 1, column 'radius', rule 'range': value -3.0 is outside [0.0, 100.0]
                  ... and 3 more""", r.summary(2));
        assertEquals(r.summary(), r.toString());
        assertTrue(r.summary().endsWith("\n  rule 'rowCount': row count 4 is outside [5, 10]"), r.summary());
    }

    @Test
    void summary_ofAPassingReport() {
        ValidationReport r = Expectations.builder().column("label").notNull().and().build().validate(TABLE);
        assertEquals("""
                validation passed: 1 rule on 4 rows
                  PASSED label: notNull""", r.summary());
        assertTrue(r.passed());
        assertArrayEquals(new int[0], r.failedRows());
        assertFalse(r.truncated());
    }

    @Test
    void json_hasTheDocumentedFields_andRoundTrips() throws Exception {
        ValidationReport r = VALIDATOR.validate(TABLE);
        ObjectMapper mapper = new ObjectMapper();
        String json = mapper.writeValueAsString(r);

        JsonNode tree = mapper.readTree(json);
        assertEquals(List.of("passed", "rowCount", "failureCount", "failedRowCount", "truncated",
                "maxStoredFailuresPerRule", "rules", "failures"), iterable(tree.fieldNames()));
        assertFalse(tree.get("passed").asBoolean());
        assertEquals(4, tree.get("rowCount").asInt());
        assertEquals(5, tree.get("failureCount").asInt());
        assertEquals(3, tree.get("failedRowCount").asInt());
        assertEquals(1000, tree.get("maxStoredFailuresPerRule").asInt());
        assertEquals(mapper.readTree("""
                {"rule": "range", "column": "radius", "description": "radius: range [0.0, 100.0]", "scope": "ROW",
                 "status": "FAILED", "failureCount": 2, "rows": [1, 3]}"""), tree.get("rules").get(1));
        assertEquals(mapper.readTree("""
                {"rule": "rowCount", "column": null, "description": "rowCount [5, 10]", "scope": "TABLE",
                 "status": "FAILED", "failureCount": 1, "rows": []}"""), tree.get("rules").get(3));
        assertEquals(mapper.readTree("""
                {"rule": "notNull", "column": "radius", "row": 2, "value": null, "message": "value is null"}"""),
                tree.get("failures").get(0));

        ValidationReport back = mapper.readValue(json, ValidationReport.class);
        assertEquals(r, back);
        assertEquals(r.hashCode(), back.hashCode());
        assertEquals(r.summary(), back.summary());
        assertArrayEquals(new int[] {1, 2, 3}, back.failedRows());
    }

    @Test
    void of_refusesPartsThatContradictEachOther() {
        RuleResult range = new RuleResult("range", "x", "x: range [0.0, 1.0]", RuleResult.Scope.ROW,
                RuleResult.Status.FAILED, 2, new int[] {1, 3});
        ValidationFailure row1 = new ValidationFailure("range", "x", 1, "-1.0", "value -1.0 is outside [0.0, 1.0]");
        ValidationFailure row3 = new ValidationFailure("range", "x", 3, "2.0", "value 2.0 is outside [0.0, 1.0]");

        assertEquals(2, ValidationReport.of(4, 10, List.of(range), List.of(row1, row3)).failures().size());
        assertEquals(1, ValidationReport.of(4, 1, List.of(range), List.of(row1)).failures().size());
        assertThrows(IllegalArgumentException.class, () -> ValidationReport.of(3, 10, List.of(range), List.of(row1, row3)));
        assertThrows(IllegalArgumentException.class, () -> ValidationReport.of(4, 10, List.of(range), List.of(row1)));
        assertThrows(IllegalArgumentException.class, () -> ValidationReport.of(4, 10, List.of(range), List.of(row3, row1)));
        assertThrows(IllegalArgumentException.class, () -> new RuleResult("range", "x", "d", RuleResult.Scope.ROW,
                RuleResult.Status.FAILED, 2, new int[] {3, 1}));
        assertThrows(IllegalArgumentException.class, () -> new RuleResult("range", "x", "d", RuleResult.Scope.ROW,
                RuleResult.Status.PASSED, 1, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new RuleResult("rowCount", null, "d", RuleResult.Scope.TABLE,
                RuleResult.Status.FAILED, 1, new int[] {1}));
    }

    @Test
    void ruleLookup_unknownDescription_listsTheRules() {
        ValidationReport r = VALIDATOR.validate(TABLE);
        NotFoundException e = assertThrows(NotFoundException.class, () -> r.rule("radius: notnull"));
        assertEquals("rule 'radius: notnull' not found; did you mean 'radius: notNull'? Available (4): "
                + "'radius: notNull', 'radius: range [0.0, 100.0]', 'label: allowedValues [a, b]', 'rowCount [5, 10]'",
                e.getMessage());
    }

    @Test
    void ruleResultRows_areDefensiveCopies() {
        ValidationReport r = VALIDATOR.validate(TABLE);
        r.rule("radius: range [0.0, 100.0]").rows()[0] = 99;
        r.failedRows()[0] = 99;
        assertArrayEquals(new int[] {1, 3}, r.rule("radius: range [0.0, 100.0]").rows());
        assertArrayEquals(new int[] {1, 2, 3}, r.failedRows());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
