package dev.mlops.core.docs;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.Fingerprint;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.io.Json;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.validation.Expectations;
import dev.mlops.core.validation.ValidationReport;
import dev.mlops.core.validation.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The code of docs/core.md, run as a test so the guide cannot rot. Keep the two in step. */
class CoreGuideTest {

    @Test
    void guide(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("orders.csv"), """
                order_id,amount,country,paid,created
                1,19.99,DE,true,2024-03-01T10:00:00Z
                2,5.00,FR,false,2024-03-01T10:05:00Z
                3,,DE,true,2024-03-01T10:07:30.250Z
                4,-3.50,XX,true,2024-03-01T10:09:00Z
                """);

        // --- guide: read ---
        Schema schema = Schema.builder()
                .add("order_id", ColumnType.LONG)
                .addNullable("amount", ColumnType.DOUBLE)
                .add("country", ColumnType.STRING)
                .add("paid", ColumnType.BOOLEAN)
                .add("created", ColumnType.TIMESTAMP)
                .build();
        Table orders = CsvReader.builder().schema(schema).build().read(dir.resolve("orders.csv"));

        DoubleColumn amount = orders.doubleColumn("amount");
        double total = 0;
        for (int i = 0; i < orders.rowCount(); i++) {
            if (!amount.isNull(i)) {
                total += amount.get(i);            // no boxing
            }
        }
        Table german = orders.filter(i -> orders.stringColumn("country").get(i).equals("DE"));
        Fingerprint lineage = orders.fingerprint();  // SHA-256 of the content, stable across machines
        // --- end ---
        assertThat(total).isEqualTo(19.99 + 5.00 - 3.50);
        assertThat(german.longColumn("order_id").toLongArray()).containsExactly(1, 3);
        assertThat(lineage).isEqualTo(CsvReader.builder().schema(schema).build().read(dir.resolve("orders.csv")).fingerprint());

        // --- guide: validate ---
        Validator validator = Expectations.builder()
                .column("order_id").notNull().unique().and()
                .column("amount").atLeast(0.0).and()
                .column("country").allowedValues("DE", "FR", "IT").and()
                .rowCount(1, 10_000)
                .build();
        ValidationReport report = validator.validate(orders);
        Table clean = validator.quarantine(orders, dir.resolve("rejects.csv")); // failing rows + reasons
        // --- end ---
        assertThat(report.passed()).isFalse();
        assertThat(report.failedRows()).containsExactly(3);
        assertThat(clean.rowCount()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("rejects.csv"))).contains("amount: range").contains("country: allowed");

        // --- guide: write ---
        CsvWriter.builder().build().write(clean, dir.resolve("clean.csv"));  // atomic: temp file + rename
        String json = Json.newMapper().writeValueAsString(clean);            // column-oriented, exact
        // --- end ---
        assertThat(CsvReader.builder().schema(schema).build().read(dir.resolve("clean.csv"))).isEqualTo(clean);
        assertThat(Json.newMapper().readValue(json, Table.class)).isEqualTo(clean);

        // --- guide: errors ---
        Files.writeString(dir.resolve("bad.csv"), "order_id,amount,country,paid,created\n1,12,5,DE,true,2024-03-01T10:00:00Z\n");
        // bad.csv:2: record has 6 fields but the header has 5 ...
        // --- end ---
        assertThatThrownBy(() -> CsvReader.builder().schema(schema).build().read(dir.resolve("bad.csv")))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("bad.csv:2");
    }
}
