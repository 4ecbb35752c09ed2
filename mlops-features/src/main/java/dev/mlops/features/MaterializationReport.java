package dev.mlops.features;

import java.time.Instant;
import java.util.Map;

/**
 * What a materialization did.
 *
 * @param start       the first event time included (per view for incremental runs: the earliest)
 * @param end         the last event time included
 * @param rowsWritten per view, the entity rows written to the online store
 */
public record MaterializationReport(Instant start, Instant end, Map<String, Long> rowsWritten) {
    public MaterializationReport {
        rowsWritten = Map.copyOf(rowsWritten);
    }
}
