package dev.mlops.registry.serving.internal;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Field;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.Predictor;
import dev.mlops.registry.serving.ServedPrediction.Role;
import dev.mlops.registry.internal.BatchingPredictor;
import dev.mlops.registry.internal.ValidatedPredictor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable loaded version with everything a request needs (signature arrays, its meters): requests read one
 * reference to it, so a swap is a single atomic write.
 */
final class Loaded {
    final ModelVersion version;
    final Predictor predictor;
    final Instant loadedAt;
    final String[] names;
    final ColumnType[] types;
    final Set<String> nameSet;
    final List<String> nameList;
    final Timer latency;
    final Counter requests;
    final String versionTag;
    final Role role;
    /** Gathers concurrent single rows into one model call; null when the flavor does not benefit or it is off. */
    final MicroBatcher batcher;
    /** The predictor's validated-row entry point, or null when its flavor has none (then the row goes as a map). */
    final ValidatedPredictor validated;

    Loaded(ModelVersion version, Predictor predictor, Instant loadedAt, Role role, MeterRegistry meters) {
        this(version, predictor, loadedAt, role, meters, 0, 1);
    }

    Loaded(ModelVersion version, Predictor predictor, Instant loadedAt, Role role, MeterRegistry meters,
           long batchWaitNanos, int maxBatchSize) {
        this.version = version;
        this.predictor = predictor;
        this.validated = predictor instanceof ValidatedPredictor v ? v : null;
        this.loadedAt = loadedAt;
        this.role = role;
        int n = predictor.signature().inputs().size();
        this.names = new String[n];
        this.types = new ColumnType[n];
        for (int i = 0; i < n; i++) {
            Field f = predictor.signature().inputs().field(i);
            names[i] = f.name();
            types[i] = f.type();
        }
        this.nameList = List.of(names);
        this.nameSet = new HashSet<>(nameList);
        this.versionTag = Integer.toString(version.version());
        String roleTag = role.name().toLowerCase(java.util.Locale.ROOT);
        this.latency = Timer.builder("mlops.serving.latency")
                .description("time to validate and predict one row")
                .tags("model", version.model(), "version", versionTag, "role", roleTag)
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(meters);
        this.requests = Counter.builder("mlops.serving.requests")
                .description("rows predicted")
                .tags("model", version.model(), "version", versionTag, "role", roleTag)
                .register(meters);
        if (batchWaitNanos > 0 && maxBatchSize > 1 && predictor instanceof BatchingPredictor b) {
            this.batcher = new MicroBatcher(b, batchWaitNanos, maxBatchSize,
                    DistributionSummary.builder("mlops.serving.batch.size")
                            .description("rows per model call of the micro-batcher")
                            .tags("model", version.model(), "version", versionTag, "role", roleTag)
                            .register(meters));
        } else {
            this.batcher = null;
        }
    }
}
