package dev.mlops.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.core.table.TimestampColumn;
import dev.mlops.features.internal.AtomicFiles;
import dev.mlops.features.internal.JoinView;
import dev.mlops.features.internal.OnlineStores;
import dev.mlops.features.internal.PitJoinEngine;
import dev.mlops.features.internal.SortedView;
import dev.mlops.features.internal.SourceReader;
import dev.mlops.features.internal.ValueCodec;
import dev.mlops.features.spi.OnlineRecord;
import dev.mlops.features.spi.OnlineStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link FeatureStore} behind {@link FeatureStore#builder()}. */
final class DefaultFeatureStore implements FeatureStore {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultFeatureStore.class);

    private final Path home;
    private final Clock clock;
    private final MeterRegistry meters;
    private final long onlineCapacity;
    private final MaterializationListener listener;
    private final int batchSize;
    private final Object lock = new Object();
    /** Serializes this store's materializations (the file lock refuses other processes). */
    private final java.util.concurrent.locks.ReentrantLock materializeLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile OnlineStore online;
    private final boolean ownsDefaultOnline;

    private volatile ObjectNode registry;
    private volatile Map<String, FeatureView> views;
    private volatile Map<String, OnDemandFeature> onDemand = Map.of();
    private final Map<List<String>, ReadPlan> readPlans = new ConcurrentHashMap<>();
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> newestPushed = new ConcurrentHashMap<>();
    private final FreshnessListener freshnessListener;

    DefaultFeatureStore(FeatureStore.Builder b) {
        this.home = b.home;
        this.clock = b.clock;
        this.meters = b.meters;
        this.onlineCapacity = b.onlineCapacity;
        this.listener = b.listener;
        this.batchSize = b.batchSize;
        this.freshnessListener = b.freshnessListener;
        this.online = b.onlineStore;
        this.ownsDefaultOnline = b.onlineStore == null;
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new ResourceUnavailableException(home.toString(), "cannot create the feature store home: " + e.getMessage(), e);
        }
        this.registry = Registry.read(home.resolve("registry.json"));
        this.views = Registry.views(registry);
    }

    // ------------------------------------------------------------------ plan and apply

    @Override
    public Plan plan(Definitions definitions) {
        ObjectNode current = registry;
        List<Change> changes = Registry.diff(current, Registry.encode(definitions));
        int v = current.path("version").asInt();
        return new Plan(v, changes.isEmpty() ? v : v + 1, changes);
    }

    @Override
    public Plan apply(Definitions definitions) {
        synchronized (lock) {
            ObjectNode current = registry;
            ObjectNode proposed = Registry.encode(definitions);
            checkNotBreaking(current, proposed);
            List<Change> changes = Registry.diff(current, proposed);
            int v = current.path("version").asInt();
            if (!changes.isEmpty()) {
                ObjectNode next = Registry.empty();
                next.put("version", v + 1);
                next.put("appliedAt", clock.instant().toString());
                for (String s : Registry.SECTIONS) {
                    next.set(s, proposed.get(s));
                }
                next.set("pins", current.path("pins").deepCopy());
                byte[] bytes = Registry.bytes(next);
                AtomicFiles.write(home.resolve("history").resolve(String.format("v%06d.json", v + 1)), bytes);
                AtomicFiles.write(home.resolve("registry.json"), bytes);
                registry = next;
                LOG.info("applied feature definitions version {} ({} changes)", v + 1, changes.size());
            }
            views = Map.copyOf(definitions.views());
            onDemand = Map.copyOf(definitions.onDemand());
            readPlans.clear();
            lastPlan = null;
            return new Plan(v, changes.isEmpty() ? v : v + 1, changes);
        }
    }

    private static void checkNotBreaking(ObjectNode current, ObjectNode proposed) {
        List<String> reasons = new ArrayList<>();
        current.path("services").fieldNames().forEachRemaining(key -> {
            List<String> was = Registry.serviceFeatures(current, key);
            List<String> now = Registry.serviceFeatures(proposed, key);
            if (now != null && !now.equals(was)) {
                reasons.add("feature service " + key + " is applied and immutable, but its selection would change from "
                        + was + " to " + now + " (publish it as a new version)");
            }
        });
        for (JsonNode pin : current.path("pins")) {
            String key = pin.path("service").asText() + ":" + pin.path("version").asInt();
            String by = pin.path("usedBy").asText();
            List<String> was = Registry.serviceFeatures(current, key);
            List<String> now = Registry.serviceFeatures(proposed, key);
            if (now == null) {
                reasons.add("feature service " + key + " (used by " + by + ") would be removed");
                continue;
            }
            for (String f : was) {
                String t0 = Registry.typeOf(current, f);
                String t1 = Registry.typeOf(proposed, f);
                if (t1 == null) {
                    reasons.add("feature '" + f + "' selected by service " + key + " (used by " + by + ") would be removed");
                } else if (!t1.equals(t0)) {
                    reasons.add("feature '" + f + "' selected by service " + key + " (used by " + by + ") would change type from "
                            + t0 + " to " + t1);
                }
            }
        }
        if (!reasons.isEmpty()) {
            throw new BreakingChangeException(reasons);
        }
    }

    @Override
    public int version() {
        return registry.path("version").asInt();
    }

    @Override
    public void pin(String service, int version, String usedBy) {
        synchronized (lock) {
            if (Registry.serviceFeatures(registry, service + ":" + version) == null) {
                List<String> known = new ArrayList<>();
                registry.path("services").fieldNames().forEachRemaining(known::add);
                throw new NotFoundException("feature service", service + ":" + version, known);
            }
            ObjectNode next = registry.deepCopy();
            ArrayNode pins = (ArrayNode) next.path("pins");
            for (JsonNode p : pins) {
                if (p.path("service").asText().equals(service) && p.path("version").asInt() == version
                        && p.path("usedBy").asText().equals(usedBy)) {
                    return;
                }
            }
            pins.addObject().put("service", service).put("version", version).put("usedBy", usedBy);
            AtomicFiles.write(home.resolve("registry.json"), Registry.bytes(next));
            registry = next;
        }
    }

    @Override
    public void unpin(String service, int version, String usedBy) {
        synchronized (lock) {
            ObjectNode next = registry.deepCopy();
            ArrayNode pins = (ArrayNode) next.path("pins");
            for (int i = pins.size() - 1; i >= 0; i--) {
                JsonNode p = pins.get(i);
                if (p.path("service").asText().equals(service) && p.path("version").asInt() == version
                        && p.path("usedBy").asText().equals(usedBy)) {
                    pins.remove(i);
                }
            }
            AtomicFiles.write(home.resolve("registry.json"), Registry.bytes(next));
            registry = next;
        }
    }

    // ------------------------------------------------------------------ offline

    /** A resolved feature reference: a view feature or an on-demand feature. */
    private record Resolved(FeatureRef ref, FeatureView view, OnDemandFeature onDemand, Aggregation agg) {}

    private Resolved resolve(String text) {
        FeatureRef ref = FeatureRef.parse(text);
        FeatureView v = views.get(ref.view());
        if (v != null && v.feature(ref.feature()) != null) {
            return new Resolved(ref, v, null, null);
        }
        if (v != null && v.aggregation(ref.feature()) != null) {
            return new Resolved(ref, v, null, v.aggregation(ref.feature()));
        }
        OnDemandFeature o = onDemand.get(ref.toString());
        if (o != null) {
            return new Resolved(ref, null, o, null);
        }
        if (registry.path("onDemand").has(ref.toString())) {
            throw new IllegalStateException("on-demand feature '" + ref + "' is applied but its function is not in this process; "
                    + "call apply(definitions) with the code that defines it first");
        }
        List<String> known = new ArrayList<>();
        views.values().forEach(fv -> fv.features().forEach(f -> known.add(fv.name() + ":" + f.name())));
        views.values().forEach(fv -> fv.aggregations().forEach(a -> known.add(fv.name() + ":" + a.name())));
        known.addAll(onDemand.keySet());
        throw new NotFoundException("feature", text, known);
    }

    @Override
    public Table historical(Table entityRows, List<String> features, boolean asKnownAt) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("request at least one feature");
        }
        List<Resolved> wanted = new ArrayList<>();
        for (String f : features) {
            wanted.add(resolve(f));
        }
        // view features needed: requested ones and on-demand inputs, grouped by view
        Map<String, LinkedHashSet<String>> perView = new LinkedHashMap<>();
        for (Resolved r : wanted) {
            if (r.agg() != null) {
                perView.computeIfAbsent(r.view().name(), k -> new LinkedHashSet<>()).add(r.agg().feature());
            } else if (r.view() != null) {
                perView.computeIfAbsent(r.view().name(), k -> new LinkedHashSet<>()).add(r.ref().feature());
            } else {
                for (FeatureRef in : r.onDemand().inputs()) {
                    resolve(in.toString());
                    perView.computeIfAbsent(in.view(), k -> new LinkedHashSet<>()).add(in.feature());
                }
            }
        }
        Map<String, List<SortedView>> byKey = new LinkedHashMap<>();
        Map<String, SortedView> byView = new HashMap<>();
        for (Map.Entry<String, LinkedHashSet<String>> e : perView.entrySet()) {
            FeatureView v = views.get(e.getKey());
            SortedView sv = SortedView.of(joinView(v, readSource(v), new ArrayList<>(e.getValue())));
            byView.put(v.name(), sv);
            byKey.computeIfAbsent(v.entity().joinKey(), k -> new ArrayList<>()).add(sv);
        }
        Table joined = entityRows;
        for (Map.Entry<String, List<SortedView>> e : byKey.entrySet()) {
            joined = PitJoinEngine.join(joined, e.getKey(), "event_timestamp", e.getValue(), asKnownAt, "entity rows");
        }
        List<String> out = new ArrayList<>(entityRows.schema().names());
        for (Resolved r : wanted) {
            if (r.onDemand() != null) {
                joined = joined.withColumn(computeOffline(r.onDemand(), joined));
            } else if (r.agg() != null) {
                joined = joined.withColumn(aggregateOffline(r, byView.get(r.view().name()), joined, asKnownAt));
            }
            out.add(r.ref().column());
        }
        return joined.select(out);
    }

    @Override
    public Table historical(Table entityRows, String service, int version, boolean asKnownAt) {
        List<String> f = Registry.serviceFeatures(registry, service + ":" + version);
        if (f == null) {
            List<String> known = new ArrayList<>();
            registry.path("services").fieldNames().forEachRemaining(known::add);
            throw new NotFoundException("feature service", service + ":" + version, known);
        }
        return historical(entityRows, f, asKnownAt);
    }

    @Override
    public TrainingSet exportTrainingSet(Table entityRows, String service, int version, boolean asKnownAt, Path file) {
        Table t = historical(entityRows, service, version, asKnownAt);
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
            dev.mlops.features.internal.ParquetOutput.write(t, file);
        } else {
            dev.mlops.core.io.CsvWriter.builder().build().write(t, file);
        }
        TrainingSet ts = new TrainingSet(file, service, version, Registry.serviceFeatures(registry, service + ":" + version),
                asKnownAt, entityRows.fingerprint(), t.fingerprint(), t.rowCount(), version(), clock.instant());
        ObjectNode meta = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        meta.put("file", file.getFileName().toString());
        meta.put("service", service);
        meta.put("serviceVersion", version);
        ArrayNode fs = meta.putArray("features");
        ts.features().forEach(fs::add);
        meta.put("asKnownAt", asKnownAt);
        meta.put("entityFingerprint", ts.entityFingerprint().toString());
        meta.put("dataFingerprint", ts.dataFingerprint().toString());
        meta.put("rows", ts.rows());
        meta.put("registryVersion", ts.registryVersion());
        meta.put("createdAt", ts.createdAt().toString());
        AtomicFiles.write(file.resolveSibling(file.getFileName() + ".json"), Registry.bytes(meta));
        return ts;
    }

    private static Schema sourceSchema(FeatureView v) {
        Schema.Builder s = Schema.builder().add(v.entity().joinKey(), v.entity().keyType())
                .add(v.source().eventTimestampColumn(), ColumnType.TIMESTAMP);
        if (v.source().createdTimestampColumn() != null) {
            s.add(v.source().createdTimestampColumn(), ColumnType.TIMESTAMP);
        }
        v.features().forEach(s::add);
        return s.build();
    }

    /** The view's batch source followed by its pushed rows (the offline log in {@code home/push/<view>/}). */
    private Table readSource(FeatureView v) {
        Schema schema = sourceSchema(v);
        Table batch = SourceReader.read(v.source().path(), schema, v.source().format() == BatchSource.Format.PARQUET);
        Path log = home.resolve("push").resolve(v.name());
        if (!Files.isDirectory(log)) {
            return batch;
        }
        List<Table> parts = new ArrayList<>();
        parts.add(batch.select(schema.names()));
        try (var files = Files.list(log)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList()) {
                parts.add(SourceReader.csv(f, schema).select(schema.names()));
            }
        } catch (IOException e) {
            throw new ResourceUnavailableException(log.toString(), "cannot list the push log: " + e.getMessage(), e);
        }
        return Table.concat(parts);
    }

    // ------------------------------------------------------------------ push

    @Override
    public PushResult push(String viewName, Table rows, dev.mlops.core.validation.Validator validator) {
        FeatureView v = views.get(viewName);
        if (v == null) {
            throw new NotFoundException("feature view", viewName, views.keySet());
        }
        Schema want = sourceSchema(v);
        String created = v.source().createdTimestampColumn();
        if (created != null && !rows.schema().contains(created)) {
            long nowMicros = TimestampColumn.toEpochMicros(clock.instant());
            long[] c = new long[rows.rowCount()];
            java.util.Arrays.fill(c, nowMicros);
            rows = rows.withColumn(TimestampColumn.ofEpochMicros(created, c));
        }
        for (Field f : want) {
            Column c = rows.column(f.name());
            if (c.type() != f.type()) {
                throw new dev.mlops.core.SchemaMismatchException(f.name(), f.type() + " (view '" + viewName + "')",
                        c.type().toString(), "push '" + f.name() + "' as " + f.type());
            }
        }
        rows = rows.select(want.names());
        dev.mlops.core.validation.Expectations.Builder rules = validator == null
                ? dev.mlops.core.validation.Expectations.builder() : validator.toBuilder();
        rules.column(v.entity().joinKey()).notNull().and().column(v.source().eventTimestampColumn()).notNull();
        if (created != null) {
            rules.column(created).notNull();
        }
        dev.mlops.core.validation.SplitResult split = rules.build().split(rows);
        if (!split.report().tableFailures().isEmpty()) {
            throw new dev.mlops.core.ValidationException("push to view '" + viewName + "' refused: the table as a whole fails "
                    + split.report().tableFailures(), List.of());
        }
        Path quarantine = null;
        if (split.failing().rowCount() > 0) {
            Table bad = split.failingWithReasons();
            quarantine = home.resolve("quarantine").resolve(viewName).resolve(bad.fingerprint().hex() + ".csv");
            try {
                Files.createDirectories(quarantine.getParent());
            } catch (IOException e) {
                throw new ResourceUnavailableException(quarantine.getParent().toString(), "cannot create: " + e.getMessage(), e);
            }
            dev.mlops.core.io.CsvWriter.builder().build().write(bad, quarantine);
        }
        Table good = split.passing().select(want.names());
        if (good.rowCount() > 0) {
            // checks duplicates within the push (and nulls) before anything is written
            SortedView sv = SortedView.of(joinView(v, good, v.features().stream().map(Field::name).toList()));
            Path log = home.resolve("push").resolve(viewName).resolve(good.fingerprint().hex() + ".csv");
            try {
                Files.createDirectories(log.getParent());
            } catch (IOException e) {
                throw new ResourceUnavailableException(log.getParent().toString(), "cannot create: " + e.getMessage(), e);
            }
            dev.mlops.core.io.CsvWriter.builder().build().write(good, log);
            long newest = java.util.Arrays.stream(good.timestampColumn(v.source().eventTimestampColumn()).toEpochMicrosArray())
                    .max().orElseThrow();
            newestPushed.merge(viewName, newest, Math::max);
            if (v.online()) {
                List<Column> cols = new ArrayList<>();
                v.features().forEach(f -> cols.add(good.column(f.name())));
                ValueCodec codec = new ValueCodec(v.features().stream().map(Field::type).toList());
                Object[] keys = sv.keysById();
                List<OnlineRecord> recs = new ArrayList<>(keys.length);
                for (int id = 0; id < keys.length; id++) {
                    // the newest pushed row whatever its age: latestIn(id, MIN, MAX) applied the TTL below MAX_VALUE
                    int row = sv.newestRow(id);
                    recs.add(new OnlineRecord(keys[id].toString(), sv.eventMicros(row), sv.createdMicros(row), codec.encode(cols, row)));
                }
                OnlineStore store = online();
                store.prepare(viewName, averagePayload(v), keys.length);
                store.write(viewName, recs);
                // the newest pushed event time, durable beside the materialization watermark, so that freshness
                // after a restart still counts pushed values (written after the values themselves)
                long marker = Math.max(newest, store.watermark(pushedMarker(viewName)).orElse(Long.MIN_VALUE));
                store.setWatermark(pushedMarker(viewName), marker);
                if (!v.aggregations().isEmpty()) {
                    mergePushedEvents(store, v, sv);
                }
            }
            meters.counter("mlops.features.push.rows", "view", viewName).increment(good.rowCount());
        }
        meters.counter("mlops.features.push.rejected", "view", viewName).increment(split.failing().rowCount());
        return new PushResult(good.rowCount(), split.failing().rowCount(), quarantine);
    }

    private void mergePushedEvents(OnlineStore store, FeatureView v, SortedView sv) {
        List<Field> af = aggFeatures(v);
        Table rows = sv.view().table();
        List<Column> cols = af.stream().map(f -> rows.column(f.name())).toList();
        ValueCodec codec = new ValueCodec(af.stream().map(Field::type).toList());
        Object[] keys = sv.keysById();
        store.prepare(eventsView(v), 64, keys.length);
        List<OnlineRecord> out = new ArrayList<>(keys.length);
        for (int id = 0; id < keys.length; id++) {
            List<dev.mlops.features.internal.EventLog.Event> pushed = new ArrayList<>();
            sv.forEachInWindow(id, Long.MIN_VALUE, Long.MAX_VALUE, false,
                    (row, ev, cr) -> pushed.add(new dev.mlops.features.internal.EventLog.Event(ev, cr, codec.encode(cols, row))));
            OnlineRecord old = store.read(eventsView(v), keys[id].toString());
            var merged = dev.mlops.features.internal.EventLog.merge(
                    old == null ? List.of() : dev.mlops.features.internal.EventLog.decode(old.payload()), pushed, maxWindow(v));
            var last = merged.get(merged.size() - 1);
            out.add(new OnlineRecord(keys[id].toString(), last.eventMicros(), last.createdMicros(),
                    dev.mlops.features.internal.EventLog.encode(merged)));
        }
        store.write(eventsView(v), out);
    }

    @Override
    public java.time.Duration freshness(String view) {
        if (!views.containsKey(view)) {
            throw new NotFoundException("feature view", view, views.keySet());
        }
        long newest = newestPushed.getOrDefault(view, Long.MIN_VALUE);
        OnlineStore s = online;
        if (s == null && ownsDefaultOnline && Files.isDirectory(home.resolve("online"))) {
            s = online(); // reopened after a restart: its persisted watermarks count
        }
        if (s != null) {
            newest = Math.max(newest, s.watermark(view).orElse(Long.MIN_VALUE));
            newest = Math.max(newest, s.watermark(pushedMarker(view)).orElse(Long.MIN_VALUE));
        }
        if (newest == Long.MIN_VALUE) {
            return null;
        }
        return java.time.Duration.of(TimestampColumn.toEpochMicros(clock.instant()) - newest, java.time.temporal.ChronoUnit.MICROS);
    }

    @Override
    public List<String> checkFreshness(java.time.Duration maxAge) {
        List<String> stale = new ArrayList<>();
        for (FeatureView v : views.values()) {
            if (!v.online()) {
                continue;
            }
            java.time.Duration age = freshness(v.name());
            if (age == null || age.compareTo(maxAge) > 0) {
                stale.add(v.name());
                freshnessListener.stale(v.name(), age, maxAge);
            }
        }
        return stale;
    }

    private static JoinView joinView(FeatureView v, Table rows, List<String> features) {
        long ttl = Math.multiplyExact(v.ttl().getSeconds(), 1_000_000L) + v.ttl().getNano() / 1000;
        return new JoinView(v.name(), rows, v.entity().joinKey(), v.source().eventTimestampColumn(),
                v.source().createdTimestampColumn(), features, ttl, v.source().path().toString());
    }

    private static Column aggregateOffline(Resolved r, SortedView sv, Table entities, boolean asKnownAt) {
        Aggregation a = r.agg();
        ColumnType type = a.outputType(r.view().feature(a.feature()).type());
        TableBuilder b = Table.builder(Schema.of(Field.nullable(r.ref().column(), type)));
        int[] ids = sv.keyIdsOf(entities.column(r.view().entity().joinKey()), "entity rows");
        TimestampColumn ts = entities.timestampColumn("event_timestamp");
        Column values = sv.view().table().column(a.feature());
        long w = a.windowMicros();
        for (int i = 0; i < entities.rowCount(); i++) {
            long t = ts.epochMicros(i);
            dev.mlops.features.internal.Accumulator acc = new dev.mlops.features.internal.Accumulator(a.kind().name());
            sv.forEachInWindow(ids[i], t - w, t, asKnownAt, (row, ev, cr) -> acc.add(ev, cr, values.value(row)));
            b.set(0, acc.result()).endRow();
        }
        return b.build().column(0);
    }

    private static Column computeOffline(OnDemandFeature o, Table joined) {
        Schema s = Schema.of(Field.nullable(o.ref().column(), o.type()));
        TableBuilder b = Table.builder(s);
        Map<String, Object> in = new HashMap<>();
        for (int r = 0; r < joined.rowCount(); r++) {
            in.clear();
            for (FeatureRef ref : o.inputs()) {
                in.put(ref.toString(), joined.value(r, ref.column()));
            }
            for (String f : o.requestFields()) {
                in.put(f, joined.value(r, f));
            }
            b.set(0, o.compute(in)).endRow();
        }
        return b.build().column(0);
    }

    // ------------------------------------------------------------------ materialization

    private OnlineStore online() {
        OnlineStore s = online;
        if (s == null) {
            synchronized (lock) {
                if (online == null) {
                    online = OnlineStores.chronicle(home.resolve("online"), onlineCapacity);
                }
                s = online;
            }
        }
        return s;
    }

    /**
     * Runs a materialization while holding the store's materialization lock: threads of this store wait for each
     * other; another process (or another store object on this home) is refused with
     * {@link MaterializationInProgressException}, before anything is written.
     */
    private <T> T materializing(java.util.function.Supplier<T> work) {
        materializeLock.lock();
        try (dev.mlops.features.internal.MaterializationLock held =
                     dev.mlops.features.internal.MaterializationLock.acquire(home, clock.instant())) {
            return work.get();
        } finally {
            materializeLock.unlock();
        }
    }

    @Override
    public MaterializationReport materialize(Instant start, Instant end) {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("materialize: end " + end + " is before start " + start);
        }
        return materializing(() -> materializeLocked(start, end));
    }

    private MaterializationReport materializeLocked(Instant start, Instant end) {
        long s = TimestampColumn.toEpochMicros(start);
        long e = TimestampColumn.toEpochMicros(end);
        Map<String, Long> written = new LinkedHashMap<>();
        for (FeatureView v : views.values()) {
            if (v.online()) {
                written.put(v.name(), materializeView(v, s, e));
            }
        }
        return new MaterializationReport(start, end, written);
    }

    @Override
    public MaterializationReport materializeIncremental(Instant now) {
        return materializing(() -> materializeIncrementalLocked(now));
    }

    private MaterializationReport materializeIncrementalLocked(Instant now) {
        long e = TimestampColumn.toEpochMicros(now);
        Map<String, Long> written = new LinkedHashMap<>();
        long earliest = e;
        for (FeatureView v : views.values()) {
            if (!v.online()) {
                continue;
            }
            var wm = online().watermark(v.name());
            long ttl = v.ttl().toNanos() / 1000;
            long s = wm.isPresent() ? wm.getAsLong() : ttl > 0 ? e - ttl : Long.MIN_VALUE;
            earliest = Math.min(earliest, s);
            written.put(v.name(), materializeView(v, s, e));
        }
        return new MaterializationReport(TimestampColumn.fromEpochMicros(Math.max(earliest, TimestampColumn.toEpochMicros(Instant.parse("0001-01-01T00:00:00Z")))),
                now, written);
    }

    private long materializeView(FeatureView v, long from, long to) {
        OnlineStore store = online();
        SortedView sv = SortedView.of(joinView(v, readSource(v), v.features().stream().map(Field::name).toList()));
        Table rows = sv.view().table();
        List<Column> cols = new ArrayList<>();
        v.features().forEach(f -> cols.add(rows.column(f.name())));
        ValueCodec codec = new ValueCodec(v.features().stream().map(Field::type).toList());
        Object[] keys = sv.keysById();
        store.prepare(v.name(), averagePayload(v), keys.length);
        listener.viewStarted(v.name(), keys.length);
        long written = 0;
        List<OnlineRecord> batch = new ArrayList<>(batchSize);
        for (int id = 0; id < keys.length; id++) {
            int row = sv.latestIn(id, from, to);
            if (row >= 0) {
                batch.add(new OnlineRecord(keys[id].toString(), sv.eventMicros(row), sv.createdMicros(row), codec.encode(cols, row)));
            }
            if (batch.size() == batchSize || id == keys.length - 1) {
                store.write(v.name(), batch);
                written += batch.size();
                batch.clear();
                listener.progress(v.name(), id + 1, keys.length);
            }
        }
        if (!v.aggregations().isEmpty()) {
            writeEvents(store, v, sv, to);
        }
        long prev = store.watermark(v.name()).orElse(Long.MIN_VALUE);
        store.setWatermark(v.name(), Math.max(prev, to));
        meters.counter("mlops.features.materialize.rows", "view", v.name()).increment(written);
        if (gauges.add(v.name())) {
            Gauge.builder("mlops.features.freshness.seconds", this, st -> st.freshnessSeconds(v.name()))
                    .tag("view", v.name()).description("seconds since the view's materialization watermark")
                    .register(meters);
        }
        listener.viewFinished(v.name(), written);
        return written;
    }

    /** The distinct features the view's aggregations read, in order. */
    private static List<Field> aggFeatures(FeatureView v) {
        List<Field> out = new ArrayList<>();
        for (Aggregation a : v.aggregations()) {
            Field f = v.feature(a.feature());
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    private static long maxWindow(FeatureView v) {
        return v.aggregations().stream().mapToLong(Aggregation::windowMicros).max().orElse(0);
    }

    /** The online-store view name holding the recent events of {@code v} for its aggregations. */
    /** The watermark key under which the online store keeps a view's newest pushed event time. */
    private static String pushedMarker(String view) {
        return view + "__pushed";
    }

    private static String eventsView(FeatureView v) {
        return v.name() + "__events";
    }

    /** Per key of {@code sv}, the events in (to - maxWindow, to] as one record, for the view's aggregations. */
    private void writeEvents(OnlineStore store, FeatureView v, SortedView sv, long to) {
        List<Field> af = aggFeatures(v);
        Table rows = sv.view().table();
        List<Column> cols = af.stream().map(f -> rows.column(f.name())).toList();
        ValueCodec codec = new ValueCodec(af.stream().map(Field::type).toList());
        long w = maxWindow(v);
        Object[] keys = sv.keysById();
        store.prepare(eventsView(v), 64, keys.length);
        List<OnlineRecord> batch = new ArrayList<>(batchSize);
        for (int id = 0; id < keys.length; id++) {
            List<dev.mlops.features.internal.EventLog.Event> evs = new ArrayList<>();
            sv.forEachInWindow(id, to == Long.MIN_VALUE ? to : to - w, to, false,
                    (row, ev, cr) -> evs.add(new dev.mlops.features.internal.EventLog.Event(ev, cr, codec.encode(cols, row))));
            if (!evs.isEmpty()) {
                var last = evs.get(evs.size() - 1);
                batch.add(new OnlineRecord(keys[id].toString(), last.eventMicros(), last.createdMicros(),
                        dev.mlops.features.internal.EventLog.encode(evs)));
            }
            if (batch.size() == batchSize || id == keys.length - 1) {
                store.write(eventsView(v), batch);
                batch.clear();
            }
        }
    }

    private double freshnessSeconds(String view) {
        java.time.Duration age = freshness(view);
        return age == null ? Double.NaN : age.toNanos() / 1e9;
    }

    private static int averagePayload(FeatureView v) {
        int n = 0;
        for (Field f : v.features()) {
            n += 1 + switch (f.type()) {
                case DOUBLE, LONG, TIMESTAMP -> 8;
                case BOOLEAN -> 1;
                case STRING -> 20;
            };
        }
        return n;
    }

    // ------------------------------------------------------------------ online reads

    /** Per requested feature: which view slot and which value index, or an on-demand feature. */
    private record ReadPlan(List<String> refs, FeatureView[] views, ValueCodec[] codecs, int[] viewOf, int[] indexOf,
                            OnDemandFeature[] onDemand, int[][] inputSlots, Resolved[] aggs) {}

    /** The last plan and the list object it was asked for: a caller reusing its list skips hashing 50 names. */
    private record LastPlan(List<String> features, ReadPlan plan) {}

    private volatile LastPlan lastPlan;

    private ReadPlan plan(List<String> features) {
        LastPlan last = lastPlan;
        if (last != null && last.features() == features) {
            return last.plan();
        }
        ReadPlan p = planOf(features);
        if (features.getClass().getName().startsWith("java.util.ImmutableCollections")) {
            lastPlan = new LastPlan(features, p); // only immutable lists: a mutable one may change under us
        }
        return p;
    }

    private ReadPlan planOf(List<String> features) {
        return readPlans.computeIfAbsent(List.copyOf(features), fs -> {
            List<FeatureView> vs = new ArrayList<>();
            List<String> refs = new ArrayList<>(fs);
            // on-demand inputs are read too, appended after the requested features
            for (String f : fs) {
                Resolved r = resolve(f);
                if (r.onDemand() != null) {
                    for (FeatureRef in : r.onDemand().inputs()) {
                        if (!refs.contains(in.toString())) {
                            refs.add(in.toString());
                        }
                    }
                }
            }
            int n = refs.size();
            int[] viewOf = new int[n];
            int[] indexOf = new int[n];
            OnDemandFeature[] od = new OnDemandFeature[n];
            int[][] inputs = new int[n][];
            Resolved[] aggs = new Resolved[n];
            for (int i = 0; i < n; i++) {
                Resolved r = resolve(refs.get(i));
                if (r.agg() != null) {
                    if (!r.view().online()) {
                        throw new IllegalArgumentException("feature '" + refs.get(i) + "' belongs to view '" + r.view().name()
                                + "', which is not online; set online(true) on the view and materialize it");
                    }
                    aggs[i] = r;
                    viewOf[i] = -1;
                    continue;
                }
                if (r.onDemand() != null) {
                    od[i] = r.onDemand();
                    viewOf[i] = -1;
                    inputs[i] = r.onDemand().inputs().stream().mapToInt(in -> refs.indexOf(in.toString())).toArray();
                    continue;
                }
                if (!r.view().online()) {
                    throw new IllegalArgumentException("feature '" + refs.get(i) + "' belongs to view '" + r.view().name()
                            + "', which is not online; set online(true) on the view and materialize it");
                }
                int slot = vs.indexOf(r.view());
                if (slot < 0) {
                    vs.add(r.view());
                    slot = vs.size() - 1;
                }
                viewOf[i] = slot;
                indexOf[i] = r.view().features().indexOf(r.view().feature(r.ref().feature()));
            }
            ValueCodec[] codecs = vs.stream().map(v -> new ValueCodec(v.features().stream().map(Field::type).toList()))
                    .toArray(ValueCodec[]::new);
            return new ReadPlan(List.copyOf(refs), vs.toArray(FeatureView[]::new), codecs, viewOf, indexOf, od, inputs, aggs);
        });
    }

    @Override
    public OnlineReader onlineReader(List<String> features) {
        if (features.isEmpty()) {
            throw new IllegalArgumentException("onlineReader: request at least one feature");
        }
        int n = features.size();
        List<FeatureView> vs = new ArrayList<>();
        ColumnType[] types = new ColumnType[n];
        int[] viewOf = new int[n];
        int[] indexOf = new int[n];
        for (int i = 0; i < n; i++) {
            String f = features.get(i);
            if (features.subList(0, i).contains(f)) {
                throw new IllegalArgumentException("onlineReader: feature '" + f + "' is requested twice (at " +
                        features.indexOf(f) + " and " + i + "). Fix: request each feature once");
            }
            Resolved r = resolve(f);
            if (r.onDemand() != null || r.agg() != null) {
                throw new IllegalArgumentException("onlineReader: '" + f + "' is " + (r.agg() != null
                        ? "a windowed aggregate" : "an on-demand feature") + ", computed per read; the primitive"
                        + " reader serves stored view features only. Fix: read it with readOnline(...)");
            }
            if (!r.view().online()) {
                throw new IllegalArgumentException("feature '" + f + "' belongs to view '" + r.view().name()
                        + "', which is not online; set online(true) on the view and materialize it");
            }
            int slot = vs.indexOf(r.view());
            if (slot < 0) {
                vs.add(r.view());
                slot = vs.size() - 1;
            }
            viewOf[i] = slot;
            Field field = r.view().feature(r.ref().feature());
            indexOf[i] = r.view().features().indexOf(field);
            types[i] = field.type();
        }
        return new DefaultOnlineReader(features, types, viewOf, indexOf, vs.toArray(FeatureView[]::new),
                this::online, clock);
    }

    @Override
    public OnlineResponse readOnline(List<String> features, Object entityKey) {
        return readOnline(features, entityKey, Map.of());
    }

    @Override
    public OnlineResponse readOnline(List<String> features, Object entityKey, Map<String, Object> request) {
        ReadPlan p = plan(features);
        long now = TimestampColumn.toEpochMicros(clock.instant());
        return read(p, features.size(), entityKey, request, now);
    }

    @Override
    public List<OnlineResponse> readOnline(List<String> features, List<?> entityKeys) {
        ReadPlan p = plan(features);
        long now = TimestampColumn.toEpochMicros(clock.instant());
        // One batch read per view (a single MGET on Redis), not one round trip per entity.
        OnlineStore store = online();
        int nv = p.views().length;
        List<List<OnlineRecord>> byView = new ArrayList<>(nv);
        for (FeatureView v : p.views()) {
            List<String> keys = new ArrayList<>(entityKeys.size());
            for (Object k : entityKeys) {
                keys.add(keyText(v, k));
            }
            byView.add(store.readAll(v.name(), keys));
        }
        List<OnlineResponse> out = new ArrayList<>(entityKeys.size());
        for (int e = 0; e < entityKeys.size(); e++) {
            OnlineRecord[] prefetched = new OnlineRecord[nv];
            for (int s = 0; s < nv; s++) {
                prefetched[s] = byView.get(s).get(e);
            }
            out.add(read(p, features.size(), entityKeys.get(e), Map.of(), now, prefetched));
        }
        return out;
    }

    private OnlineResponse read(ReadPlan p, int requested, Object entityKey, Map<String, Object> request, long now) {
        return read(p, requested, entityKey, request, now, null);
    }

    /** Reads one entity; {@code prefetched} holds its record per view (null: read each view now). */
    private OnlineResponse read(ReadPlan p, int requested, Object entityKey, Map<String, Object> request, long now,
                                OnlineRecord[] prefetched) {
        OnlineStore store = online();
        int nv = p.views().length;
        OnlineRecord[] recs = new OnlineRecord[nv];
        Object[][] values = new Object[nv][];
        Instant[] eventTs = new Instant[nv];
        FeatureStatus[] viewStatus = new FeatureStatus[nv];
        for (int s = 0; s < nv; s++) {
            FeatureView v = p.views()[s];
            OnlineRecord r = prefetched != null ? prefetched[s] : store.read(v.name(), keyText(v, entityKey));
            recs[s] = r;
            long ttl = v.ttl().toNanos() / 1000;
            if (r == null || r.eventMicros() > now) {
                viewStatus[s] = FeatureStatus.NOT_FOUND;
                continue;
            }
            eventTs[s] = TimestampColumn.fromEpochMicros(r.eventMicros());
            if (ttl > 0 && r.eventMicros() < now - ttl) {
                viewStatus[s] = FeatureStatus.OUTSIDE_MAX_AGE;
                continue;
            }
            viewStatus[s] = FeatureStatus.PRESENT;
            values[s] = new Object[v.features().size()];
            p.codecs()[s].decode(r.payload(), values[s]);
        }
        int n = p.refs().size();
        FeatureValue[] out = new FeatureValue[n];
        for (int i = 0; i < n; i++) {
            if (p.viewOf()[i] < 0) {
                continue;
            }
            int s = p.viewOf()[i];
            FeatureStatus st = viewStatus[s];
            Object val = null;
            if (st == FeatureStatus.PRESENT) {
                val = values[s][p.indexOf()[i]];
                if (val == null) {
                    st = FeatureStatus.NULL_VALUE;
                }
            }
            out[i] = new FeatureValue(p.refs().get(i), val, eventTs[s], st);
        }
        Map<String, List<Object[]>> eventValues = null;
        Map<String, List<dev.mlops.features.internal.EventLog.Event>> events = null;
        for (int i = 0; i < n; i++) {
            Resolved ar = p.aggs()[i];
            if (ar == null) {
                continue;
            }
            if (events == null) {
                events = new HashMap<>();
                eventValues = new HashMap<>();
            }
            FeatureView v = ar.view();
            if (!events.containsKey(v.name())) {
                OnlineRecord rec = store.read(eventsView(v), keyText(v, entityKey));
                var evs = rec == null ? List.<dev.mlops.features.internal.EventLog.Event>of()
                        : dev.mlops.features.internal.EventLog.decode(rec.payload());
                List<Field> af = aggFeatures(v);
                ValueCodec codec = new ValueCodec(af.stream().map(Field::type).toList());
                List<Object[]> vals = new ArrayList<>(evs.size());
                for (var e : evs) {
                    Object[] row = new Object[af.size()];
                    codec.decode(e.values(), row);
                    vals.add(row);
                }
                events.put(v.name(), evs);
                eventValues.put(v.name(), vals);
            }
            var evs = events.get(v.name());
            var vals = eventValues.get(v.name());
            int idx = aggFeatures(v).indexOf(v.feature(ar.agg().feature()));
            long w = ar.agg().windowMicros();
            dev.mlops.features.internal.Accumulator acc = new dev.mlops.features.internal.Accumulator(ar.agg().kind().name());
            for (int e = 0; e < evs.size(); e++) {
                long ev = evs.get(e).eventMicros();
                if (ev > now - w && ev <= now) {
                    acc.add(ev, evs.get(e).createdMicros(), vals.get(e)[idx]);
                }
            }
            Object val = acc.result();
            out[i] = new FeatureValue(p.refs().get(i), val, null, val == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT);
        }
        for (int i = 0; i < n; i++) {
            OnDemandFeature o = p.onDemand()[i];
            if (o == null) {
                continue;
            }
            Map<String, Object> in = new HashMap<>();
            int[] slots = p.inputSlots()[i];
            for (int j = 0; j < slots.length; j++) {
                in.put(o.inputs().get(j).toString(), out[slots[j]].value());
            }
            for (String f : o.requestFields()) {
                if (!request.containsKey(f)) {
                    throw new IllegalArgumentException("on-demand feature '" + o.ref() + "' needs request field '" + f
                            + "'; pass it in the request map (given: " + request.keySet() + ")");
                }
                in.put(f, request.get(f));
            }
            Object val = o.compute(in);
            out[i] = new FeatureValue(p.refs().get(i), val, null, val == null ? FeatureStatus.NULL_VALUE : FeatureStatus.PRESENT);
        }
        return new OnlineResponse(entityKey, requested == n ? List.of(out) : List.of(out).subList(0, requested));
    }

    static String keyText(FeatureView v, Object key) {
        if (v.entity().keyType() == ColumnType.LONG) {
            if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte) {
                return Long.toString(((Number) key).longValue());
            }
        } else if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("entity key " + key + " (" + (key == null ? "null" : key.getClass().getSimpleName())
                + ") does not fit entity '" + v.entity().name() + "', whose key '" + v.entity().joinKey() + "' is "
                + v.entity().keyType() + "; pass a " + (v.entity().keyType() == ColumnType.LONG ? "Long" : "String"));
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (online != null) {
                online.close();
                if (ownsDefaultOnline) {
                    online = null;
                }
            }
        }
    }
}
