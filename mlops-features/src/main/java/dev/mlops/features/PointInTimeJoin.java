package dev.mlops.features;

import dev.mlops.core.table.Table;
import dev.mlops.features.internal.JoinView;
import dev.mlops.features.internal.PitJoinEngine;
import dev.mlops.features.internal.SortedView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A point-in-time-correct join of feature rows onto entity rows, with Feast's semantics, usable with or
 * without a {@link FeatureStore} (the store's historical retrieval runs through it).
 *
 * <pre>{@code
 * Table training = PointInTimeJoin.builder()
 *         .entityKey("station")
 *         .view("weather", weatherRows, Duration.ofHours(2))
 *         .build()
 *         .join(entityRows);
 * }</pre>
 *
 * <h2>Semantics</h2>
 * Every entity row is kept, in its original order, with all its columns. For each view and each entity
 * row with key {@code k} and timestamp {@code t}, the feature row taken is, among the view's rows with
 * key {@code k} and {@code event_ts <= t} and, when the view's TTL is non-zero,
 * {@code event_ts >= t - ttl} (both bounds inclusive), the one with the greatest {@code event_ts}, ties
 * broken by the greatest {@code created_ts}. In {@linkplain Builder#asKnownAt(boolean) as-known-at mode}
 * the rows must also have {@code created_ts <= t}, so a correction written after {@code t} does not
 * leak into a row at {@code t}. No such row gives nulls. Each feature becomes a column
 * {@code <view>__<feature>}, nullable, appended in view then feature order.
 *
 * <h2>Errors</h2>
 * Key types that differ between the entity rows and a view, or a key that is not STRING or LONG, and a
 * timestamp column that is not TIMESTAMP throw {@link dev.mlops.core.SchemaMismatchException}. A null join
 * key or timestamp, and two feature rows with the same (key, event_ts, created_ts), throw
 * {@link dev.mlops.core.DataFormatException} naming the rows. A missing column or feature throws
 * {@link dev.mlops.core.ColumnNotFoundException}.
 *
 * <h2>Cost</h2>
 * Each view is indexed once (O(n log n); grouping by key, then sorting each key's rows by time unless they
 * are already sorted), then each entity row costs one hash lookup and one binary search per view. In
 * as-known-at mode rows created after {@code t} are skipped one by one. For 65,536 entity rows or more the
 * lookups are split in two halves, one run on the {@linkplain Builder#executor(Executor) executor} and one
 * on the calling thread; the output is identical to the sequential join.
 */
public final class PointInTimeJoin {

    private final String entityKey;
    private final String entityTimestamp;
    private final List<JoinView> views;
    private final boolean asKnownAt;
    private final Executor executor;

    private PointInTimeJoin(Builder b) {
        this.executor = b.executor;
        this.entityKey = b.entityKey;
        this.entityTimestamp = b.entityTimestamp;
        this.views = List.copyOf(b.views);
        this.asKnownAt = b.asKnownAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Joins the views onto {@code entities}. */
    public Table join(Table entities) {
        return join(entities, "entity rows");
    }

    /** As {@link #join(Table)}, naming the entity rows {@code source} (e.g. their file) in errors. */
    public Table join(Table entities, String source) {
        List<SortedView> sorted = new ArrayList<>(views.size());
        for (JoinView v : views) {
            sorted.add(SortedView.of(v));
        }
        return PitJoinEngine.join(entities, entityKey, entityTimestamp, sorted, asKnownAt, source, executor);
    }

    /** Collects the join's settings. */
    public static final class Builder {
        private String entityKey;
        private String entityTimestamp = "event_timestamp";
        private String eventColumn = "event_timestamp";
        private String createdColumn = "created_timestamp";
        private final List<JoinView> views = new ArrayList<>();
        private boolean asKnownAt;
        private Executor executor = ForkJoinPool.commonPool();

        private Builder() {
        }

        /**
         * Where the second half of the per-row lookups runs while the calling thread runs the first half
         * (entity tables of 65,536 rows or more);
         * {@link ForkJoinPool#commonPool()} by default. {@code Runnable::run} keeps the whole join on the
         * calling thread. The result is the same whichever executor runs it.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor (use Runnable::run to stay on the calling thread)");
            return this;
        }

        /** The join key column, with the same name in the entity rows and in every view. */
        public Builder entityKey(String column) {
            this.entityKey = Names.check("entity key", column);
            return this;
        }

        /** The entity rows' timestamp column ({@code event_timestamp} by default). */
        public Builder entityTimestamp(String column) {
            this.entityTimestamp = Names.check("entity timestamp column", column);
            return this;
        }

        /**
         * The timestamp columns of the views added after this call ({@code event_timestamp} and
         * {@code created_timestamp} by default); {@code created} {@code null} means the rows have none.
         */
        public Builder viewTimestamps(String event, String created) {
            this.eventColumn = Names.check("event timestamp column", event);
            this.createdColumn = created == null ? null : Names.check("created timestamp column", created);
            return this;
        }

        /** A view whose features are all columns of {@code rows} except the key and timestamps. */
        public Builder view(String name, Table rows, Duration ttl) {
            return view(name, rows, ttl, null);
        }

        /**
         * A view returning {@code features} (all non-key, non-timestamp columns when {@code null}). If
         * {@code rows} has no created-timestamp column, ties on (key, event_ts) are duplicates.
         */
        public Builder view(String name, Table rows, Duration ttl, List<String> features) {
            return view(name, rows, ttl, features, name);
        }

        /** As {@link #view(String, Table, Duration, List)}, naming {@code source} (e.g. the file) in errors. */
        public Builder view(String name, Table rows, Duration ttl, List<String> features, String source) {
            Names.check("view name", name);
            Objects.requireNonNull(rows, "rows");
            if (ttl.isNegative() || ttl.getNano() % 1000 != 0) {
                throw new IllegalArgumentException("ttl of view '" + name + "' must be >= 0 whole microseconds, got " + ttl);
            }
            if (entityKey == null) {
                throw new IllegalStateException("call entityKey(...) before adding views");
            }
            String created = createdColumn != null && rows.schema().contains(createdColumn) ? createdColumn : null;
            List<String> f = features != null ? features
                    : PitJoinEngine.otherColumns(rows, created == null ? new String[] {entityKey, eventColumn}
                    : new String[] {entityKey, eventColumn, created});
            for (String c : f) {
                rows.schema().position(c);
            }
            long ttlMicros = Math.multiplyExact(ttl.getSeconds(), 1_000_000L) + ttl.getNano() / 1000;
            views.add(new JoinView(name, rows, entityKey, eventColumn, created, f, ttlMicros, source));
            return this;
        }

        /** Reads a CSV or Parquet file (by extension) and adds it as a view. */
        public Builder view(String name, Path file, Duration ttl) {
            Table rows = dev.mlops.features.internal.SourceReader.read(file, null,
                    dev.mlops.features.internal.SourceReader.isParquet(file));
            return view(name, rows, ttl, null, file.toString());
        }

        /** Also require {@code created_ts <= t}: no leakage of corrections made after the entity row's time. */
        public Builder asKnownAt(boolean asKnownAt) {
            this.asKnownAt = asKnownAt;
            return this;
        }

        public PointInTimeJoin build() {
            if (entityKey == null) {
                throw new IllegalStateException("entityKey is required");
            }
            if (views.isEmpty()) {
                throw new IllegalStateException("add at least one view");
            }
            return new PointInTimeJoin(this);
        }
    }
}
