package dev.mlops.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    private final ObjectMapper json = Json.newMapper();

    @Test
    void table_roundTripsExactly() throws Exception {
        Table original = CsvWriterTest.awkwardTable();

        String text = json.writeValueAsString(original);

        assertThat(json.readValue(text, Table.class)).isEqualTo(original);
    }

    @Test
    void table_jsonWrittenByRelease0_1_stillLoads() throws Exception {
        try (var in = JsonTest.class.getResourceAsStream("awkward-0.1.json")) {
            assertThat(json.readValue(in, Table.class)).isEqualTo(CsvWriterTest.awkwardTable());
        }
    }

    @Test
    void table_isColumnOriented_withNonFiniteDoublesAndTimestampsAsStrings() throws Exception {
        Schema schema = Schema.builder().addNullable("x", ColumnType.DOUBLE).add("t", ColumnType.TIMESTAMP).build();
        Table t = Table.builder(schema)
                .addRow(1.0, Instant.parse("2024-03-01T12:00:00.000001Z"))
                .addRow(null, Instant.parse("1969-12-31T23:59:59Z"))
                .addRow(Double.NaN, Instant.EPOCH)
                .addRow(Double.NEGATIVE_INFINITY, Instant.EPOCH)
                .addRow(-0.0, Instant.EPOCH)
                .build();

        assertThat(json.writeValueAsString(t)).isEqualTo("{\"schema\":["
                + "{\"name\":\"x\",\"type\":\"DOUBLE\",\"nullable\":true},"
                + "{\"name\":\"t\",\"type\":\"TIMESTAMP\",\"nullable\":false}],"
                + "\"rowCount\":5,"
                + "\"columns\":{\"x\":[1.0,null,\"NaN\",\"-Infinity\",-0.0],"
                + "\"t\":[\"2024-03-01T12:00:00.000001Z\",\"1969-12-31T23:59:59Z\",\"1970-01-01T00:00:00Z\","
                + "\"1970-01-01T00:00:00Z\",\"1970-01-01T00:00:00Z\"]}}");
    }

    @Test
    void emptyTable_roundTrips() throws Exception {
        Table empty = Table.empty(CsvWriterTest.SCHEMA);

        assertThat(json.readValue(json.writeValueAsString(empty), Table.class)).isEqualTo(empty);
    }

    @Test
    void schemaAndField_roundTrip_andNullableDefaultsToFalse() throws Exception {
        Schema schema = CsvWriterTest.SCHEMA;

        assertThat(json.readValue(json.writeValueAsString(schema), Schema.class)).isEqualTo(schema);
        assertThat(json.readValue("{\"name\":\"id\",\"type\":\"LONG\"}", Field.class)).isEqualTo(Field.of("id", ColumnType.LONG));
    }

    @Test
    void field_unknownType_listsTheTypes() {
        assertThatThrownBy(() -> json.readValue("{\"name\":\"id\",\"type\":\"INT\"}", Field.class))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("field 'id' has type \"INT\"")
                .hasMessageContaining("[DOUBLE, LONG, BOOLEAN, STRING, TIMESTAMP]");
    }

    @Test
    void schema_duplicateNames_fail() {
        assertThatThrownBy(() -> json.readValue("[{\"name\":\"a\",\"type\":\"LONG\"},{\"name\":\"a\",\"type\":\"LONG\"}]",
                Schema.class))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("duplicate column name 'a'");
    }

    @Test
    void table_badInput_failsSayingWhere() {
        String schema = "\"schema\":[{\"name\":\"x\",\"type\":\"DOUBLE\"},{\"name\":\"t\",\"type\":\"TIMESTAMP\",\"nullable\":true}]";

        assertThatThrownBy(() -> json.readValue("{" + schema + ",\"rowCount\":2,\"columns\":{\"x\":[1,2]}}", Table.class))
                .isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("column 't' must be an array of 2 values (rowCount), but is missing");
        assertThatThrownBy(() -> json.readValue("{" + schema + ",\"rowCount\":2,\"columns\":{\"x\":[1,null],\"t\":[null,null]}}",
                Table.class))
                .hasMessageContaining("column 'x' (DOUBLE), row 1: expected a value: the column is not nullable");
        assertThatThrownBy(() -> json.readValue("{" + schema + ",\"rowCount\":1,\"columns\":{\"x\":[\"nan\"],\"t\":[null]}}",
                Table.class))
                .hasMessageContaining("column 'x' (DOUBLE), row 0: expected a number, or \"NaN\"");
        assertThatThrownBy(() -> json.readValue("{" + schema
                + ",\"rowCount\":1,\"columns\":{\"x\":[1],\"t\":[\"2024-03-01T12:00:00.0000001Z\"]}}", Table.class))
                .hasMessageContaining("column 't' (TIMESTAMP), row 0: expected an ISO-8601 UTC instant with at most 6");
        assertThatThrownBy(() -> json.readValue("{" + schema + ",\"rowCount\":1,\"columns\":{\"x\":[1],\"t\":[null],\"y\":[1]}}",
                Table.class))
                .hasMessageContaining("\"columns\" has 'y', which is not in the schema");
        assertThatThrownBy(() -> json.readValue("{" + schema + ",\"rows\":1}", Table.class))
                .hasMessageContaining("unknown key \"rows\" in a table");
    }

    @Test
    void instant_isAnIsoString() throws Exception {
        Instant i = Instant.parse("2024-03-01T12:00:00.123456789Z");

        assertThat(json.writeValueAsString(i)).isEqualTo("\"2024-03-01T12:00:00.123456789Z\"");
        assertThat(json.readValue("\"2024-03-01T12:00:00.123456789Z\"", Instant.class)).isEqualTo(i);
        assertThat(json.writeValueAsString(Duration.ofMillis(1500))).isEqualTo("\"PT1.5S\"");
    }

    @Test
    void fingerprint_isItsTextForm() throws Exception {
        Fingerprint f = Fingerprint.of("hello");

        assertThat(json.writeValueAsString(f)).isEqualTo("\"" + f + "\"");
        assertThat(json.readValue("\"" + f + "\"", Fingerprint.class)).isEqualTo(f);
        assertThatThrownBy(() -> json.readValue("\"sha256:xyz\"", Fingerprint.class))
                .isInstanceOf(InvalidFormatException.class)
                .hasMessageContaining("expected 64 hex digits");
    }

    @Test
    void coreTypes_roundTripInsideOtherValues() throws Exception {
        Fingerprint data = Fingerprint.of("data");
        Instant at = Instant.parse("2024-03-01T00:00:00Z");
        Table sample = CsvWriterTest.awkwardTable().head(3);
        Map<String, Object> report = Map.of("data", data, "at", at, "schema", CsvWriterTest.SCHEMA, "samples", List.of(sample));

        JsonNode tree = json.readTree(json.writeValueAsString(report));

        assertThat(tree.get("data").textValue()).isEqualTo(data.toString());
        assertThat(tree.get("at").textValue()).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(json.treeToValue(tree.get("data"), Fingerprint.class)).isEqualTo(data);
        assertThat(json.treeToValue(tree.get("at"), Instant.class)).isEqualTo(at);
        assertThat(json.treeToValue(tree.get("schema"), Schema.class)).isEqualTo(CsvWriterTest.SCHEMA);
        assertThat(json.treeToValue(tree.get("samples").get(0), Table.class)).isEqualTo(sample);
    }

    @Test
    void newMapper_returnsIndependentInstances() {
        ObjectMapper a = Json.newMapper();
        ObjectMapper b = Json.newMapper();

        a.disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

        assertThat(a).isNotSameAs(b);
        assertThat(b.isEnabled(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
        assertThatThrownBy(() -> b.readValue("{\"a\":1} {}", Map.class))
                .hasMessageContaining("Trailing token");
    }
}
