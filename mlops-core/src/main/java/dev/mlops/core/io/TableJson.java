package dev.mlops.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;

import java.io.IOException;
import java.io.Serial;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Jackson serializers and deserializers for {@link Field}, {@link Schema} and {@link Table}; see {@link Json}. */
final class TableJson {

    private static final Set<String> FIELD_KEYS = Set.of("name", "type", "nullable");
    private static final Set<String> TABLE_KEYS = Set.of("schema", "rowCount", "columns");
    private static final Set<String> NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");

    private TableJson() {
    }

    // ---- writing ----

    static final class FieldSerializer extends StdSerializer<Field> {

        @Serial

        private static final long serialVersionUID = 1L;

        FieldSerializer() {
            super(Field.class);
        }

        @Override
        public void serialize(Field f, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeStringField("name", f.name());
            g.writeStringField("type", f.type().name());
            g.writeBooleanField("nullable", f.nullable());
            g.writeEndObject();
        }
    }

    static final class SchemaSerializer extends StdSerializer<Schema> {

        @Serial

        private static final long serialVersionUID = 1L;

        SchemaSerializer() {
            super(Schema.class);
        }

        @Override
        public void serialize(Schema s, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartArray();
            for (Field f : s) {
                p.defaultSerializeValue(f, g);
            }
            g.writeEndArray();
        }
    }

    static final class TableSerializer extends StdSerializer<Table> {

        @Serial

        private static final long serialVersionUID = 1L;

        TableSerializer() {
            super(Table.class);
        }

        @Override
        public void serialize(Table t, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeStartObject();
            g.writeFieldName("schema");
            p.defaultSerializeValue(t.schema(), g);
            g.writeNumberField("rowCount", t.rowCount());
            g.writeObjectFieldStart("columns");
            for (Column c : t.columns()) {
                g.writeArrayFieldStart(c.name());
                for (int r = 0; r < t.rowCount(); r++) {
                    if (c.isNull(r)) {
                        g.writeNull();
                        continue;
                    }
                    switch (c) {
                        case DoubleColumn d -> writeDouble(d.get(r), g);
                        case LongColumn l -> g.writeNumber(l.get(r));
                        case BooleanColumn b -> g.writeBoolean(b.get(r));
                        case StringColumn s -> g.writeString(s.get(r));
                        case TimestampColumn ts -> g.writeString(TimestampColumn.fromEpochMicros(ts.epochMicros(r)).toString());
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }

        private static void writeDouble(double v, JsonGenerator g) throws IOException {
            if (Double.isFinite(v)) {
                g.writeNumber(v);
            } else {
                g.writeString(Double.toString(v)); // "NaN", "Infinity", "-Infinity": JSON numbers cannot hold them
            }
        }
    }

    // ---- reading ----

    static final class FieldDeserializer extends StdDeserializer<Field> {

        @Serial

        private static final long serialVersionUID = 1L;

        FieldDeserializer() {
            super(Field.class);
        }

        @Override
        public Field deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return field(ctxt.readTree(p), ctxt);
        }
    }

    static final class SchemaDeserializer extends StdDeserializer<Schema> {

        @Serial

        private static final long serialVersionUID = 1L;

        SchemaDeserializer() {
            super(Schema.class);
        }

        @Override
        public Schema deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return schema(ctxt.readTree(p), ctxt);
        }
    }

    static final class TableDeserializer extends StdDeserializer<Table> {

        @Serial

        private static final long serialVersionUID = 1L;

        TableDeserializer() {
            super(Table.class);
        }

        @Override
        public Table deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            if (!node.isObject()) {
                return fail(ctxt, Table.class, "a table must be a JSON object with \"schema\", \"rowCount\" and "
                        + "\"columns\", not " + kind(node));
            }
            checkKeys(node, TABLE_KEYS, "table", ctxt, Table.class);
            Schema schema = schema(required(node, "schema", "table", ctxt, Table.class), ctxt);
            JsonNode rows = required(node, "rowCount", "table", ctxt, Table.class);
            if (!rows.canConvertToInt() || !rows.isIntegralNumber() || rows.intValue() < 0) {
                return fail(ctxt, Table.class, "\"rowCount\" must be a whole number >= 0, not " + rows);
            }
            int rowCount = rows.intValue();
            JsonNode columns = required(node, "columns", "table", ctxt, Table.class);
            if (!columns.isObject()) {
                return fail(ctxt, Table.class, "\"columns\" must be an object of arrays keyed by column name, not "
                        + kind(columns));
            }
            for (Iterator<String> it = columns.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!schema.contains(name)) {
                    return fail(ctxt, Table.class, "\"columns\" has '" + name + "', which is not in the schema "
                            + schema.names() + "; add it to the schema or remove it");
                }
            }
            List<Column> built = new ArrayList<>(schema.size());
            for (Field f : schema) {
                JsonNode values = columns.get(f.name());
                if (values == null || !values.isArray() || values.size() != rowCount) {
                    return fail(ctxt, Table.class, "column '" + f.name() + "' must be an array of " + rowCount
                            + " values (rowCount), but is " + (values == null ? "missing" : values.isArray()
                            ? "an array of " + values.size() : kind(values)));
                }
                built.add(column(f, values, ctxt));
            }
            return Table.of(schema, built);
        }
    }

    static Field field(JsonNode node, DeserializationContext ctxt) throws IOException {
        if (!node.isObject()) {
            return fail(ctxt, Field.class, "a field must be an object like {\"name\":\"x\",\"type\":\"DOUBLE\","
                    + "\"nullable\":true}, not " + kind(node));
        }
        checkKeys(node, FIELD_KEYS, "field", ctxt, Field.class);
        JsonNode name = required(node, "name", "field", ctxt, Field.class);
        JsonNode type = required(node, "type", "field", ctxt, Field.class);
        JsonNode nullable = node.get("nullable");
        if (!name.isTextual() || name.textValue().isEmpty()) {
            return fail(ctxt, Field.class, "field \"name\" must be a non-empty string, not " + name);
        }
        ColumnType columnType = type.isTextual() ? Arrays.stream(ColumnType.values())
                .filter(t -> t.name().equals(type.textValue())).findFirst().orElse(null) : null;
        if (columnType == null) {
            return fail(ctxt, Field.class, "field '" + name.textValue() + "' has type " + type + "; the types are "
                    + Arrays.toString(ColumnType.values()));
        }
        if (nullable != null && !nullable.isBoolean()) {
            return fail(ctxt, Field.class, "field '" + name.textValue() + "' has \"nullable\": " + nullable
                    + "; it must be true or false (or absent, meaning false)");
        }
        return new Field(name.textValue(), columnType, nullable != null && nullable.booleanValue());
    }

    static Schema schema(JsonNode node, DeserializationContext ctxt) throws IOException {
        if (!node.isArray()) {
            return fail(ctxt, Schema.class, "a schema must be an array of fields, not " + kind(node));
        }
        List<Field> fields = new ArrayList<>(node.size());
        for (JsonNode f : node) {
            fields.add(field(f, ctxt));
        }
        try {
            return Schema.of(fields);
        } catch (IllegalArgumentException e) {
            return fail(ctxt, Schema.class, e.getMessage());
        }
    }

    private static Column column(Field f, JsonNode values, DeserializationContext ctxt) throws IOException {
        int n = values.size();
        String name = f.name();
        switch (f.type()) {
            case DOUBLE -> {
                DoubleColumn.Builder b = DoubleColumn.builder(name, n);
                for (int r = 0; r < n; r++) {
                    JsonNode v = values.get(r);
                    if (isNull(f, v, r, ctxt)) {
                        b.addNull();
                    } else if (v.isNumber()) {
                        b.add(v.doubleValue());
                    } else if (v.isTextual() && NON_FINITE.contains(v.textValue())) {
                        b.add(Double.parseDouble(v.textValue()));
                    } else {
                        return badCell(ctxt, f, r, v, "a number, or \"NaN\", \"Infinity\", \"-Infinity\"");
                    }
                }
                return b.build();
            }
            case LONG -> {
                LongColumn.Builder b = LongColumn.builder(name, n);
                for (int r = 0; r < n; r++) {
                    JsonNode v = values.get(r);
                    if (isNull(f, v, r, ctxt)) {
                        b.addNull();
                    } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                        b.add(v.longValue());
                    } else {
                        return badCell(ctxt, f, r, v, "a whole number in the 64-bit range");
                    }
                }
                return b.build();
            }
            case BOOLEAN -> {
                BooleanColumn.Builder b = BooleanColumn.builder(name);
                for (int r = 0; r < n; r++) {
                    JsonNode v = values.get(r);
                    if (isNull(f, v, r, ctxt)) {
                        b.addNull();
                    } else if (v.isBoolean()) {
                        b.add(v.booleanValue());
                    } else {
                        return badCell(ctxt, f, r, v, "true or false");
                    }
                }
                return b.build();
            }
            case STRING -> {
                StringColumn.Builder b = StringColumn.builder(name, n);
                for (int r = 0; r < n; r++) {
                    JsonNode v = values.get(r);
                    if (isNull(f, v, r, ctxt)) {
                        b.addNull();
                    } else if (v.isTextual()) {
                        b.add(v.textValue());
                    } else {
                        return badCell(ctxt, f, r, v, "a string");
                    }
                }
                return b.build();
            }
            case TIMESTAMP -> {
                TimestampColumn.Builder b = TimestampColumn.builder(name, n);
                for (int r = 0; r < n; r++) {
                    JsonNode v = values.get(r);
                    if (isNull(f, v, r, ctxt)) {
                        b.addNull();
                        continue;
                    }
                    try {
                        b.add(Instant.parse(v.isTextual() ? v.textValue() : ""));
                    } catch (DateTimeException | IllegalArgumentException e) {
                        return badCell(ctxt, f, r, v, "an ISO-8601 UTC instant with at most 6 fractional digits, "
                                + "like \"2024-03-01T12:00:00.000001Z\"");
                    }
                }
                return b.build();
            }
        }
        throw new IllegalStateException("unhandled column type " + f.type());
    }

    private static boolean isNull(Field f, JsonNode v, int row, DeserializationContext ctxt) throws IOException {
        if (!v.isNull()) {
            return false;
        }
        if (!f.nullable()) {
            badCell(ctxt, f, row, v, "a value: the column is not nullable");
        }
        return true;
    }

    private static <T> T badCell(DeserializationContext ctxt, Field f, int row, JsonNode v, String expected)
            throws IOException {
        return fail(ctxt, Table.class, "column '" + f.name() + "' (" + f.type() + "), row " + row + ": expected "
                + expected + ", found " + abbreviate(v.toString()));
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String what, DeserializationContext ctxt,
                                  Class<?> type) throws IOException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                fail(ctxt, type, "unknown key \"" + key + "\" in a " + what + "; the keys are " + allowed);
            }
        }
    }

    private static JsonNode required(JsonNode node, String key, String what, DeserializationContext ctxt,
                                     Class<?> type) throws IOException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fail(ctxt, type, "a " + what + " needs \"" + key + "\"");
        }
        return v;
    }

    private static String kind(JsonNode node) {
        JsonNodeType t = node.getNodeType();
        return "a JSON " + t.name().toLowerCase(java.util.Locale.ROOT) + " (" + abbreviate(node.toString()) + ")";
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static <T> T fail(DeserializationContext ctxt, Class<?> type, String message) throws IOException {
        return ctxt.reportInputMismatch(type, "%s", message);
    }
}
