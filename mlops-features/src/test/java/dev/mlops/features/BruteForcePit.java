package dev.mlops.features;

import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * The reference point-in-time join, written from the wording and nothing else: for each entity
 * row scan every feature row; keep those with the same key, {@code event <= t}, {@code event >= t - ttl}
 * when ttl > 0, and {@code created <= t} in as-known-at mode; take the greatest (event, created).
 * Quadratic on purpose.
 */
public final class BruteForcePit {

    private BruteForcePit() {
    }

    /** The matching feature row per entity row, -1 for none. Feature columns: k, event_timestamp, created_timestamp. */
    public static int[] match(Table entities, Table features, long ttlMicros, boolean asKnownAt) {
        int[] out = new int[entities.rowCount()];
        Column ek = entities.column("k");
        Column fk = features.column("k");
        var et = entities.timestampColumn("event_timestamp");
        var fe = features.timestampColumn("event_timestamp");
        var fc = features.schema().contains("created_timestamp") ? features.timestampColumn("created_timestamp") : null;
        for (int r = 0; r < out.length; r++) {
            long t = et.epochMicros(r);
            int best = -1;
            for (int f = 0; f < features.rowCount(); f++) {
                if (!fk.value(f).equals(ek.value(r))) {
                    continue;
                }
                long ev = fe.epochMicros(f);
                long cr = fc == null ? 0 : fc.epochMicros(f);
                if (ev > t || (ttlMicros > 0 && ev < t - ttlMicros) || (asKnownAt && cr > t)) {
                    continue;
                }
                if (best < 0) {
                    best = f;
                    continue;
                }
                long bev = fe.epochMicros(best);
                long bcr = fc == null ? 0 : fc.epochMicros(best);
                if (ev > bev || (ev == bev && cr > bcr)) {
                    best = f;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** Random feature rows, unsorted, with event-time ties (distinct created), null features; times in whole seconds. */
    public static Table randomFeatures(Random rnd, int keys, int rows, boolean stringKeys) {
        Schema s = Schema.builder().add("k", stringKeys ? ColumnType.STRING : ColumnType.LONG)
                .add("event_timestamp", ColumnType.TIMESTAMP).add("created_timestamp", ColumnType.TIMESTAMP)
                .addNullable("x", ColumnType.DOUBLE).addNullable("label", ColumnType.STRING).build();
        TableBuilder b = Table.builder(s);
        Set<String> seen = new HashSet<>();
        long base = 1_700_000_000_000_000L;
        while (b.rowCount() < rows) {
            int k = rnd.nextInt(keys);
            long ev = base + rnd.nextInt(40) * 1_000_000L;
            long cr = ev + rnd.nextInt(4) * 1_000_000L * (rnd.nextInt(3) == 0 ? 10 : 1);
            if (!seen.add(k + "/" + ev + "/" + cr)) {
                continue;
            }
            b.set(0, stringKeys ? "key" + k : (Object) (long) k);
            b.setEpochMicros(1, ev).setEpochMicros(2, cr);
            if (rnd.nextInt(5) == 0) {
                b.setNull(3);
            } else {
                b.setDouble(3, b.rowCount() + 0.5);
            }
            b.setString(4, rnd.nextInt(4) == 0 ? null : "l" + b.rowCount());
            b.endRow();
        }
        return b.build();
    }

    /**
     * Random entity rows (key range one wider than the features', so some keys miss), times drawn so that
     * many land exactly on a feature event time, on event + 1 s / 5 s / 20 s (the TTL edges) and beside them.
     */
    public static Table randomEntities(Random rnd, int keys, int rows, boolean stringKeys, Table features) {
        Schema s = Schema.builder().add("k", stringKeys ? ColumnType.STRING : ColumnType.LONG)
                .add("event_timestamp", ColumnType.TIMESTAMP).add("rid", ColumnType.LONG).build();
        TableBuilder b = Table.builder(s);
        var fe = features.timestampColumn("event_timestamp");
        long[] offsets = {0, 1, -1, 1_000_000L, 1_000_001L, 5_000_000L, 5_000_001L, 20_000_000L, 20_000_001L, 4_999_999L};
        for (int r = 0; r < rows; r++) {
            int k = rnd.nextInt(keys);
            long t = fe.epochMicros(rnd.nextInt(features.rowCount())) + offsets[rnd.nextInt(offsets.length)];
            b.set(0, stringKeys ? "key" + k : (Object) (long) k);
            b.setEpochMicros(1, t).setLong(2, r).endRow();
        }
        return b.build();
    }
}
