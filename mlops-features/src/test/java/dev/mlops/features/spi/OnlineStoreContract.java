package dev.mlops.features.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.features.BatchSource;
import dev.mlops.features.BruteForcePit;
import dev.mlops.features.Definitions;
import dev.mlops.features.Entity;
import dev.mlops.features.FeatureStatus;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.FeatureValue;
import dev.mlops.features.FeatureView;
import dev.mlops.features.MutableClock;
import dev.mlops.features.OnlineReader;
import dev.mlops.features.OnlineResponse;
import dev.mlops.features.OnlineRow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link OnlineStore} keeps, and the read semantics the feature store builds on it.
 * An implementation's test extends this class and says how to open its store on a directory; opening
 * again on the same directory (or the same server namespace) must see what was written before.
 */
public abstract class OnlineStoreContract {

    @TempDir
    protected Path dir;

    /** Opens the store under test on {@code home}; a second call after {@code close()} reopens the same data. */
    protected abstract OnlineStore open(Path home);

    private static OnlineRecord rec(String key, long ev, long cr, int... payload) {
        byte[] p = new byte[payload.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) payload[i];
        }
        return new OnlineRecord(key, ev, cr, p);
    }

    @Test
    void write_thenRead_returnsTheRecord_andAbsentKeysAreNull() {
        try (OnlineStore s = open(dir)) {
            assertThat(s.read("v", "a")).isNull();
            s.write("v", List.of(rec("a", 10, 11, 1, 2, 3), rec("b", 20, 21)));
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 11, 1, 2, 3));
            assertThat(s.read("v", "b")).isEqualTo(rec("b", 20, 21));
            assertThat(s.read("v", "c")).isNull();
            assertThat(s.read("other", "a")).isNull();
            assertThat(s.readAll("v", List.of("b", "zz", "a"))).containsExactly(rec("b", 20, 21), null, rec("a", 10, 11, 1, 2, 3));
            assertThat(s.size("v")).isEqualTo(2);
        }
    }

    @Test
    void write_keepsTheNewerRecordByEventThenCreated_andRewritingIsIdempotent() {
        try (OnlineStore s = open(dir)) {
            s.write("v", List.of(rec("a", 10, 5, 1)));
            s.write("v", List.of(rec("a", 9, 99, 2)));      // older event: ignored
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 5, 1));
            s.write("v", List.of(rec("a", 10, 4, 3)));      // same event, older created: ignored
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 5, 1));
            s.write("v", List.of(rec("a", 10, 6, 4)));      // same event, newer created: taken
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 6, 4));
            s.write("v", List.of(rec("a", 10, 6, 4)));      // the same again: no change
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 10, 6, 4));
            assertThat(s.size("v")).isEqualTo(1);
        }
    }

    @Test
    void recordsAndWatermarks_surviveCloseAndReopen() {
        try (OnlineStore s = open(dir)) {
            assertThat(s.watermark("v")).isEmpty();
            s.write("v", List.of(rec("a", 1, 2, 7)));
            s.setWatermark("v", 123);
            s.setWatermark("w", -5);
        }
        try (OnlineStore s = open(dir)) {
            assertThat(s.read("v", "a")).isEqualTo(rec("a", 1, 2, 7));
            assertThat(s.watermark("v")).hasValue(123);
            assertThat(s.watermarks()).containsEntry("v", 123L).containsEntry("w", -5L);
        }
    }

    @Test
    void concurrentWriters_endWithTheNewestRecordPerKey() throws Exception {
        int threads = 4;
        int keys = 200;
        try (OnlineStore s = open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    fs.add(pool.submit(() -> {
                        Random rnd = new Random(seed);
                        for (int i = 0; i < 2000; i++) {
                            int k = rnd.nextInt(keys);
                            int ev = rnd.nextInt(1000);
                            s.write("v", List.of(rec("k" + k, ev, 0, ev % 128)));
                        }
                        // every thread finally writes the winning record of each key
                        for (int k = 0; k < keys; k++) {
                            s.write("v", List.of(rec("k" + k, 5000 + k, 0, k % 128)));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            for (int k = 0; k < keys; k++) {
                assertThat(s.read("v", "k" + k)).isEqualTo(rec("k" + k, 5000 + k, 0, k % 128));
            }
        }
    }

    // ------------------------------------------------------------ read semantics through the feature store

    private static final Instant T0 = Instant.parse("2024-06-01T00:00:00Z");

    private FeatureStore store(MutableClock clock, Path csv, Duration ttl) {
        Entity e = Entity.of("station", "k", ColumnType.STRING);
        FeatureView v = FeatureView.builder("v").entity(e).feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .ttl(ttl).source(BatchSource.csv(csv)).build();
        FeatureStore fs = FeatureStore.builder().home(dir.resolve("home")).clock(clock).onlineStore(open(dir.resolve("online"))).build();
        fs.apply(Definitions.builder().entity(e).view(v).build());
        return fs;
    }

    @Test
    void readOnline_statuses_presentNotFoundNullValueOutsideMaxAge_withTtlEnforcedOnRead() {
        Schema s = Schema.builder().add("k", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("x", ColumnType.DOUBLE)
                .addNullable("label", ColumnType.STRING).build();
        Table rows = Table.builder(s)
                .addRow("a", T0, T0, 1.5, "one")
                .addRow("b", T0, T0, null, "two")
                .build();
        Path csv = dir.resolve("v.csv");
        CsvWriter.builder().build().write(rows, csv);
        MutableClock clock = new MutableClock(T0.plusSeconds(60));
        try (FeatureStore fs = store(clock, csv, Duration.ofSeconds(60))) {
            fs.materialize(T0.minusSeconds(3600), T0.plusSeconds(60));
            OnlineResponse a = fs.readOnline(List.of("v:x", "v:label"), "a");
            assertThat(a.values()).containsExactly(
                    new FeatureValue("v:x", 1.5, T0, FeatureStatus.PRESENT),
                    new FeatureValue("v:label", "one", T0, FeatureStatus.PRESENT));
            assertThat(fs.readOnline(List.of("v:x"), "b").get("v:x")).isEqualTo(new FeatureValue("v:x", null, T0, FeatureStatus.NULL_VALUE));
            assertThat(fs.readOnline(List.of("v:x"), "zz").get("v:x")).isEqualTo(new FeatureValue("v:x", null, null, FeatureStatus.NOT_FOUND));
            clock.set(T0.plusSeconds(60).plusNanos(1000)); // one microsecond past the TTL
            assertThat(fs.readOnline(List.of("v:x"), "a").get("v:x"))
                    .isEqualTo(new FeatureValue("v:x", null, T0, FeatureStatus.OUTSIDE_MAX_AGE));
            clock.set(T0.minusNanos(1000)); // before the event: the offline join would not see it either
            assertThat(fs.readOnline(List.of("v:x"), "a").get("v:x").status()).isEqualTo(FeatureStatus.NOT_FOUND);
        }
    }

    @Test
    void onlineReader_primitiveRows_haveTheStatusesValuesAndEventTimesOfReadOnline() {
        Schema s = Schema.builder().add("k", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP)
                .add("created_timestamp", ColumnType.TIMESTAMP).addNullable("x", ColumnType.DOUBLE)
                .addNullable("label", ColumnType.STRING).build();
        Table rows = Table.builder(s)
                .addRow("a", T0, T0, 1.5, "one")
                .addRow("b", T0, T0, null, "two")
                .build();
        Path csv = dir.resolve("v.csv");
        CsvWriter.builder().build().write(rows, csv);
        MutableClock clock = new MutableClock(T0.plusSeconds(60));
        try (FeatureStore fs = store(clock, csv, Duration.ofSeconds(60))) {
            fs.materialize(T0.minusSeconds(3600), T0.plusSeconds(60));
            OnlineReader reader = fs.onlineReader(List.of("v:label", "v:x"));
            OnlineRow row = reader.newRow();
            int x = row.indexOf("v:x");
            int label = row.indexOf("v:label");
            long t0 = T0.getEpochSecond() * 1_000_000L;
            reader.read("a", row);
            assertThat(row.doubleValue(x)).isEqualTo(1.5);
            assertThat(row.stringValue(label)).isEqualTo("one");
            assertThat(row.eventMicros(x)).isEqualTo(t0);
            assertThat(row.toResponse()).isEqualTo(fs.readOnline(List.of("v:label", "v:x"), "a"));
            reader.read("b", row); // the same row, overwritten
            assertThat(row.status(x)).isEqualTo(FeatureStatus.NULL_VALUE);
            assertThat(row.doubleValue(x, -1)).isEqualTo(-1);
            assertThat(row.stringValue(label)).isEqualTo("two");
            assertThat(row.eventMicros(x)).isEqualTo(t0);
            reader.read("zz", row);
            assertThat(row.status(x)).isEqualTo(FeatureStatus.NOT_FOUND);
            assertThat(row.status(label)).isEqualTo(FeatureStatus.NOT_FOUND);
            assertThat(row.eventMicros(x)).isEqualTo(Long.MIN_VALUE);
            assertThat(row.entityKey()).isEqualTo("zz");
            clock.set(T0.plusSeconds(60).plusNanos(1000)); // one microsecond past the TTL
            reader.read("a", row);
            assertThat(row.status(x)).isEqualTo(FeatureStatus.OUTSIDE_MAX_AGE);
            assertThat(row.present(x)).isFalse();
            assertThat(row.eventMicros(x)).isEqualTo(t0);
            clock.set(T0.minusNanos(1000)); // before the event
            reader.read("a", row);
            assertThat(row.status(x)).isEqualTo(FeatureStatus.NOT_FOUND);
            // many entities: one batch read per view, each into its own row
            clock.set(T0.plusSeconds(1));
            OnlineRow[] many = reader.newRows(3);
            reader.read(List.of("b", "zz", "a"), many);
            assertThat(many[0].status(x)).isEqualTo(FeatureStatus.NULL_VALUE);
            assertThat(many[1].status(x)).isEqualTo(FeatureStatus.NOT_FOUND);
            assertThat(many[2].doubleValue(x)).isEqualTo(1.5);
            assertThat(many[2].stringValue(label)).isEqualTo("one");
            assertThat(many[0].stringValue(label)).isEqualTo("two");
        }
    }

    @Test
    void onlineReadAtNow_equalsOfflineJoinForAnEntityRowAtNow_onRandomData() {
        Random rnd = new Random(21);
        Table features = BruteForcePit.randomFeatures(rnd, 30, 400, true);
        Path csv = dir.resolve("v.csv");
        CsvWriter.builder().build().write(features, csv);
        long ttlMicros = 10_000_000L;
        MutableClock clock = new MutableClock(T0);
        try (FeatureStore fs = store(clock, csv, Duration.ofNanos(ttlMicros * 1000))) {
            var ev = features.timestampColumn("event_timestamp");
            // time moves forward, as it does for a serving process: "now" lands on event times, on them
            // plus 0.7 s multiples, and once past the last event by more than the TTL
            long[] nows = new long[7];
            for (int round = 0; round < 6; round++) {
                nows[round] = ev.epochMicros(rnd.nextInt(features.rowCount())) + (round % 3) * 700_000L;
            }
            nows[6] = java.util.Arrays.stream(ev.toEpochMicrosArray()).max().orElseThrow() + ttlMicros + 1;
            java.util.Arrays.sort(nows);
            int present = 0;
            for (int round = 0; round < nows.length; round++) {
                Instant now = dev.mlops.core.table.TimestampColumn.fromEpochMicros(nows[round]);
                clock.set(now);
                fs.materializeIncremental(now);
                Schema es = Schema.builder().add("k", ColumnType.STRING).add("event_timestamp", ColumnType.TIMESTAMP).build();
                TableBuilder eb = Table.builder(es);
                List<String> keys = new ArrayList<>();
                for (int k = 0; k < 31; k++) {
                    keys.add("key" + k);
                    eb.addRow("key" + k, now);
                }
                Table entities = eb.build();
                Table offline = fs.historical(entities, List.of("v:x", "v:label"), false);
                List<OnlineResponse> online = fs.readOnline(List.of("v:x", "v:label"), keys);
                OnlineReader reader = fs.onlineReader(List.of("v:x", "v:label"));
                OnlineRow[] rowsRead = reader.newRows(keys.size());
                reader.read(keys, rowsRead);
                OnlineRow one = reader.newRow();
                int[] brute = BruteForcePit.match(entities, features, ttlMicros, false);
                for (int b : brute) {
                    if (b >= 0) {
                        present++;
                    }
                }
                for (int k = 0; k < keys.size(); k++) {
                    assertThat(online.get(k).get("v:x").value()).as("round %d key %s", round, keys.get(k)).isEqualTo(offline.value(k, "v__x"));
                    assertThat(online.get(k).get("v:label").value()).isEqualTo(offline.value(k, "v__label"));
                    assertThat(offline.value(k, "v__x")).isEqualTo(brute[k] < 0 ? null : features.value(brute[k], "x"));
                    // the primitive reader, batch and single, against the brute force directly
                    reader.read(keys.get(k), one);
                    for (OnlineRow r : new OnlineRow[] {rowsRead[k], one}) {
                        Object x = brute[k] < 0 ? null : features.value(brute[k], "x");
                        assertThat(r.present(0) ? (Object) r.doubleValue(0) : null).as("round %d key %s", round, keys.get(k))
                                .isEqualTo(x);
                        assertThat(r.stringValue(1)).isEqualTo(brute[k] < 0 ? null : features.value(brute[k], "label"));
                    }
                }
            }
            assertThat(present).as("rows that match at some 'now' (the rest are misses or expired)").isBetween(20, 7 * 31 - 20);
        }
    }
}
