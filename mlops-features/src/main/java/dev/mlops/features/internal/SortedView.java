package dev.mlops.features.internal;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;
import java.util.HashMap;
import java.util.Map;

/**
 * The rows of one feature view grouped by join key and sorted by ({@code event_ts}, {@code created_ts})
 * within each key: the index that point-in-time lookups binary-search. Built once per view in
 * O(n log n) (a counting sort by key, then a merge sort per key that is skipped when the rows of a key
 * are already in order); checks the rows on the way (no null keys or timestamps, no duplicate
 * (key, event_ts, created_ts)).
 */
public final class SortedView {

    private final JoinView view;
    private final ColumnType keyType;
    private final Map<Object, Integer> keyIds;
    private final int[] groupStart;
    private final int[] order;
    /** Event and created micros in sorted order (parallel to {@link #order}). */
    private final long[] ev;
    private final long[] cr;
    /** The key index of integer keys without boxing ({@code null} for text keys). */
    private final LongIdMap longIds;

    private SortedView(JoinView view, ColumnType keyType, Map<Object, Integer> keyIds, LongIdMap longIds, int[] groupStart,
                       int[] order, long[] ev, long[] cr) {
        this.view = view;
        this.keyType = keyType;
        this.keyIds = keyIds;
        this.longIds = longIds;
        this.groupStart = groupStart;
        this.order = order;
        this.ev = ev;
        this.cr = cr;
    }

    /** Checks and indexes {@code view}. */
    public static SortedView of(JoinView view) {
        Table t = view.table();
        Column keyCol = t.column(view.keyColumn());
        ColumnType keyType = keyCol.type();
        if (keyType != ColumnType.STRING && keyType != ColumnType.LONG) {
            throw new SchemaMismatchException(view.keyColumn(), "a STRING or LONG join key",
                    keyType + " in view '" + view.name() + "' (" + view.source() + ")",
                    "use a text or integer entity key column");
        }
        TimestampColumn evCol = timestampColumn(t, view.eventColumn(), view);
        TimestampColumn crCol = view.createdColumn() == null ? null : timestampColumn(t, view.createdColumn(), view);
        int n = t.rowCount();
        Map<Object, Integer> ids = new HashMap<>();
        LongIdMap longIds = null;
        int[] rowKey = new int[n];
        if (keyCol instanceof StringColumn s) {
            int[] codeToId = new int[s.cardinality()];
            for (int c = 0; c < codeToId.length; c++) {
                codeToId[c] = ids.computeIfAbsent(s.dictionary().get(c), k -> ids.size());
            }
            for (int r = 0; r < n; r++) {
                if (s.isNull(r)) {
                    throw nullCell(view, view.keyColumn(), r, "null join key", "every feature row needs its entity key");
                }
                rowKey[r] = codeToId[s.code(r)];
            }
        } else {
            LongColumn l = (LongColumn) keyCol;
            longIds = new LongIdMap(1024);
            for (int r = 0; r < n; r++) {
                if (l.isNull(r)) {
                    throw nullCell(view, view.keyColumn(), r, "null join key", "every feature row needs its entity key");
                }
                rowKey[r] = longIds.idOrAdd(l.get(r));
            }
            long[] byId = longIds.keysById();
            for (int id = 0; id < byId.length; id++) {
                ids.put(byId[id], id);
            }
        }
        for (int r = 0; r < n; r++) {
            if (evCol.isNull(r)) {
                throw nullCell(view, view.eventColumn(), r, "null event timestamp", "every feature row needs its event time");
            }
            if (crCol != null && crCol.isNull(r)) {
                throw nullCell(view, view.createdColumn(), r, "null created timestamp",
                        "every feature row needs its created (ingestion) time");
            }
        }
        int groups = ids.size();
        int[] start = new int[groups + 1];
        for (int r = 0; r < n; r++) {
            start[rowKey[r] + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] fill = java.util.Arrays.copyOf(start, groups);
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
            order[fill[rowKey[r]]++] = r;
        }
        long[] evRaw = evCol.toEpochMicrosArray();
        long[] crRaw = crCol == null ? null : crCol.toEpochMicrosArray();
        // gather the times into key-grouped order first, so that sorting each key's rows compares
        // neighbouring memory instead of chasing row numbers across the whole table
        long[] ev = new long[n];
        long[] cr = new long[n];
        for (int i = 0; i < n; i++) {
            ev[i] = evRaw[order[i]];
        }
        evRaw = null;
        if (crRaw != null) {
            for (int i = 0; i < n; i++) {
                cr[i] = crRaw[order[i]];
            }
            crRaw = null;
        }
        GroupSort.sortGroups(start, groups, order, ev, cr);
        for (int g = 0; g < groups; g++) {
            for (int i = start[g] + 1; i < start[g + 1]; i++) {
                if (ev[i] == ev[i - 1] && cr[i] == cr[i - 1]) {
                    int a = Math.min(order[i - 1], order[i]);
                    int b = Math.max(order[i - 1], order[i]);
                    throw DataFormatException.builder("duplicate feature rows " + a + " and " + b
                                    + " (0-based data rows) in view '" + view.name() + "': same key "
                                    + keyCol.value(a) + ", event_timestamp " + TimestampColumn.fromEpochMicros(ev[i])
                                    + (crCol == null ? "" : " and created_timestamp " + TimestampColumn.fromEpochMicros(cr[i])))
                            .source(view.source()).column(view.keyColumn()).value(String.valueOf(keyCol.value(a)))
                            .fix(crCol == null ? "remove the duplicate or add a created_timestamp column to order corrections"
                                    : "remove the duplicate row or give the correction a later created_timestamp")
                            .build();
                }
            }
        }
        return new SortedView(view, keyType, ids, longIds, start, order, ev, cr);
    }

    private static TimestampColumn timestampColumn(Table t, String name, JoinView view) {
        Column c = t.column(name);
        if (c.type() != ColumnType.TIMESTAMP) {
            throw new SchemaMismatchException(name, "TIMESTAMP", c.type() + " in view '" + view.name() + "' (" + view.source() + ")",
                    "write '" + name + "' as ISO-8601 with a zone offset, e.g. 2024-03-01T12:00:00Z");
        }
        return (TimestampColumn) c;
    }

    private static DataFormatException nullCell(JoinView view, String column, int row, String problem, String fix) {
        return DataFormatException.builder(problem + " in data row " + row + " (0-based) of view '" + view.name() + "'")
                .source(view.source()).column(column).fix(fix).build();
    }

    public JoinView view() {
        return view;
    }

    public ColumnType keyType() {
        return keyType;
    }

    /** Number of distinct keys. */
    public int keyCount() {
        return groupStart.length - 1;
    }

    /** The id of {@code key} ({@code String} or {@code Long}), or -1 when the view has no row for it. */
    public int keyId(Object key) {
        Integer id = keyIds.get(key);
        return id == null ? -1 : id;
    }

    /** Map of key to id, for callers that translate a whole column at once. */
    Map<Object, Integer> keyIds() {
        return keyIds;
    }

    /** The key ids of {@code keys}' rows (-1 for a key the view lacks); nulls refused with {@code source} named. */
    public int[] keyIdsOf(Column keys, String source) {
        int n = keys.size();
        int[] out = new int[n];
        if (keys instanceof StringColumn s) {
            int[] codeToId = new int[s.cardinality()];
            for (int c = 0; c < codeToId.length; c++) {
                codeToId[c] = keyId(s.dictionary().get(c));
            }
            for (int r = 0; r < n; r++) {
                if (s.isNull(r)) {
                    throw DataFormatException.builder("null join key in entity row " + r + " (0-based)")
                            .source(source).column(keys.name()).fix("every entity row needs its key").build();
                }
                out[r] = codeToId[s.code(r)];
            }
        } else {
            LongColumn l = (LongColumn) keys;
            for (int r = 0; r < n; r++) {
                if (l.isNull(r)) {
                    throw DataFormatException.builder("null join key in entity row " + r + " (0-based)")
                            .source(source).column(keys.name()).fix("every entity row needs its key").build();
                }
                out[r] = longIds != null ? longIds.get(l.get(r)) : keyId(l.get(r));
            }
        }
        return out;
    }

    /**
     * {@link #lookup} for every entity row at once: {@code match[r] = lookup(ids[r], t[r], asKnownAt)}.
     * With {@code executor} non-null and enough rows, the second half of the rows runs on the executor while
     * the caller runs the first; the result is the same either way.
     */
    public void lookupAll(int[] ids, long[] t, boolean asKnownAt, int[] match, java.util.concurrent.Executor executor) {
        int n = ids.length;
        if (executor == null || n < PARALLEL_MIN_ROWS) {
            lookupRange(0, n, ids, t, asKnownAt, match);
            return;
        }
        int half = n >>> 1;
        java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(
                () -> lookupRange(half, n, ids, t, asKnownAt, match), executor);
        lookupRange(0, half, ids, t, asKnownAt, match);
        other.join();
    }

    /** Below this many entity rows {@link #lookupAll} stays on the calling thread. */
    public static final int PARALLEL_MIN_ROWS = 65_536;

    private void lookupRange(int from, int to, int[] ids, long[] t, boolean asKnownAt, int[] match) {
        for (int r = from; r < to; r++) {
            match[r] = lookup(ids[r], t[r], asKnownAt);
        }
    }

    /**
     * The data row (in the view's table) that Feast's point-in-time rule picks for key {@code keyId} at
     * {@code t}, or -1: the greatest (event_ts, created_ts) with event_ts &lt;= t, event_ts &gt;= t - ttl when
     * the TTL is non-zero, and, in as-known-at mode, created_ts &lt;= t.
     */
    public int lookup(int keyId, long t, boolean asKnownAt) {
        int p = lookupPos(keyId, t, asKnownAt);
        return p < 0 ? -1 : order[p];
    }

    private int lookupPos(int keyId, long t, boolean asKnownAt) {
        if (keyId < 0) {
            return -1;
        }
        int lo = groupStart[keyId];
        int hi = groupStart[keyId + 1];
        // first index in [lo, hi) with ev > t
        int a = lo;
        int b = hi;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (ev[m] <= t) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        long ttl = view.ttlMicros();
        long floor = ttl == 0 ? Long.MIN_VALUE : (t < Long.MIN_VALUE + ttl ? Long.MIN_VALUE : t - ttl);
        for (int i = a - 1; i >= lo; i--) {
            if (ev[i] < floor) {
                return -1;
            }
            if (!asKnownAt || cr[i] <= t) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The data row with the greatest (event_ts, created_ts) among rows of {@code keyId} whose event_ts is in
     * [{@code from}, {@code to}] (inclusive), or -1: what materialization writes for that key.
     */
    /** The newest row of {@code keyId} (greatest event time, then created time), whatever its age; -1 if none. */
    public int newestRow(int keyId) {
        if (keyId < 0 || groupStart[keyId + 1] == groupStart[keyId]) {
            return -1;
        }
        return order[groupStart[keyId + 1] - 1];
    }

    public int latestIn(int keyId, long from, long to) {
        int p = lookupPos(keyId, to, false);
        return p >= 0 && ev[p] >= from ? order[p] : -1;
    }

    /**
     * Visits the rows of {@code keyId} with event time in ({@code fromExclusive}, {@code toInclusive}] and, in
     * as-known-at mode, created time &lt;= {@code toInclusive}: (data row, event micros, created micros).
     */
    public void forEachInWindow(int keyId, long fromExclusive, long toInclusive, boolean asKnownAt, RowVisitor visitor) {
        if (keyId < 0) {
            return;
        }
        int lo = groupStart[keyId];
        int hi = groupStart[keyId + 1];
        int a = lo;
        int b = hi;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (ev[m] <= fromExclusive) {
                a = m + 1;
            } else {
                b = m;
            }
        }
        for (int p = a; p < hi && ev[p] <= toInclusive; p++) {
            if (!asKnownAt || cr[p] <= toInclusive) {
                visitor.visit(order[p], ev[p], cr[p]);
            }
        }
    }

    /** Receives rows from {@link #forEachInWindow}. */
    @FunctionalInterface
    public interface RowVisitor {
        void visit(int row, long eventMicros, long createdMicros);
    }

    /** Event micros of data row {@code row}. */
    public long eventMicros(int row) {
        return view.table().timestampColumn(view.eventColumn()).epochMicros(row);
    }

    /** Created micros of data row {@code row} (0 when the view has no created column). */
    public long createdMicros(int row) {
        return view.createdColumn() == null ? 0 : view.table().timestampColumn(view.createdColumn()).epochMicros(row);
    }

    /** The key of every group, by id. */
    public Object[] keysById() {
        Object[] keys = new Object[keyCount()];
        keyIds.forEach((k, id) -> keys[id] = k);
        return keys;
    }
}
