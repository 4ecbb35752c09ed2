package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CostTrackerTest {

    @Test
    void record_costIsTokensTimesPricePerMillion_andAccumulates() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        CostTracker t = CostTracker.builder().price("openai:gpt-4o-mini", "0.15", "0.60").price("ollama:x", "0", "0")
                .meterRegistry(reg).build();

        // by hand: 1200 * 0.15 / 1e6 + 350 * 0.60 / 1e6 = 0.00018 + 0.00021 = 0.00039
        assertThat(t.record("openai:gpt-4o-mini", 1200, 350)).isEqualByComparingTo("0.00039");
        // 1,000,000 * 0.15 / 1e6 + 0 = 0.15
        assertThat(t.record("openai:gpt-4o-mini", 1_000_000, 0)).isEqualByComparingTo("0.15");
        assertThat(t.record("ollama:x", 10, 10)).isEqualByComparingTo(BigDecimal.ZERO);

        CostTracker.Usage u = t.usage().get("openai:gpt-4o-mini");
        assertThat(u.calls()).isEqualTo(2);
        assertThat(u.inputTokens()).isEqualTo(1_001_200);
        assertThat(u.outputTokens()).isEqualTo(350);
        assertThat(u.cost()).isEqualByComparingTo("0.15039");
        assertThat(reg.get("mlops.rag.tokens").tag("model", "openai:gpt-4o-mini").tag("direction", "in").counter()
                .count()).isEqualTo(1_001_200.0);
        assertThat(reg.get("mlops.rag.cost").tag("model", "openai:gpt-4o-mini").counter().count())
                .isCloseTo(0.15039, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void record_unpricedModel_listsPricedOnesAndRecordsNothing() {
        CostTracker t = CostTracker.builder().price("a", "1", "2").build();
        assertThatThrownBy(() -> t.record("b", 1, 1)).hasMessageContaining("no price for model 'b'")
                .hasMessageContaining("priced: [a]");
        assertThatThrownBy(() -> t.record("a", -1, 1)).hasMessageContaining("-1");
        assertThat(t.usage()).isEmpty();
        assertThatThrownBy(() -> CostTracker.builder().price("a", "x", "1")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> CostTracker.builder().price("a", "-1", "1")).hasMessageContaining(">= 0");
    }
}
