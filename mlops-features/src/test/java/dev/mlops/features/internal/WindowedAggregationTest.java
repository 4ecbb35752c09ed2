package dev.mlops.features.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.Aggregation;
import dev.mlops.features.BatchSource;
import dev.mlops.features.BruteForcePit;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureView;
import dev.mlops.features.MutableClock;
import dev.mlops.features.OnlineResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Windowed aggregations: offline against a brute force written here (scan every row of the key, keep
 * (t - w, t], skip nulls), and online at "now" against offline at "now" (materialized up to "now"), and
 * after pushes merged into the online events.
 */
class WindowedAggregationTest {

    @TempDir
    Path dir;

    private static final List<String> REFS = List.of("v:n5", "v:sum20", "v:mean7", "v:min5", "v:max20", "v:last5");

    private static FeatureView view(Path csv) {
        return FeatureView.builder("v").entity(Entity.of("user", "k", ColumnType.STRING))
                .feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .aggregation("n5", "x", Aggregation.Kind.COUNT, Duration.ofSeconds(5))
                .aggregation("sum20", "x", Aggregation.Kind.SUM, Duration.ofSeconds(20))
                .aggregation("mean7", "x", Aggregation.Kind.MEAN, Duration.ofSeconds(7))
                .aggregation("min5", "x", Aggregation.Kind.MIN, Duration.ofSeconds(5))
                .aggregation("max20", "x", Aggregation.Kind.MAX, Duration.ofSeconds(20))
                .aggregation("last5", "label", Aggregation.Kind.LAST, Duration.ofSeconds(5))
                .source(BatchSource.csv(csv)).build();
    }

    /** The brute-force aggregate of {@code column} for key {@code key} at {@code t}. */
    private static Object brute(Table rows, Object key, long t, long windowMicros, String kind, String column, boolean asKnownAt) {
        long n = 0;
        double sum = 0;
        Double min = null;
        Double max = null;
        Object last = null;
        long lastEv = Long.MIN_VALUE;
        long lastCr = Long.MIN_VALUE;
        for (int r = 0; r < rows.rowCount(); r++) {
            long ev = rows.timestampColumn("event_timestamp").epochMicros(r);
            long cr = rows.timestampColumn("created_timestamp").epochMicros(r);
            Object v = rows.value(r, column);
            if (!rows.value(r, "k").equals(key) || ev <= t - windowMicros || ev > t || (asKnownAt && cr > t) || v == null) {
                continue;
            }
            n++;
            if (v instanceof Double d) {
                sum += d;
                min = min == null ? d : Math.min(min, d);
                max = max == null ? d : Math.max(max, d);
            }
            if (ev > lastEv || (ev == lastEv && cr > lastCr)) {
                lastEv = ev;
                lastCr = cr;
                last = v;
            }
        }
        return switch (kind) {
            case "COUNT" -> n;
            case "SUM" -> n == 0 ? null : sum;
            case "MEAN" -> n == 0 ? null : sum / n;
            case "MIN" -> min;
            case "MAX" -> max;
            default -> last;
        };
    }

    @Test
    void offlineMatchesBruteForce_andOnlineAtNowMatchesOfflineAtNow_beforeAndAfterAPush() {
        Random rnd = new Random(17);
        Table rows = BruteForcePit.randomFeatures(rnd, 5, 150, true);
        Path csv = dir.resolve("v.csv");
        CsvWriter.builder().build().write(rows, csv);
        Table entities = BruteForcePit.randomEntities(rnd, 6, 80, true, rows);
        MutableClock clock = new MutableClock(Instant.EPOCH);
        FeatureView v = view(csv);
        try (FeatureStore fs = FeatureStore.builder().home(dir.resolve("home")).clock(clock).build()) {
            fs.apply(Definitions.builder().entity(v.entity()).view(v).build());
            for (boolean known : new boolean[] {false, true}) {
                Table out = fs.historical(entities, REFS, known);
                for (int i = 0; i < entities.rowCount(); i++) {
                    Object key = entities.value(i, "k");
                    long t = entities.timestampColumn("event_timestamp").epochMicros(i);
                    for (Aggregation a : v.aggregations()) {
                        Object expected = brute(rows, key, t, a.window().toNanos() / 1000, a.kind().name(), a.feature(), known);
                        Object actual = out.value(i, "v__" + a.name());
                        if (expected instanceof Double d) {
                            assertThat((Double) actual).as("%s row %d", a.name(), i).isCloseTo(d, within(1e-9));
                        } else {
                            assertThat(actual).as("%s row %d known %s", a.name(), i, known).isEqualTo(expected);
                        }
                    }
                }
            }
            long maxEv = java.util.Arrays.stream(rows.timestampColumn("event_timestamp").toEpochMicrosArray()).max().orElseThrow();
            Instant before = dev.mlops.core.table.TimestampColumn.fromEpochMicros(maxEv - 3_000_000L);
            clock.set(before);
            fs.materializeIncremental(before);
            assertOnlineEqualsOffline(fs, before);
            // materialized up to the last batch event: from here on only pushes add events
            Instant now = dev.mlops.core.table.TimestampColumn.fromEpochMicros(maxEv);
            clock.set(now);
            fs.materializeIncremental(now);
            assertOnlineEqualsOffline(fs, now);

            // push newer events for two keys (one new), then compare again at a later "now"
            Schema ps = rows.schema();
            TableBuilder pb = Table.builder(ps);
            // half seconds: the random rows are on whole seconds, so no pushed row duplicates one
            pb.addRow("key0", now.plusMillis(1500), now.plusMillis(1500), 1000.0, "pushed-a");
            pb.addRow("key0", now.plusMillis(2500), now.plusMillis(2500), null, "pushed-b");
            pb.addRow("key9", now.plusMillis(2500), now.plusMillis(2500), 7.0, "pushed-c");
            fs.push("v", pb.build(), null);
            Instant later = now.plusSeconds(3);
            clock.set(later);
            assertOnlineEqualsOffline(fs, later);
            fs.materializeIncremental(later); // rebuilding from batch + push log gives the same
            assertOnlineEqualsOffline(fs, later);
            OnlineResponse r = fs.readOnline(REFS, "key9");
            assertThat(r.get("v:n5").value()).isEqualTo(1L);
            assertThat(r.get("v:last5").value()).isEqualTo("pushed-c");
        }
    }

    private static void assertOnlineEqualsOffline(FeatureStore fs, Instant now) {
        List<String> keys = new ArrayList<>();
        TableBuilder eb = Table.builder(Schema.builder().add("k", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP).build());
        for (int k = 0; k < 10; k++) {
            keys.add("key" + k);
            eb.addRow("key" + k, now);
        }
        Table offline = fs.historical(eb.build(), REFS, false);
        List<OnlineResponse> online = fs.readOnline(REFS, keys);
        int nonEmpty = 0;
        for (int k = 0; k < keys.size(); k++) {
            for (String ref : REFS) {
                Object off = offline.value(k, ref.replace(":", "__"));
                assertThat(online.get(k).get(ref).value()).as("%s %s at %s", keys.get(k), ref, now).isEqualTo(off);
                nonEmpty += off == null || Long.valueOf(0).equals(off) ? 0 : 1;
            }
        }
        assertThat(nonEmpty).as("some windows hold events").isPositive();
    }
}
