package dev.mlops.features;

import dev.mlops.core.table.Table;
import dev.mlops.features.spi.OnlineStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The feature store: definitions applied to a home directory, historical (point-in-time) retrieval for
 * training, materialization into the online store and online reads for serving, all from the same
 * definitions.
 *
 * <pre>{@code
 * try (FeatureStore store = FeatureStore.builder().home(Path.of("feature-repo")).build()) {
 *     log.info("{}", store.plan(defs));              // + view weather ...
 *     store.apply(defs);                              // persisted as version 1
 *     Table training = store.historical(entityRows, List.of("weather:temp", "weather:hum"), false);
 *     store.materializeIncremental(clock.instant());
 *     OnlineResponse r = store.readOnline(List.of("weather:temp"), "station-7");
 * }
 * }</pre>
 *
 * <h2>Home directory</h2>
 * {@code registry.json} (the applied definitions and their version, replaced atomically),
 * {@code history/v<N>.json} (each applied version), {@code online/} (the Chronicle Map online store,
 * unless another {@link OnlineStore} is given).
 *
 * <h2>Plan and apply</h2>
 * {@link #plan} lists what {@link #apply} would add, change or remove. {@link #apply} refuses, with
 * {@link BreakingChangeException} and without writing anything, a change that breaks a feature service in
 * use: a {@linkplain #pin pinned} service version removed or changed, or a feature it selects removed or
 * retyped. An applied service version is immutable: a different selection needs a new version. On-demand
 * features are persisted by signature; their functions live in code, so a process that did not apply the
 * definitions cannot compute them.
 *
 * <h2>Online reads</h2>
 * A read at the store's clock time {@code now} returns, per feature, what the offline join would return
 * for an entity row at {@code now}, provided the view was materialized up to {@code now}: the TTL is
 * enforced on read ({@link FeatureStatus#OUTSIDE_MAX_AGE}, value withheld) and a row with an event time
 * after {@code now} is {@link FeatureStatus#NOT_FOUND}. On the serving hot path, {@link #onlineReader} reads the
 * same values into reusable primitive {@link OnlineRow}s instead of boxed {@link FeatureValue}s.
 *
 * <h2>Materialization</h2>
 * One process materializes a store at a time (an OS file lock on {@code materialize.lock}); another is refused
 * with {@link MaterializationInProgressException}.
 */
public interface FeatureStore extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** What {@link #apply} would change; writes nothing. */
    Plan plan(Definitions definitions);

    /**
     * Persists {@code definitions} as the next version (atomically) and makes them current; no change
     * writes nothing.
     *
     * @throws BreakingChangeException if a feature service in use would break
     */
    Plan apply(Definitions definitions);

    /** The applied registry version, 0 when nothing was applied. */
    int version();

    /**
     * Marks a service version as in use (e.g. by a model version); persisted. {@link #apply} then refuses
     * changes that break it.
     */
    void pin(String service, int version, String usedBy);

    /** Removes a pin set by {@link #pin}. */
    void unpin(String service, int version, String usedBy);

    /**
     * Historical retrieval: the point-in-time join (see {@link PointInTimeJoin}) of the requested features
     * onto {@code entityRows}, which hold each view's join key and {@code event_timestamp}. Columns: every
     * entity column, then {@code view__feature} per requested feature, in request order.
     *
     * @param features  references {@code view:feature} (or on-demand {@code name:feature})
     * @param asKnownAt also require {@code created_ts <= entity time}
     */
    Table historical(Table entityRows, List<String> features, boolean asKnownAt);

    /** Historical retrieval of a feature service's selection. */
    Table historical(Table entityRows, String service, int version, boolean asKnownAt);

    /**
     * Historical retrieval of a service's selection written to {@code file} (Parquet when it ends with
     * {@code .parquet}, CSV otherwise; atomically), with a {@code <file>.json} beside it recording the
     * service, the retrieval mode, the entity rows' and result's fingerprints and the registry version.
     */
    TrainingSet exportTrainingSet(Table entityRows, String service, int version, boolean asKnownAt, java.nio.file.Path file);

    /**
     * Writes, per online view and entity, the newest row with event time in [{@code start}, {@code end}].
     *
     * <p>One materialization runs per store at a time: calls from threads of this store wait for each other, and a
     * call while another process (or another store object on the same home) is materializing is refused at once,
     * before anything is written, with {@link MaterializationInProgressException} naming the holder's process id.
     * The lock is an OS file lock on {@code <home>/materialize.lock}, released by the OS if its holder dies. It
     * guards one home directory on one host: processes on several hosts sharing a Redis online store must
     * coordinate themselves.
     *
     * @throws MaterializationInProgressException if another process is materializing this store
     */
    MaterializationReport materialize(Instant start, Instant end);

    /**
     * Materializes each online view from its watermark (or the start of its TTL window, or the beginning) up to
     * {@code now}; locked like {@link #materialize}.
     *
     * @throws MaterializationInProgressException if another process is materializing this store
     */
    MaterializationReport materializeIncremental(Instant now);

    /**
     * Pushes streaming rows to {@code view}: checks their types (the whole push is refused on a wrong or
     * missing column), validates them (no null key or event time, plus {@code validator}'s rules when
     * non-null), writes the rejected rows with their reasons to a quarantine CSV, appends the rest to the
     * view's offline log (so historical retrieval sees them) and, for an online view, writes the newest row
     * per key to the online store. Rows without a created timestamp get the clock's time. Pushing the same
     * rows again changes nothing. A table-level validation failure refuses the whole push.
     *
     * @param validator extra rules (core {@code Expectations}), or {@code null}
     */
    PushResult push(String view, Table rows, dev.mlops.core.validation.Validator validator);

    /**
     * The age, at the clock's time, of {@code view}'s newest materialized or pushed value (the later of its
     * materialization watermark and its newest pushed event time), or {@code null} if it has neither.
     */
    java.time.Duration freshness(String view);

    /** Calls the {@linkplain Builder#freshnessListener listener} for every online view older than {@code maxAge}; returns their names. */
    List<String> checkFreshness(java.time.Duration maxAge);

    /** Online read of one entity at the clock's time. */
    OnlineResponse readOnline(List<String> features, Object entityKey);

    /** Online read of one entity; {@code request} holds the request fields of on-demand features. */
    OnlineResponse readOnline(List<String> features, Object entityKey, Map<String, Object> request);

    /** Online read of many entities, one response per key, in order. */
    List<OnlineResponse> readOnline(List<String> features, List<?> entityKeys);

    /**
     * A reader of {@code features} (stored view features, {@code view:feature}) into reusable primitive
     * {@link OnlineRow}s: the same values, statuses and event times as {@link #readOnline}, without boxing or
     * per-feature records, for the serving hot path.
     *
     * @throws IllegalArgumentException if a feature is unknown (a {@link dev.mlops.core.NotFoundException}),
     *                                  on-demand, a windowed aggregate, of a view that is not online, or repeated
     */
    OnlineReader onlineReader(List<String> features);

    @Override
    void close();

    /** Settings of a {@link FeatureStore}. */
    final class Builder {
        Path home;
        Clock clock = Clock.systemUTC();
        MeterRegistry meters;
        OnlineStore onlineStore;
        long onlineCapacity = 100_000;
        MaterializationListener listener = MaterializationListener.NONE;
        int batchSize = 10_000;
        FreshnessListener freshnessListener = FreshnessListener.NONE;

        private Builder() {
        }

        /** The directory holding everything the store persists (created if absent). Required. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** Another online store (e.g. Redis); the store then closes it on {@link #close()}. Default: Chronicle Map in {@code home/online}. */
        public Builder onlineStore(OnlineStore store) {
            this.onlineStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Keys per view the default online store is sized for (default 100,000; the files are sparse). */
        public Builder onlineCapacity(long keys) {
            if (keys < 1) {
                throw new IllegalArgumentException("onlineCapacity must be >= 1, got " + keys);
            }
            this.onlineCapacity = keys;
            return this;
        }

        public Builder materializationListener(MaterializationListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Told about stale views by {@link FeatureStore#checkFreshness}. */
        public Builder freshnessListener(FreshnessListener listener) {
            this.freshnessListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Entities written per online-store batch (and per progress report); default 10,000. */
        public Builder materializationBatchSize(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("materializationBatchSize must be >= 1, got " + rows);
            }
            this.batchSize = rows;
            return this;
        }

        /** Opens the store, reading its registry. */
        public FeatureStore build() {
            if (home == null) {
                throw new IllegalStateException("home is required: call home(Path)");
            }
            if (meters == null) {
                meters = new SimpleMeterRegistry();
            }
            return new DefaultFeatureStore(this);
        }
    }
}
