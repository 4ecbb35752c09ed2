package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionRecordTest {

    private static final Instant T = Instant.parse("2024-05-01T12:00:00Z");

    static PredictionRecord record(Map<String, Object> inputs, Object output) {
        return new PredictionRecord("churn", "7", T, "req-1", inputs, output, 1_500_000);
    }

    @Test
    void inputs_keepInsertionOrder_allowNulls_andAreACopy() {
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("zeta", 1.5);
        inputs.put("alpha", 3L);
        inputs.put("flag", true);
        inputs.put("city", "Oslo");
        inputs.put("seen", T);
        inputs.put("missing", null);

        PredictionRecord r = record(inputs, 0.8);
        inputs.put("late", 1.0);

        assertThat(r.inputs().keySet()).containsExactly("zeta", "alpha", "flag", "city", "seen", "missing");
        assertThat(r.inputs()).containsEntry("missing", null);
        assertThatThrownBy(() -> r.inputs().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void input_ofUnsupportedType_namesKeyTypeValueAndFix() {
        assertThatThrownBy(() -> record(Map.of("age", 42), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model 'churn': input 'age' has unsupported type java.lang.Integer (value: 42). "
                        + "Allowed: Double, Long, Boolean, String, Instant or null. "
                        + "Fix: convert it with ((Number) value).longValue()");
        assertThatThrownBy(() -> record(Map.of("price", new BigDecimal("9.99")), null))
                .hasMessageContaining("input 'price' has unsupported type java.math.BigDecimal")
                .hasMessageEndingWith("doubleValue()");
        assertThatThrownBy(() -> record(Map.of("day", LocalDate.of(2024, 5, 1)), null))
                .hasMessageEndingWith("convert it to an Instant");
    }

    @Test
    void inputs_rejectNullKey() {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put(null, 1.0);

        assertThatThrownBy(() -> record(inputs, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null key");
    }

    @Test
    void output_acceptsScalarsAndScores_copiesScores() {
        double[] scores = {0.1, 0.9};
        PredictionRecord r = record(Map.of(), scores);
        scores[0] = 42;

        assertThat((double[]) r.output()).containsExactly(0.1, 0.9);
        ((double[]) r.output())[1] = 42;
        assertThat((double[]) r.output()).containsExactly(0.1, 0.9);
        assertThat(r).isEqualTo(record(Map.of(), new double[] {0.1, 0.9}))
                .hasSameHashCodeAs(record(Map.of(), new double[] {0.1, 0.9}));
        assertThat(r.toString()).contains("output=[0.1, 0.9]");
        assertThat(record(Map.of(), "yes").output()).isEqualTo("yes");
        assertThat(record(Map.of(), null).output()).isNull();
    }

    @Test
    void output_ofUnsupportedType_isRejected() {
        assertThatThrownBy(() -> record(Map.of(), new Double[] {0.1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output has unsupported type [Ljava.lang.Double;")
                .hasMessageContaining("or double[] scores")
                .hasMessageEndingWith("Fix: pass class scores as a double[]");
    }

    @Test
    void requiredFields_areChecked() {
        assertThatThrownBy(() -> new PredictionRecord(" ", "7", T, null, Map.of(), null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model is blank");
        assertThatThrownBy(() -> new PredictionRecord("m", null, T, null, Map.of(), null, 0))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> new PredictionRecord("m", "1", null, null, Map.of(), null, 0))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> new PredictionRecord("m", "1", T, null, null, null, 0))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("inputs");
        assertThatThrownBy(() -> new PredictionRecord("m", "1", T, null, Map.of(), null, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latencyNanos must be >= 0");
    }
}
