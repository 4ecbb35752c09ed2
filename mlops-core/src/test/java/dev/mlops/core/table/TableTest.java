package dev.mlops.core.table;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.SchemaMismatchException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {

    private static final Schema SCHEMA = Schema.builder()
            .add("id", ColumnType.LONG)
            .addNullable("x", ColumnType.DOUBLE)
            .addNullable("ok", ColumnType.BOOLEAN)
            .addNullable("label", ColumnType.STRING)
            .addNullable("ts", ColumnType.TIMESTAMP)
            .build();

    private static Table sample() {
        return Table.builder(SCHEMA)
                .addRow(1L, 1.5, true, "a", Instant.parse("2024-01-01T00:00:00Z"))
                .addRow(2L, null, false, "b", null)
                .addRow(3L, Double.NaN, null, "a", Instant.parse("1969-12-31T23:59:59.999999Z"))
                .addRow(4L, -0.0, true, null, Instant.parse("2024-06-30T12:34:56.123456Z"))
                .build();
    }

    @Test
    void builder_keepsValuesAndNullsPerCell() {
        Table t = sample();
        assertThat(t.rowCount()).isEqualTo(4);
        assertThat(t.columnCount()).isEqualTo(5);
        assertThat(t.longColumn("id").toLongArray()).containsExactly(1, 2, 3, 4);

        DoubleColumn x = t.doubleColumn("x");
        assertThat(x.isNull(1)).isTrue();
        assertThat(x.isNull(2)).as("NaN is a value, not a null").isFalse();
        assertThat(x.get(2)).isNaN();
        assertThat(x.nullCount()).isEqualTo(1);
        assertThat(Double.doubleToRawLongBits(x.get(3))).isEqualTo(Double.doubleToRawLongBits(-0.0));

        BooleanColumn ok = t.booleanColumn("ok");
        assertThat(ok.value(2)).isNull();
        assertThat(ok.get(2)).isFalse();
        assertThat(ok.trueCount()).isEqualTo(2);

        StringColumn label = t.stringColumn("label");
        assertThat(label.dictionary()).containsExactly("a", "b");
        assertThat(label.code(0)).isEqualTo(label.code(2));
        assertThat(label.code(3)).isEqualTo(-1);
        assertThat(label.codeCounts()).containsExactly(2, 1);

        TimestampColumn ts = t.timestampColumn("ts");
        assertThat(ts.get(2)).isEqualTo(Instant.parse("1969-12-31T23:59:59.999999Z"));
        assertThat(ts.epochMicros(2)).isEqualTo(-1L);
        assertThat(ts.epochMicros(3)).isEqualTo(1_719_750_896_123_456L);
        assertThat(ts.get(1)).isNull();
    }

    @Test
    void unboxedRowBuilding_matchesBoxedRows() {
        TableBuilder b = Table.builder(SCHEMA);
        b.setLong(0, 1).setDouble(1, 1.5).setBoolean(2, true).setString(3, "a")
                .setTimestamp(4, Instant.parse("2024-01-01T00:00:00Z")).endRow();
        b.setLong(0, 2).setNull(1).setBoolean(2, false).setString(3, "b").endRow(); // ts left unset: null
        b.setLong(0, 3).setDouble(1, Double.NaN).setString(3, "a").setEpochMicros(4, -1).endRow();
        b.setLong(0, 4).setDouble(1, -0.0).setBoolean(2, true)
                .setTimestamp(4, Instant.parse("2024-06-30T12:34:56.123456Z")).endRow();
        assertThat(b.build()).isEqualTo(sample());
    }

    @Test
    void builder_refusesWholeBadRow_andKeepsEarlierRows() {
        TableBuilder b = Table.builder(SCHEMA).addRow(1L, 1.0, true, "a", null);
        assertThatThrownBy(() -> b.addRow(2L, "not a number", true, "a", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'").hasMessageContaining("DOUBLE").hasMessageContaining("not a number");
        assertThatThrownBy(() -> b.addRow(null, 1.0, true, "a", null))
                .hasMessageContaining("'id'").hasMessageContaining("non-nullable");
        assertThatThrownBy(() -> b.addRow(1L, 2.0))
                .hasMessageContaining("2 values").hasMessageContaining("5 columns");
        b.setDouble(1, 9.0);
        assertThatThrownBy(b::endRow).hasMessageContaining("'id' has no value");
        b.addRow(3L, 3.0, false, "c", null);
        Table t = b.build();
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.longColumn("id").toLongArray()).containsExactly(1, 3);
        assertThat(t.doubleColumn("x").toDoubleArray()).containsExactly(1.0, 3.0);
    }

    @Test
    void timestamps_refuseSubMicrosecondDigits() {
        assertThatThrownBy(() -> Table.builder(SCHEMA).addRow(1L, 1.0, true, "a", Instant.parse("2024-01-01T00:00:00.000000001Z")))
                .hasMessageContaining("sub-microsecond").hasMessageContaining("'ts'");
        assertThatThrownBy(() -> TimestampColumn.toEpochMicros(Instant.MAX.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))).hasMessageContaining("outside the supported range");
        long[] probes = {Long.MIN_VALUE, -1_000_001L, -1, 0, 1, 999_999, Long.MAX_VALUE};
        for (long m : probes) {
            assertThat(TimestampColumn.toEpochMicros(TimestampColumn.fromEpochMicros(m))).isEqualTo(m);
        }
    }

    @Test
    void typedAccess_toUnknownOrWrongColumn_namesTheProblem() {
        Table t = sample();
        assertThatThrownBy(() -> t.column("lable"))
                .isInstanceOf(ColumnNotFoundException.class)
                .hasMessageContaining("lable").hasMessageContaining("label");
        assertThatThrownBy(() -> t.doubleColumn("label"))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageContaining("'label'").hasMessageContaining("STRING").hasMessageContaining("stringColumn");
        assertThatThrownBy(() -> t.toDoubleArray("label")).isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void conversions_toAndFromArrays() {
        double[] xs = {3.0, Double.NaN, -1.0};
        DoubleColumn d = DoubleColumn.of("d", xs);
        xs[0] = 100; // the column holds a copy
        assertThat(d.toDoubleArray()).containsExactly(3.0, Double.NaN, -1.0);
        assertThat(d.nullCount()).isZero();

        StringColumn s = StringColumn.of("s", "u", null, "v", "u");
        assertThat(s.toStringArray()).containsExactly("u", null, "v", "u");
        assertThat(s.nullCount()).isEqualTo(1);

        Table t = sample();
        assertThat(t.toDoubleArray("x")).containsExactly(1.5, Double.NaN, Double.NaN, -0.0);
        assertThat(t.toDoubleArray("id")).containsExactly(1.0, 2.0, 3.0, 4.0);
        assertThat(t.toDoubleArray("ok")).containsExactly(1.0, 0.0, Double.NaN, 1.0);
        assertThat(t.column("ts").toStringArray())
                .containsExactly("2024-01-01T00:00:00Z", null, "1969-12-31T23:59:59.999999Z", "2024-06-30T12:34:56.123456Z");
        assertThat(t.column("x").toStringArray()).containsExactly("1.5", null, "NaN", "-0.0");
    }

    @Test
    void select_drop_withColumn() {
        Table t = sample();
        Table s = t.select("label", "id");
        assertThat(s.schema().names()).containsExactly("label", "id");
        assertThat(s.longColumn("id")).isEqualTo(t.longColumn("id"));
        assertThat(t.drop("x", "ts").schema().names()).containsExactly("id", "ok", "label");
        assertThatThrownBy(() -> t.drop("nope")).isInstanceOf(ColumnNotFoundException.class);

        Table w = t.withColumn(LongColumn.of("id", 10, 20, 30, 40)).withColumn(DoubleColumn.of("y", 1, 2, 3, 4));
        assertThat(w.schema().names()).containsExactly("id", "x", "ok", "label", "ts", "y");
        assertThat(w.longColumn("id").toLongArray()).containsExactly(10, 20, 30, 40);
        assertThatThrownBy(() -> t.withColumn(DoubleColumn.of("y", 1, 2)))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("4 rows");
    }

    @Test
    void filterTakeSliceConcat_agreeWithARowByRowReference() {
        Random rnd = new Random(7);
        int n = 1_000;
        TableBuilder b = Table.builder(SCHEMA);
        Object[][] rows = new Object[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new Object[] {
                (long) i,
                rnd.nextInt(10) == 0 ? null : rnd.nextGaussian(),
                rnd.nextInt(10) == 0 ? null : rnd.nextBoolean(),
                rnd.nextInt(10) == 0 ? null : "c" + rnd.nextInt(20),
                rnd.nextInt(10) == 0 ? null : Instant.ofEpochSecond(rnd.nextInt(), rnd.nextInt(1_000_000) * 1_000L),
            };
            b.addRow(rows[i]);
        }
        Table t = b.build();

        // filter: compared with the rows kept by the same predicate applied to the source arrays
        DoubleColumn x = t.doubleColumn("x");
        Table f = t.filter(i -> !x.isNull(i) && x.get(i) > 0.5);
        List<Object[]> expected = java.util.Arrays.stream(rows).filter(r -> r[1] != null && (Double) r[1] > 0.5).toList();
        assertThat(f.rowCount()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            for (int c = 0; c < SCHEMA.size(); c++) {
                assertThat(f.column(c).value(i)).isEqualTo(expected.get(i)[c]);
            }
        }

        Table sl = t.slice(100, 250);
        assertThat(sl.rowCount()).isEqualTo(150);
        for (int i = 0; i < 150; i++) {
            assertThat(sl.row(i).value("label")).isEqualTo(rows[100 + i][3]);
            assertThat(sl.row(i).value("ts")).isEqualTo(rows[100 + i][4]);
        }

        int[] picks = {5, 5, 999, 0};
        Table tk = t.take(picks);
        for (int i = 0; i < picks.length; i++) {
            assertThat(tk.row(i).value("x")).isEqualTo(rows[picks[i]][1]);
            assertThat(tk.row(i).value("ok")).isEqualTo(rows[picks[i]][2]);
        }

        Table again = Table.concat(t.slice(0, 400), t.slice(400, 401), t.slice(401, n));
        assertThat(again).isEqualTo(t);
        assertThat(again.hashCode()).isEqualTo(t.hashCode());
    }

    @Test
    void concat_checksSchemas_andWidensNullability() {
        Table a = Table.of(LongColumn.of("k", 1, 2), StringColumn.of("s", "x", "y"));
        Table b = Table.of(LongColumn.of("k", 3), StringColumn.of("s", (String) null));
        Table c = Table.concat(a, b);
        assertThat(c.schema().field("s").nullable()).isTrue();
        assertThat(c.column("s").toStringArray()).containsExactly("x", "y", null);
        assertThatThrownBy(() -> Table.concat(a, Table.of(DoubleColumn.of("k", 1), StringColumn.of("s", "z"))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'k' LONG").hasMessageContaining("DOUBLE");
        assertThatThrownBy(() -> Table.concat(a, Table.of(LongColumn.of("k", 1))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("[k, s]");
    }

    @Test
    void of_validatesColumnsAgainstSchema() {
        Schema s = Schema.of(Field.of("a", ColumnType.DOUBLE), Field.of("b", ColumnType.LONG));
        assertThatThrownBy(() -> Table.of(s, List.of(DoubleColumn.of("a", 1, 2), LongColumn.of("b", 1))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("same length");
        assertThatThrownBy(() -> Table.of(s, List.of(DoubleColumn.ofBoxed("a", 1.0, null), LongColumn.of("b", 1, 2))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("non-nullable");
        assertThatThrownBy(() -> Table.of(s, List.of(LongColumn.of("b", 1), DoubleColumn.of("a", 1))))
                .isInstanceOf(SchemaMismatchException.class);
        assertThatThrownBy(() -> Schema.of(Field.of("a", ColumnType.DOUBLE), Field.of("a", ColumnType.LONG)))
                .hasMessageContaining("duplicate column name 'a'");
    }

    @Test
    void emptyTable_andToString() {
        Table e = Table.empty(SCHEMA);
        assertThat(e.rowCount()).isZero();
        assertThat(e.filter(i -> true)).isEqualTo(e);
        assertThat(Table.concat(e, sample())).isEqualTo(sample());
        assertThat(sample().toString()).contains("4 rows x 5 columns").contains("label STRING?").contains("1.5");
    }

    @Test
    void equality_isByValue_notByDictionaryOrder() {
        StringColumn a = StringColumn.of("s", "x", "y");
        StringColumn b = StringColumn.of("s", "y", "x").take(new int[] {1, 0});
        assertThat(b.dictionary()).containsExactly("x", "y");
        assertThat(StringColumn.of("s", "y", "x", "x").slice(1, 3).dictionary()).containsExactly("x");
        assertThat(a).isEqualTo(b);
        assertThat(DoubleColumn.of("d", Double.NaN)).isEqualTo(DoubleColumn.of("d", Double.NaN));
        assertThat(DoubleColumn.of("d", 0.0)).isNotEqualTo(DoubleColumn.of("d", -0.0));
        assertThat(DoubleColumn.of("d", 1)).isNotEqualTo(DoubleColumn.of("e", 1));
    }

    @Test
    void rowView_readsTypedCells() {
        Row r = sample().row(0);
        assertThat(r.getLong("id")).isEqualTo(1);
        assertThat(r.getDouble("x")).isEqualTo(1.5);
        assertThat(r.getBoolean("ok")).isTrue();
        assertThat(r.getString("label")).isEqualTo("a");
        assertThat(r.getInstant("ts")).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(sample().row(1).isNull("x")).isTrue();
        assertThatThrownBy(() -> sample().row(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
