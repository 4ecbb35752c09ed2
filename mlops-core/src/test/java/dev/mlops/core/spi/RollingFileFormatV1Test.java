package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory written by the first release of the rolling-file format (version 1), committed as a fixture:
 * every later release must still read it, exactly. The fixture was written by
 * {@code PredictionLog.rollingFiles(dir)} with {@link #records()} appended in order, then closed.
 */
class RollingFileFormatV1Test {

    private static final String[] FILES = {"predictions-000000000001.log", "predictions-000000000001.idx"};

    static List<PredictionRecord> records() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("radius", 17.99);
        inputs.put("count", 42L);
        inputs.put("flag", true);
        inputs.put("city", "Zürich");
        inputs.put("seen", Instant.parse("2024-05-01T12:00:00.123456789Z"));
        inputs.put("none", null);
        inputs.put("nan", Double.NaN);
        Instant t0 = Instant.parse("2024-05-01T00:00:00Z");
        return List.of(
                new PredictionRecord("breast-cancer", "3", t0.plusSeconds(2), "req-1", inputs,
                        new double[] {0.25, 0.75}, 12_345),
                new PredictionRecord("breast-cancer", "4", t0, null, Map.of(), "malignant", 0),
                new PredictionRecord("churn", "1", t0.plusSeconds(1), "req-3", Map.of("x", -0.0), null, 7),
                new PredictionRecord("breast-cancer", "4", t0, "req-4", Map.of("b", false), 1L, 1));
    }

    @Test
    void aVersion1Directory_stillReadsExactly(@TempDir Path dir) throws IOException {
        for (String name : FILES) {
            try (InputStream in = getClass().getResourceAsStream("prediction-log-v1/" + name)) {
                assertThat(in).as(name).isNotNull();
                Files.copy(in, dir.resolve(name));
            }
        }
        List<PredictionRecord> expected = records();
        try (PredictionLog log = PredictionLog.rollingFiles(dir)) {
            assertThat(log.read("breast-cancer", Instant.MIN, Instant.MAX))
                    .containsExactly(expected.get(1), expected.get(3), expected.get(0));
            assertThat(log.read("churn", Instant.MIN, Instant.MAX)).containsExactly(expected.get(2));
        }
    }
}
