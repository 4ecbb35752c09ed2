package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoopPredictionLogTest {

    private final PredictionLog log = PredictionLog.noop();
    private final Instant t = Instant.parse("2024-05-01T00:00:00Z");

    @Test
    void discardsRecords_andStaysUsableAfterClose() {
        log.close();
        log.append(new PredictionRecord("m", "1", t, null, Map.of(), 1.0, 0));
        log.appendAll(List.of(new PredictionRecord("m", "1", t, null, Map.of(), 1.0, 0)));
        log.flush();

        assertThat(log.read("m", Instant.MIN, Instant.MAX)).isEmpty();
        assertThat(log.dropped()).isZero();
        assertThat(PredictionLog.noop()).isSameAs(log);
    }

    @Test
    void checksArguments() {
        assertThatThrownBy(() -> log.append(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> log.read("m", t.plusSeconds(1), t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> log.read(null, t, t)).isInstanceOf(NullPointerException.class);
    }
}
