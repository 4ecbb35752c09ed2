package dev.mlops.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.flow.Flow;
import dev.mlops.core.flow.FlowEngine;
import dev.mlops.core.flow.FlowState;
import dev.mlops.dashboard.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsPageTest {

    @TempDir
    Path home;

    /** A flow whose one task moves the clock by {@code seconds} (so the run lasts that long) and may fail. */
    private static Flow<Integer> flow(String name, MutableClock clock, long seconds, boolean fail) {
        Flow.Builder b = Flow.builder(name);
        return b.build(b.task("work").run(() -> {
            clock.advance(Duration.ofSeconds(seconds));
            if (fail) {
                throw new NonRetriableException("<script>alert('flow')</script> broke");
            }
            return 1;
        }));
    }

    @Test
    void summaries_durations_andFailures_comeFromTheRunHistory() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            engine.run(flow("etl", clock, 10, false));
            clock.advance(Duration.ofMinutes(1));
            engine.run(flow("etl", clock, 30, true));
            clock.advance(Duration.ofMinutes(1));
            engine.run(flow("etl", clock, 20, false));
            clock.advance(Duration.ofMinutes(1));
            engine.run(flow("train", clock, 5, false));
            clock.advance(Duration.ofMinutes(1));
            engine.run(flow("etl", clock, 40, false));

            FlowsPage page = FlowsPage.of(engine.history(), 50, clock);

            // newest first, as run above
            assertThat(page.runs()).extracting(FlowsPage.Run::flow)
                    .containsExactly("etl", "train", "etl", "etl", "etl");
            assertThat(page.runs()).extracting(r -> r.duration().toSeconds()).containsExactly(40L, 5L, 20L, 30L, 10L);
            assertThat(page.flows()).extracting(FlowsPage.FlowSummary::flow).containsExactly("etl", "train");
            FlowsPage.FlowSummary etl = page.flows().get(0);
            assertThat(etl.runs()).isEqualTo(4);
            assertThat(etl.completed()).isEqualTo(3);
            assertThat(etl.failed()).isEqualTo(1);
            // the median of 10, 20, 30, 40 s is (20 + 30) / 2 = 25 s; the failed run counts: it finished
            assertThat(etl.medianDuration()).isEqualTo(Duration.ofSeconds(25));
            assertThat(etl.maxDuration()).isEqualTo(Duration.ofSeconds(40));
            assertThat(etl.lastState()).isEqualTo(FlowState.COMPLETED);
            FlowsPage.FlowSummary train = page.flows().get(1);
            assertThat(train.medianDuration()).isEqualTo(Duration.ofSeconds(5));
            assertThat(page.failures()).singleElement().satisfies(f -> {
                assertThat(f.failedTask()).isEqualTo("work");
                assertThat(f.error()).contains("broke");
                assertThat(f.duration()).isEqualTo(Duration.ofSeconds(30));
            });

            // only the last n runs
            assertThat(FlowsPage.of(engine.history(), 2, clock).runs()).hasSize(2);

            String html = page.render();
            assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;flow&#39;)&lt;/script&gt;");
            assertThat(html).contains("data-chart=\"flow-durations\"");
            // one bar per run, the failed one red
            assertThat(html.split("<rect class=\"bar ", -1)).hasSize(6);
            assertThat(html).contains("<rect class=\"bar bad\"");
            assertThat(html).contains("25.0 s");
        }
    }

    @Test
    void anEmptyHistory_saysSo() {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
        try (FlowEngine engine = FlowEngine.builder().home(home).clock(clock).build()) {
            FlowsPage page = FlowsPage.of(engine.history(), 50, clock);
            assertThat(page.runs()).isEmpty();
            assertThat(page.render()).contains("no flow has run yet");
        }
    }
}
