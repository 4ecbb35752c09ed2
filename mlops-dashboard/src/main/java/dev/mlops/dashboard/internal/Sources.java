package dev.mlops.dashboard.internal;

import dev.mlops.core.flow.RunHistory;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.drift.DriftMonitor;
import dev.mlops.drift.DriftReport;
import dev.mlops.features.FeatureStore;
import dev.mlops.rag.CostTracker;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.ResponseCache;
import dev.mlops.registry.ModelRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the dashboard shows, as configured on its builder; any source may be null (or empty) when not configured. */
public record Sources(Clock clock, RunHistory flows, int flowRuns, ModelRegistry registry, PredictionLog servingLog,
                      List<String> servingModels, MeterRegistry servingMeters, Duration servingWindow,
                      List<DriftMonitor> monitors, Map<String, DriftReport> driftReports,
                      Map<String, Map<String, Double>> ragEvaluations, FeedbackStore feedback, ResponseCache cache,
                      CostTracker cost, FeatureStore features, List<String> featureViews, MeterRegistry featureMeters,
                      Duration featureMaxAge) {

    public Sources {
        servingModels = List.copyOf(servingModels);
        monitors = List.copyOf(monitors);
        driftReports = Collections.unmodifiableMap(new LinkedHashMap<>(driftReports));
        ragEvaluations = Collections.unmodifiableMap(new LinkedHashMap<>(ragEvaluations));
        featureViews = List.copyOf(featureViews);
    }

    /** Only a clock: every page says how to configure its source. */
    public static Sources none(Clock clock) {
        return new Sources(clock, null, 50, null, null, List.of(), null, Duration.ofHours(24), List.of(), Map.of(),
                Map.of(), null, null, null, null, List.of(), null, null);
    }

    boolean hasRag() {
        return !ragEvaluations.isEmpty() || feedback != null || cache != null || cost != null;
    }
}
