package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The join against {@link BruteForcePit}, a reference written here straight from the wording
 * (scan every feature row, keep those that qualify, take the greatest (event_ts, created_ts)).
 */
class PointInTimeJoinTest {

    @Test
    void randomData_matchesBruteForce_withTiesNullsTtlEdgesAndUnsortedInput() {
        Random rnd = new Random(7);
        for (int round = 0; round < 40; round++) {
            int keys = 1 + rnd.nextInt(6);
            boolean stringKeys = rnd.nextBoolean();
            Table features = BruteForcePit.randomFeatures(rnd, keys, 1 + rnd.nextInt(80), stringKeys);
            Table entities = BruteForcePit.randomEntities(rnd, keys + 1, 1 + rnd.nextInt(60), stringKeys, features);
            long ttlMicros = switch (round % 4) {
                case 0 -> 0;
                case 1 -> 5_000_000L;
                case 2 -> 1_000_000L;
                default -> 20_000_000L;
            };
            for (boolean asKnownAt : new boolean[] {false, true}) {
                Table actual = PointInTimeJoin.builder().entityKey("k")
                        .view("v", features, Duration.ofNanos(ttlMicros * 1000))
                        .asKnownAt(asKnownAt).build().join(entities);
                int[] expected = BruteForcePit.match(entities, features, ttlMicros, asKnownAt);
                assertThat(actual.rowCount()).isEqualTo(entities.rowCount());
                assertThat(actual.schema().names()).containsExactly("k", "event_timestamp", "rid", "v__x", "v__label");
                for (int r = 0; r < entities.rowCount(); r++) {
                    assertThat(actual.value(r, "rid")).isEqualTo(entities.value(r, "rid"));
                    Object ex = expected[r] < 0 ? null : features.value(expected[r], "x");
                    Object el = expected[r] < 0 ? null : features.value(expected[r], "label");
                    assertThat(actual.value(r, "v__x")).as("round %d row %d asKnownAt %s", round, r, asKnownAt).isEqualTo(ex);
                    assertThat(actual.value(r, "v__label")).as("round %d row %d", round, r).isEqualTo(el);
                }
            }
        }
    }

    @Test
    void ttlBoundsAreInclusive_atExactBoundaryValues() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(StringColumn.of("k", "a"), TimestampColumn.of("event_timestamp", t0),
                TimestampColumn.of("created_timestamp", t0), DoubleColumn.of("x", 1.0));
        Table entities = Table.of(StringColumn.of("k", "a", "a", "a", "a"),
                TimestampColumn.of("event_timestamp", t0.minusNanos(1000), t0, t0.plusSeconds(10), t0.plusSeconds(10).plusNanos(1000)));
        Table out = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ofSeconds(10)).build().join(entities);
        // before the event: null; at the event: match; at event + ttl exactly: match; 1 us later: null
        assertThat(out.value(0, "v__x")).isNull();
        assertThat(out.value(1, "v__x")).isEqualTo(1.0);
        assertThat(out.value(2, "v__x")).isEqualTo(1.0);
        assertThat(out.value(3, "v__x")).isNull();
    }

    @Test
    void tiesOnEventTime_takeGreatestCreated_andAsKnownAtSkipsLateCorrections() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(LongColumn.of("k", 1, 1),
                TimestampColumn.of("event_timestamp", t0, t0),
                TimestampColumn.of("created_timestamp", t0.plusSeconds(100), t0), // the correction comes first in the file
                DoubleColumn.of("x", 2.0, 1.0));
        Table entities = Table.of(LongColumn.of("k", 1, 1), TimestampColumn.of("event_timestamp", t0.plusSeconds(50), t0.plusSeconds(100)));
        Table plain = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities);
        assertThat(plain.value(0, "v__x")).isEqualTo(2.0);
        assertThat(plain.value(1, "v__x")).isEqualTo(2.0);
        Table known = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).asKnownAt(true).build().join(entities);
        assertThat(known.value(0, "v__x")).isEqualTo(1.0);
        assertThat(known.value(1, "v__x")).isEqualTo(2.0);
    }

    @Test
    void duplicateKeyEventCreated_isRefusedNamingBothRows() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(StringColumn.of("k", "a", "b", "a"),
                TimestampColumn.of("event_timestamp", t0, t0, t0), TimestampColumn.of("created_timestamp", t0, t0, t0),
                DoubleColumn.of("x", 1, 2, 3));
        Table entities = Table.of(StringColumn.of("k", "a"), TimestampColumn.of("event_timestamp", t0));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("duplicate feature rows 0 and 2").hasMessageContaining("view 'v'");
    }

    @Test
    void nullJoinKey_inEntitiesOrFeatures_isRefused() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(StringColumn.of("k", "a", null),
                TimestampColumn.of("event_timestamp", t0, t0), DoubleColumn.of("x", 1, 2));
        Table entities = Table.of(StringColumn.of("k", "a"), TimestampColumn.of("event_timestamp", t0));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("null join key in data row 1");
        Table okFeatures = features.head(1);
        Table badEntities = Table.of(StringColumn.of("k", "a", null), TimestampColumn.of("event_timestamp", t0, t0));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", okFeatures, Duration.ZERO).build().join(badEntities))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("null join key in entity row 1");
    }

    @Test
    void wrongTypes_areRefusedWithBothSidesNamed() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(LongColumn.of("k", 1), TimestampColumn.of("event_timestamp", t0), DoubleColumn.of("x", 1));
        Table entities = Table.of(StringColumn.of("k", "1"), TimestampColumn.of("event_timestamp", t0));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("STRING").hasMessageContaining("LONG");
        Table textTime = Table.of(LongColumn.of("k", 1), StringColumn.of("event_timestamp", "2024-01-01 00:00:00"));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(textTime))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("TIMESTAMP").hasMessageContaining("zone");
    }

    @Test
    void unknownFeature_isRefused() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(LongColumn.of("k", 1), TimestampColumn.of("event_timestamp", t0), DoubleColumn.of("x", 1));
        assertThatThrownBy(() -> PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO, List.of("y")))
                .isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("'y'");
    }

    @Test
    void emptyEntityRows_giveEmptyResultWithFeatureColumns() {
        Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
        Table features = Table.of(LongColumn.of("k", 1), TimestampColumn.of("event_timestamp", t0), DoubleColumn.of("x", 1));
        Table entities = Table.empty(Schema.builder().add("k", ColumnType.LONG).add("event_timestamp", ColumnType.TIMESTAMP).build());
        Table out = PointInTimeJoin.builder().entityKey("k").view("v", features, Duration.ZERO).build().join(entities);
        assertThat(out.rowCount()).isZero();
        assertThat(out.schema().names()).containsExactly("k", "event_timestamp", "v__x");
    }
}
