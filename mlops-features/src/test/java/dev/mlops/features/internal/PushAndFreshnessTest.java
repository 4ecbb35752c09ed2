package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.validation.Expectations;
import dev.mlops.features.BatchSource;
import dev.mlops.features.BruteForcePit;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.FreshnessListener;
import dev.mlops.features.MutableClock;
import dev.mlops.features.PushResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push ingestion (validation, quarantine, offline log, online write) and freshness. */
class PushAndFreshnessTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");
    private static final Schema ROWS = Schema.builder().addNullable("k", ColumnType.STRING)
            .addNullable("event_timestamp", ColumnType.TIMESTAMP).add("created_timestamp", ColumnType.TIMESTAMP)
            .addNullable("x", ColumnType.DOUBLE).addNullable("label", ColumnType.STRING).build();

    private FeatureStore store(MutableClock clock, FreshnessListener listener) {
        Table batch = Table.builder(ROWS).addRow("a", T0, T0, 1.0, "batch").addRow("b", T0, T0, 2.0, "batch").build();
        CsvWriter.builder().build().write(batch, dir.resolve("v.csv"));
        Entity e = Entity.of("user", "k", ColumnType.STRING);
        FeatureView v = FeatureView.builder("v").entity(e).feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .source(BatchSource.csv(dir.resolve("v.csv"))).build();
        FeatureStore fs = FeatureStore.builder().home(dir.resolve("home")).clock(clock).freshnessListener(listener).build();
        fs.apply(Definitions.builder().entity(e).view(v).build());
        return fs;
    }

    @Test
    void push_validatesQuarantinesAndWritesOfflineAndOnline_andRepushingChangesNothing() {
        MutableClock clock = new MutableClock(T0.plusSeconds(100));
        try (FeatureStore fs = store(clock, FreshnessListener.NONE)) {
            Table pushed = Table.builder(ROWS)
                    .addRow("a", T0.plusSeconds(10), T0.plusSeconds(10), 5.0, "push")     // ok, newer than batch
                    .addRow(null, T0.plusSeconds(10), T0.plusSeconds(10), 6.0, "push")     // null key: rejected
                    .addRow("b", T0.plusSeconds(20), T0.plusSeconds(20), 500.0, "push")    // fails x <= 100: rejected
                    .addRow("c", T0.plusSeconds(30), T0.plusSeconds(30), null, "push")     // ok, null value
                    .build();
            var rule = Expectations.builder().column("x").atMost(100).and().build();
            PushResult r = fs.push("v", pushed, rule);
            assertThat(r.written()).isEqualTo(2);
            assertThat(r.rejected()).isEqualTo(2);
            Table q = CsvReader.builder().inferSchema().build().read(r.quarantine());
            assertThat(q.rowCount()).isEqualTo(2);
            assertThat(q.value(0, "_row")).isEqualTo(1L);
            assertThat((String) q.value(0, "_reasons")).contains("k");
            assertThat(q.value(1, "_row")).isEqualTo(2L);
            assertThat((String) q.value(1, "_reasons")).contains("x");

            assertThat(fs.readOnline(List.of("v:x", "v:label"), "a").values()).extracting(v -> v.value()).containsExactly(5.0, "push");
            assertThat(fs.readOnline(List.of("v:x"), "c").get("v:x").status()).isEqualTo(FeatureStatus.NULL_VALUE);
            assertThat(fs.readOnline(List.of("v:x"), "b").get("v:x").status()).isEqualTo(FeatureStatus.NOT_FOUND);

            assertThat(fs.push("v", pushed, rule).written()).isEqualTo(2); // same rows again: same log file
            Table entities = Table.builder(Schema.builder().add("k", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                    .add("rid", ColumnType.LONG).build())
                    .addRow("a", T0.plusSeconds(5), 0L).addRow("a", T0.plusSeconds(10), 1L).addRow("b", T0.plusSeconds(25), 2L)
                    .addRow("c", T0.plusSeconds(40), 3L).build();
            Table out = fs.historical(entities, List.of("v:x", "v:label"), false);
            // reference: brute force over the batch rows plus the accepted pushed rows
            Table all = Table.concat(Table.builder(ROWS).addRow("a", T0, T0, 1.0, "batch").addRow("b", T0, T0, 2.0, "batch").build(),
                    pushed.take(new int[] {0, 3}));
            int[] m = BruteForcePit.match(entities, all, 0, false);
            List<Object> expected = new ArrayList<>();
            List<Object> actual = new ArrayList<>();
            for (int i = 0; i < entities.rowCount(); i++) {
                expected.add(m[i] < 0 ? null : all.value(m[i], "label"));
                actual.add(out.value(i, "v__label"));
            }
            assertThat(actual).isEqualTo(expected).containsExactly("batch", "push", "batch", "push");
        }
    }

    @Test
    void push_toAViewWithATtl_writesTheNewestRowOnline() {
        // Regression: the online write of a push looked the newest row up "as of" the end of time, so a view
        // with a TTL found none (IndexOutOfBoundsException). Expected values: the rows pushed here.
        Table batch = Table.builder(ROWS).addRow("a", T0, T0, 1.0, "batch").build();
        CsvWriter.builder().build().write(batch, dir.resolve("t.csv"));
        Entity e = Entity.of("user", "k", ColumnType.STRING);
        FeatureView v = FeatureView.builder("t").entity(e).feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .ttl(Duration.ofHours(1)).source(BatchSource.csv(dir.resolve("t.csv"))).build();
        MutableClock clock = new MutableClock(T0.plusSeconds(60));
        try (FeatureStore fs = FeatureStore.builder().home(dir.resolve("ttl-home")).clock(clock).build()) {
            fs.apply(Definitions.builder().entity(e).view(v).build());
            Table pushed = Table.builder(ROWS).addRow("a", T0.plusSeconds(20), T0.plusSeconds(20), 7.0, "older")
                    .addRow("a", T0.plusSeconds(50), T0.plusSeconds(50), 8.0, "newest").build();
            assertThat(fs.push("t", pushed, null).written()).isEqualTo(2);
            var x = fs.readOnline(List.of("t:x", "t:label"), "a");
            assertThat(x.values()).extracting(f -> f.value()).containsExactly(8.0, "newest");
            assertThat(x.get("t:x").status()).isEqualTo(FeatureStatus.PRESENT);
            clock.set(T0.plusSeconds(50 + 3601)); // past the TTL: withheld on read, as the offline join would
            assertThat(fs.readOnline(List.of("t:x"), "a").get("t:x").status()).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
        }
    }

    @Test
    void push_wrongType_isRefusedAndWritesNothing() {
        try (FeatureStore fs = store(new MutableClock(T0), FreshnessListener.NONE)) {
            Table wrong = Table.of(dev.mlops.core.table.StringColumn.of("k", "a"),
                    dev.mlops.core.table.TimestampColumn.of("event_timestamp", T0),
                    dev.mlops.core.table.StringColumn.of("x", "1.5"), dev.mlops.core.table.StringColumn.of("label", "l"));
            assertThatThrownBy(() -> fs.push("v", wrong, null)).isInstanceOf(SchemaMismatchException.class)
                    .hasMessageContaining("'x'").hasMessageContaining("DOUBLE");
            assertThat(Files.exists(dir.resolve("home/push"))).isFalse();
        }
    }

    @Test
    void freshness_isTheAgeOfTheNewestValue_andStaleViewsReachTheListener() {
        MutableClock clock = new MutableClock(T0);
        List<String> told = new ArrayList<>();
        FreshnessListener listener = new FreshnessListener() {
            @Override
            public void stale(String view, Duration age, Duration maxAge) {
                told.add(view + " " + age);
            }
        };
        try (FeatureStore fs = store(clock, listener)) {
            assertThat(fs.freshness("v")).isNull();
            fs.materialize(T0.minusSeconds(60), T0);
            clock.set(T0.plusSeconds(600));
            assertThat(fs.freshness("v")).isEqualTo(Duration.ofMinutes(10));
            assertThat(fs.checkFreshness(Duration.ofMinutes(10))).isEmpty();
            assertThat(fs.checkFreshness(Duration.ofMinutes(5))).containsExactly("v");
            assertThat(told).containsExactly("v PT10M");
            fs.push("v", Table.builder(ROWS).addRow("a", T0.plusSeconds(590), T0.plusSeconds(590), 1.0, "p").build(), null);
            assertThat(fs.freshness("v")).isEqualTo(Duration.ofSeconds(10));
            // an older push does not move the newest pushed time back
            fs.push("v", Table.builder(ROWS).addRow("b", T0.plusSeconds(100), T0.plusSeconds(100), 2.0, "p").build(), null);
            assertThat(fs.freshness("v")).isEqualTo(Duration.ofSeconds(10));
        }
        // after a restart the pushed value still counts: newest pushed event T0 + 590 s, now T0 + 600 s (not the
        // materialization watermark T0, which would give 10 minutes)
        try (FeatureStore again = FeatureStore.builder().home(dir.resolve("home")).clock(clock).build()) {
            assertThat(again.freshness("v")).isEqualTo(Duration.ofSeconds(10));
        }
    }
}
