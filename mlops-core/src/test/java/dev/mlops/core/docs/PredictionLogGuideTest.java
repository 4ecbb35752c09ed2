package dev.mlops.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippet of the "Prediction log" section of docs/core.md, run as a test. Keep the two in step. */
class PredictionLogGuideTest {

    @Test
    void guide(@TempDir Path dir) {
        MeterRegistry registry = new SimpleMeterRegistry();
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
        Instant from = clock.instant().minusSeconds(60);
        Instant to = clock.instant().plusSeconds(60);
        List<PredictionRecord> read;

        // --- guide: prediction log ---
        try (PredictionLog log = PredictionLog.rollingFilesBuilder(dir.resolve("predictions"))
                .maxFileBytes(64 << 20)        // roll to a new segment at 64 MiB (default)
                .maxTotalBytes(1L << 30)       // delete the oldest segments past 1 GiB (default)
                .meterRegistry(registry)
                .build()) {
            log.append(new PredictionRecord("churn", "7", clock.instant(), "req-1",
                    Map.of("tenure", 12.0, "plan", "pro"), new double[] {0.2, 0.8}, 41_000));
            log.flush();                       // on disk (fsync) and readable
            List<PredictionRecord> window = log.read("churn", from, to);
            // --- end ---
            read = window;
            assertThat(registry.get("mlops.core.predictionlog.written").counter().count()).isEqualTo(1.0);
        }
        assertThat(read).hasSize(1);
        assertThat(read.get(0).requestId()).isEqualTo("req-1");
        assertThat((double[]) read.get(0).output()).containsExactly(0.2, 0.8);
        assertThat(dir.resolve("predictions").resolve("predictions-000000000001.log")).exists();
    }
}
