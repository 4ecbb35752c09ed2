package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnlineReader} on the embedded (Chronicle Map) store: every column type, two views of one entity with
 * different TTLs, and the errors. Expected values are the literals written to the source CSVs.
 */
class OnlineReaderTest {

    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");
    static final long T0_MICROS = T0.getEpochSecond() * 1_000_000L;
    static final Entity USER = Entity.of("user", "uid", ColumnType.LONG);

    FeatureStore store(MutableClock clock) {
        Schema profile = Schema.builder().add("uid", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("score", ColumnType.DOUBLE)
                .addNullable("visits", ColumnType.LONG).addNullable("vip", ColumnType.BOOLEAN)
                .addNullable("since", ColumnType.TIMESTAMP).addNullable("city", ColumnType.STRING).build();
        CsvWriter.builder().build().write(Table.builder(profile)
                .addRow(7L, T0, T0, 0.25, 12L, true, Instant.parse("2020-01-02T03:04:05Z"), "Zürich")
                .addRow(8L, T0, T0, null, null, null, null, null)
                .build(), dir.resolve("profile.csv"));
        Schema clicks = Schema.builder().add("uid", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).add("clicks", ColumnType.LONG).build();
        CsvWriter.builder().build().write(Table.builder(clicks)
                .addRow(7L, T0.minusSeconds(30), T0.minusSeconds(30), 3L)
                .build(), dir.resolve("clicks.csv"));
        FeatureView p = FeatureView.builder("profile").entity(USER).feature("score", ColumnType.DOUBLE)
                .feature("visits", ColumnType.LONG).feature("vip", ColumnType.BOOLEAN)
                .feature("since", ColumnType.TIMESTAMP).feature("city", ColumnType.STRING)
                .source(BatchSource.csv(dir.resolve("profile.csv"))).build();
        FeatureView c = FeatureView.builder("clicks").entity(USER).feature("clicks", ColumnType.LONG)
                .ttl(Duration.ofSeconds(60)).source(BatchSource.csv(dir.resolve("clicks.csv"))).build();
        FeatureView offline = FeatureView.builder("cold").entity(USER).feature("clicks", ColumnType.LONG)
                .online(false).source(BatchSource.csv(dir.resolve("clicks.csv"))).build();
        OnDemandFeature twice = OnDemandFeature.builder("derived", "twice", ColumnType.DOUBLE).input("profile:score")
                .function(in -> in.get("profile:score") == null ? null : 2 * (Double) in.get("profile:score")).build();
        FeatureStore fs = FeatureStore.builder().home(dir.resolve("home")).clock(clock).build();
        fs.apply(Definitions.builder().entity(USER).view(p).view(c).view(offline).onDemand(twice).build());
        fs.materialize(T0.minusSeconds(3600), T0);
        return fs;
    }

    @Test
    void read_everyType_twoViews_eachWithItsOwnTtl() {
        MutableClock clock = new MutableClock(T0.plusSeconds(20));
        try (FeatureStore fs = store(clock)) {
            List<String> features = List.of("profile:score", "profile:visits", "profile:vip", "profile:since",
                    "profile:city", "clicks:clicks");
            OnlineReader reader = fs.onlineReader(features);
            assertThat(reader.features()).isEqualTo(features);
            OnlineRow row = reader.newRow();
            assertThat(row.status(0)).isEqualTo(FeatureStatus.NOT_FOUND); // before any read
            reader.read(7L, row);
            assertThat(row.doubleValue(0)).isEqualTo(0.25);
            assertThat(row.longValue(1)).isEqualTo(12L);
            assertThat(row.doubleValue(1)).isEqualTo(12.0);
            assertThat(row.booleanValue(2)).isTrue();
            assertThat(row.timestampMicros(3)).isEqualTo(Instant.parse("2020-01-02T03:04:05Z").getEpochSecond() * 1_000_000L);
            assertThat(row.stringValue(4)).isEqualTo("Zürich");
            assertThat(row.longValue(5)).isEqualTo(3L);
            assertThat(row.eventMicros(0)).isEqualTo(T0_MICROS);
            assertThat(row.eventMicros(5)).isEqualTo(T0_MICROS - 30_000_000L);
            assertThat(row.value(3)).isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
            assertThat(row.toResponse()).isEqualTo(fs.readOnline(features, 7L));

            // 31 s later the clicks row (event T0 - 30 s, TTL 60 s) has expired; the profile (no TTL) has not
            clock.set(T0.plusSeconds(31));
            reader.read(7L, row);
            assertThat(row.status(5)).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
            assertThat(row.longValue(5, -1)).isEqualTo(-1);
            assertThat(row.doubleValue(0)).isEqualTo(0.25);
            assertThat(row.toResponse()).isEqualTo(fs.readOnline(features, 7L));

            reader.read(8L, row); // every profile value null; no clicks row at all
            for (int i = 0; i < 5; i++) {
                assertThat(row.status(i)).as(features.get(i)).isEqualTo(FeatureStatus.NULL_VALUE);
            }
            assertThat(row.stringValue(4)).isNull();
            assertThat(row.status(5)).isEqualTo(FeatureStatus.NOT_FOUND);
            assertThat(row.toResponse()).isEqualTo(fs.readOnline(features, 8L));
            assertThatThrownBy(() -> row.doubleValue(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'profile:score' of entity 8 is NULL_VALUE");
            assertThatThrownBy(() -> row.booleanValue(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'profile:score' is DOUBLE, not BOOLEAN");
            assertThatThrownBy(() -> row.indexOf("profile:nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not read by this reader");
        }
    }

    @Test
    void onlineReader_refusesWhatItCannotServe_withTheReason() {
        try (FeatureStore fs = store(new MutableClock(T0))) {
            assertThatThrownBy(() -> fs.onlineReader(List.of("derived:twice")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("on-demand feature")
                    .hasMessageContaining("readOnline");
            assertThatThrownBy(() -> fs.onlineReader(List.of("cold:clicks")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not online");
            assertThatThrownBy(() -> fs.onlineReader(List.of("profile:score", "profile:score")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requested twice");
            assertThatThrownBy(() -> fs.onlineReader(List.of("profile:scor")))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("profile:score");
            assertThatThrownBy(() -> fs.onlineReader(List.of())).isInstanceOf(IllegalArgumentException.class);

            OnlineReader reader = fs.onlineReader(List.of("profile:score"));
            OnlineReader other = fs.onlineReader(List.of("profile:score"));
            OnlineRow row = reader.newRow();
            assertThatThrownBy(() -> other.read(7L, row)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("another reader");
            assertThatThrownBy(() -> reader.read("7", row)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pass a Long");
            assertThat(row.entityKey()).isNull(); // the refused read left the row as it was
            assertThatThrownBy(() -> reader.read(List.of(7L, 8L), reader.newRows(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("newRows(2)");
        }
    }
}
