package dev.mlops.core.io;

import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;

import java.io.Serial;

/**
 * Jackson {@link ObjectMapper}s that read and write the core types. Each call returns a new, independently
 * configurable mapper; nothing here is shared or mutable.
 *
 * <pre>{@code
 * ObjectMapper json = Json.newMapper();
 * String text = json.writeValueAsString(table);
 * Table back = json.readValue(text, Table.class); // equals table
 * }</pre>
 *
 * <h2>Representations</h2>
 * <ul>
 *   <li>{@link Field}: {@code {"name":"price","type":"DOUBLE","nullable":true}}; {@code nullable} may be
 *       left out when false.</li>
 *   <li>{@link Schema}: an array of fields, in column order.</li>
 *   <li>{@link Table}: column-oriented,
 *       {@code {"schema":[...],"rowCount":3,"columns":{"x":[1.5,null,"NaN"],"t":["2024-03-01T12:00:00.000001Z",null,null]}}}.
 *       A null cell is {@code null}. DOUBLE cells are JSON numbers in shortest round-trip form
 *       ({@code -0.0} included), and the non-finite values, which JSON numbers cannot hold, are the strings
 *       {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}. LONG cells are JSON numbers (exact here;
 *       JavaScript readers lose digits beyond 2^53). TIMESTAMP cells are ISO-8601 UTC strings with up to 6
 *       fractional digits. So a table written and read back is {@link Table#equals equal} to the original.
 *       Reading checks that every column is present, has {@code rowCount} values of its type and no null
 *       where the schema forbids one; the whole table is held in memory as a JSON tree while reading, so
 *       use CSV for bulk data.</li>
 *   <li>{@link java.time.Instant} and the other {@code java.time} types: ISO-8601 strings
 *       ({@code "2024-03-01T12:00:00Z"}, {@code "PT1.5S"}), not numbers.</li>
 *   <li>{@link Fingerprint}: its text form {@code "sha256:<64 hex digits>"}.</li>
 * </ul>
 * Input that breaks these rules fails with a Jackson {@code MismatchedInputException} that says which column
 * and row and what was expected. Unknown properties and trailing content after the value are errors.
 */
public final class Json {

    private Json() {
    }

    /** A new mapper with {@link #module()}, the Java time types as ISO-8601 strings, and strict reading. */
    public static ObjectMapper newMapper() {
        return mapperBuilder().build();
    }

    /** A new builder configured as {@link #newMapper()}, for hosts that add their own modules or settings. */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A new Jackson module for {@link Field}, {@link Schema}, {@link Table} and {@link Fingerprint}. */
    public static Module module() {
        return new SimpleModule("mlops-core")
                .addSerializer(Field.class, new TableJson.FieldSerializer())
                .addDeserializer(Field.class, new TableJson.FieldDeserializer())
                .addSerializer(Schema.class, new TableJson.SchemaSerializer())
                .addDeserializer(Schema.class, new TableJson.SchemaDeserializer())
                .addSerializer(Table.class, new TableJson.TableSerializer())
                .addDeserializer(Table.class, new TableJson.TableDeserializer())
                .addSerializer(Fingerprint.class, ToStringSerializer.instance)
                .addDeserializer(Fingerprint.class, new FingerprintDeserializer());
    }

    private static final class FingerprintDeserializer extends FromStringDeserializer<Fingerprint> {

        @Serial

        private static final long serialVersionUID = 1L;

        FingerprintDeserializer() {
            super(Fingerprint.class);
        }

        @Override
        protected Fingerprint _deserialize(String value, DeserializationContext ctxt) {
            return Fingerprint.parse(value); // an IllegalArgumentException becomes Jackson's InvalidFormatException
        }
    }
}
