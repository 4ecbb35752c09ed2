package dev.mlops.features;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.TimestampColumn;
import dev.mlops.features.internal.ValueCodec;
import dev.mlops.features.spi.OnlineStore;
import dev.mlops.features.spi.RecordBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The {@link OnlineReader} of {@link DefaultFeatureStore}: a resolved read plan over stored view features. */
final class DefaultOnlineReader implements OnlineReader {

    private final List<String> features;
    private final ColumnType[] types;
    private final int[] viewOf;
    private final FeatureView[] views;
    private final String[] viewNames;
    private final ValueCodec[] codecs;
    private final long[] ttlMicros;
    /** Per view slot, per feature of the view: the requested indexes it fills. */
    private final int[][][] targets;
    /** Per view slot: every requested index it fills. */
    private final int[][] ofView;
    private final Supplier<OnlineStore> store;
    private final Clock clock;

    DefaultOnlineReader(List<String> features, ColumnType[] types, int[] viewOf, int[] indexOf, FeatureView[] views,
                        Supplier<OnlineStore> store, Clock clock) {
        this.features = List.copyOf(features);
        this.types = types;
        this.viewOf = viewOf;
        this.views = views;
        this.store = store;
        this.clock = clock;
        int nv = views.length;
        this.viewNames = new String[nv];
        this.codecs = new ValueCodec[nv];
        this.ttlMicros = new long[nv];
        this.targets = new int[nv][][];
        this.ofView = new int[nv][];
        for (int s = 0; s < nv; s++) {
            FeatureView v = views[s];
            viewNames[s] = v.name();
            codecs[s] = new ValueCodec(v.features().stream().map(dev.mlops.core.table.Field::type).toList());
            ttlMicros[s] = v.ttl().toNanos() / 1000;
            int nf = v.features().size();
            List<List<Integer>> t = new ArrayList<>();
            for (int j = 0; j < nf; j++) {
                t.add(new ArrayList<>());
            }
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < viewOf.length; i++) {
                if (viewOf[i] == s) {
                    t.get(indexOf[i]).add(i);
                    mine.add(i);
                }
            }
            targets[s] = new int[nf][];
            for (int j = 0; j < nf; j++) {
                targets[s][j] = t.get(j).stream().mapToInt(Integer::intValue).toArray();
            }
            ofView[s] = mine.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    @Override
    public List<String> features() {
        return features;
    }

    @Override
    public OnlineRow newRow() {
        return new OnlineRow(this, features, types, viewOf, views.length);
    }

    @Override
    public OnlineRow[] newRows(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, but was " + count);
        }
        OnlineRow[] rows = new OnlineRow[count];
        for (int i = 0; i < count; i++) {
            rows[i] = newRow();
        }
        return rows;
    }

    @Override
    public void read(Object entityKey, OnlineRow row) {
        checkRow(row, 0);
        // key texts first, so a key that fits no entity leaves the row as it was
        OnlineStore online = store.get();
        long now = TimestampColumn.toEpochMicros(clock.instant());
        if (views.length == 1) {
            String key = DefaultFeatureStore.keyText(views[0], entityKey);
            online.readInto(viewNames[0], key, row.buffers[0]);
        } else {
            String[] keys = new String[views.length];
            for (int s = 0; s < views.length; s++) {
                keys[s] = DefaultFeatureStore.keyText(views[s], entityKey);
            }
            for (int s = 0; s < views.length; s++) {
                online.readInto(viewNames[s], keys[s], row.buffers[s]);
            }
        }
        row.entityKey = entityKey;
        for (int s = 0; s < views.length; s++) {
            fill(row, s, now);
        }
    }

    @Override
    public void read(List<?> entityKeys, OnlineRow[] rows) {
        if (rows.length < entityKeys.size()) {
            throw new IllegalArgumentException(entityKeys.size() + " keys need as many rows, but " + rows.length
                    + " were given. Fix: reader.newRows(" + entityKeys.size() + ")");
        }
        for (int e = 0; e < entityKeys.size(); e++) {
            checkRow(rows[e], e);
        }
        List<List<String>> keys = new ArrayList<>(views.length);
        for (FeatureView v : views) {
            List<String> k = new ArrayList<>(entityKeys.size());
            for (Object key : entityKeys) {
                k.add(DefaultFeatureStore.keyText(v, key));
            }
            keys.add(k);
        }
        OnlineStore online = store.get();
        long now = TimestampColumn.toEpochMicros(clock.instant());
        RecordBuffer[] buffers = new RecordBuffer[entityKeys.size()];
        for (int s = 0; s < views.length; s++) {
            for (int e = 0; e < buffers.length; e++) {
                buffers[e] = rows[e].buffers[s];
            }
            online.readAllInto(viewNames[s], keys.get(s), buffers);
        }
        for (int e = 0; e < buffers.length; e++) {
            rows[e].entityKey = entityKeys.get(e);
            for (int s = 0; s < views.length; s++) {
                fill(rows[e], s, now);
            }
        }
    }

    private void checkRow(OnlineRow row, int index) {
        if (row == null) {
            throw new IllegalArgumentException("row " + index + " is null. Fix: reader.newRow()");
        }
        if (row.owner != this) {
            throw new IllegalArgumentException("row " + index + " was made by another reader (for " + row.features()
                    + "). Fix: use this reader's newRow()");
        }
    }

    private void fill(OnlineRow row, int s, long now) {
        RecordBuffer b = row.buffers[s];
        int[] mine = ofView[s];
        if (!b.found() || b.eventMicros() > now) {
            row.viewEvent[s] = Long.MIN_VALUE;
            for (int t : mine) {
                row.status[t] = OnlineRow.NOT_FOUND;
            }
            return;
        }
        row.viewEvent[s] = b.eventMicros();
        if (ttlMicros[s] > 0 && b.eventMicros() < now - ttlMicros[s]) {
            for (int t : mine) {
                row.status[t] = OnlineRow.OUTSIDE_MAX_AGE;
            }
            return;
        }
        codecs[s].decodeInto(b.array(), b.offset(), b.length(), targets[s], row.bits, row.status, row.strPos,
                OnlineRow.PRESENT, OnlineRow.NULL_VALUE);
    }
}
