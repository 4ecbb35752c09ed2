package dev.mlops.features.internal;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.BooleanColumn;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TimestampColumn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/** The point-in-time join: entity rows kept in order, one lookup per (row, view) in a {@link SortedView}. */
public final class PitJoinEngine {

    private PitJoinEngine() {
    }

    /**
     * Joins {@code views} onto {@code entities}; see {@code dev.mlops.features.PointInTimeJoin} for the rule.
     *
     * @param source what to call the entity rows in error messages
     */
    public static Table join(Table entities, String entityKey, String entityTs, List<SortedView> views,
                             boolean asKnownAt, String source) {
        return join(entities, entityKey, entityTs, views, asKnownAt, source, null);
    }

    /**
     * As {@link #join(Table, String, String, List, boolean, String)}, splitting the per-row lookups between
     * the caller and {@code executor} (none when {@code null}); the result does not depend on it.
     */
    public static Table join(Table entities, String entityKey, String entityTs, List<SortedView> views,
                             boolean asKnownAt, String source, Executor executor) {
        Column keys = entities.column(entityKey);
        Column tsCol = entities.column(entityTs);
        if (tsCol.type() != ColumnType.TIMESTAMP) {
            throw new SchemaMismatchException(entityTs, "TIMESTAMP", tsCol.type() + " in the entity rows (" + source + ")",
                    "write '" + entityTs + "' as ISO-8601 with a zone offset, e.g. 2024-03-01T12:00:00Z");
        }
        TimestampColumn ts = (TimestampColumn) tsCol;
        for (int r = 0; r < ts.size(); r++) {
            if (ts.isNull(r)) {
                throw DataFormatException.builder("null timestamp in entity row " + r + " (0-based)")
                        .source(source).column(entityTs).fix("every entity row needs the time to join as of").build();
            }
        }
        long[] t = ts.toEpochMicrosArray();
        Set<String> names = new HashSet<>(entities.schema().names());
        Table out = entities;
        for (SortedView v : views) {
            if (keys.type() != v.keyType()) {
                throw new SchemaMismatchException(entityKey, keys.type() + " (the entity rows' '" + entityKey + "')",
                        v.keyType() + " ('" + v.view().keyColumn() + "' in view '" + v.view().name() + "', " + v.view().source() + ")",
                        "give the key the same type in the entity rows and the view (both text or both integers)");
            }
            int[] ids = v.keyIdsOf(keys, source);
            int[] match = new int[t.length];
            v.lookupAll(ids, t, asKnownAt, match, executor);
            Table ft = v.view().table();
            for (String f : v.view().features()) {
                String name = v.view().name() + "__" + f;
                if (!names.add(name)) {
                    throw new IllegalArgumentException("output column '" + name + "' already exists; rename the entity column or the view");
                }
                out = out.withColumn(gather(ft.column(f), match, name));
            }
        }
        return out;
    }

    /** The cells of {@code c} at {@code rows}, -1 giving null, under {@code name}. */
    public static Column gather(Column c, int[] rows, String name) {
        int n = rows.length;
        switch (c) {
            case DoubleColumn d -> {
                DoubleColumn.Builder b = DoubleColumn.builder(name, n);
                for (int r : rows) {
                    if (r < 0 || d.isNull(r)) {
                        b.addNull();
                    } else {
                        b.add(d.get(r));
                    }
                }
                return b.build();
            }
            case LongColumn l -> {
                LongColumn.Builder b = LongColumn.builder(name, n);
                for (int r : rows) {
                    if (r < 0 || l.isNull(r)) {
                        b.addNull();
                    } else {
                        b.add(l.get(r));
                    }
                }
                return b.build();
            }
            case BooleanColumn x -> {
                BooleanColumn.Builder b = BooleanColumn.builder(name);
                for (int r : rows) {
                    if (r < 0 || x.isNull(r)) {
                        b.addNull();
                    } else {
                        b.add(x.get(r));
                    }
                }
                return b.build();
            }
            case StringColumn s -> {
                StringColumn.Builder b = StringColumn.builder(name, n);
                for (int r : rows) {
                    b.add(r < 0 ? null : s.get(r));
                }
                return b.build();
            }
            case TimestampColumn x -> {
                TimestampColumn.Builder b = TimestampColumn.builder(name, n);
                for (int r : rows) {
                    if (r < 0 || x.isNull(r)) {
                        b.addNull();
                    } else {
                        b.addEpochMicros(x.epochMicros(r));
                    }
                }
                return b.build();
            }
        }
    }

    /** Column names of {@code t} other than the given ones, in order. */
    public static List<String> otherColumns(Table t, String... except) {
        List<String> out = new ArrayList<>(t.schema().names());
        for (String e : except) {
            out.remove(e);
        }
        return out;
    }
}
