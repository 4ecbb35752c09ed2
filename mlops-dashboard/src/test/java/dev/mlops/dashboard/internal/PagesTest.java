package dev.mlops.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.dashboard.MutableClock;
import dev.mlops.drift.DriftDetector;
import dev.mlops.drift.DriftReport;
import dev.mlops.rag.Answer;
import dev.mlops.rag.CostTracker;
import dev.mlops.rag.Feedback;
import dev.mlops.rag.FeedbackStore;
import dev.mlops.rag.ResponseCache;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.RegistryRun;
import dev.mlops.registry.VersionRequest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PagesTest {

    static final String HOSTILE = "<script>alert(\"x\")</script>";
    static final String HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;";
    static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void escape_coversTheFiveHtmlCharacters_andControlCharacters() {
        assertThat(Html.esc("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f");
        assertThat(Html.esc("bell\u0007")).isEqualTo("bell\uFFFD");
        assertThat(Html.esc("plain")).isEqualTo("plain");
    }

    @Test
    void everyPage_withoutItsSource_saysHowToConfigureIt() {
        Sources none = Sources.none(Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(Pages.render("/flows", none)).contains("is not configured").contains("flows(flowEngine.history())");
        assertThat(Pages.render("/registry", none)).contains("registry(modelRegistry)");
        assertThat(Pages.render("/serving", none)).contains("serving(predictionLog");
        assertThat(Pages.render("/drift", none)).contains("drift(driftMonitor)");
        assertThat(Pages.render("/rag", none)).contains("ragFeedback(feedbackStore)");
        assertThat(Pages.render("/features", none)).contains("features(featureStore)");
        assertThat(Pages.render("/", none)).contains("not configured");
    }

    @Test
    void driftPage_showsEveryColumn_itsVerdict_andHistogram_withHostileNamesEscaped() {
        Table reference = Table.of(DoubleColumn.of(HOSTILE, seq(0, 200)), DoubleColumn.of("steady", seq(0, 200)),
                StringColumn.of("color", repeat(List.of("red", "blue"), 200)));
        Table current = Table.of(DoubleColumn.of(HOSTILE, seq(50, 200)), DoubleColumn.of("steady", seq(0, 200)),
                StringColumn.of("color", repeat(List.of("red", "red", "red", "blue"), 200)));
        DriftReport report = DriftDetector.builder().categorical("color").build().compare(reference, current);

        DriftPage page = DriftPage.of(List.of(), Map.of("nightly " + HOSTILE, report));
        String html = page.render();

        assertThat(html).doesNotContain("<script>").contains("Report: nightly " + HOSTILE_ESCAPED);
        for (String column : List.of(HOSTILE_ESCAPED, "steady", "color")) {
            assertThat(html).contains("<td>" + column + "</td>");
        }
        // one histogram per column: a reference and a current bar per bin
        assertThat(html.split("data-chart=\"report-1-hist-", -1)).hasSize(4);
        // the shifted column drifts, the identical one does not
        assertThat(report.columns().get(HOSTILE).drift()).isTrue();
        assertThat(report.columns().get("steady").drift()).isFalse();
        assertThat(html).contains("<figcaption>" + HOSTILE_ESCAPED + " (drift)</figcaption>");
        assertThat(html).contains("<figcaption>steady</figcaption>");
    }

    @Test
    void ragPage_feedbackCacheAndCost() throws Exception {
        MutableClock clock = new MutableClock(T0);
        CostTracker cost = CostTracker.builder().price("local:llama", "0.15", "0.60").build();
        cost.record("local:llama", 1_000_000, 500_000);   // 0.15 + 0.5 * 0.60 = 0.45
        cost.record("local:llama", 0, 0);
        ResponseCache cache = ResponseCache.builder().clock(clock).build();
        Answer answer = new Answer("a1", "What is WAL?", "Write-ahead logging.", "p1", "idx1", "emb", "local:llama",
                List.of("c1"), 10, 5, T0);
        assertThat(cache.get(answer.cacheKey(), "What is WAL?")).isEmpty();       // miss
        cache.put("What is WAL?", answer);
        assertThat(cache.get(answer.cacheKey(), "what is  WAL?")).isPresent();    // exact hit (normalized)
        assertThat(cache.get(answer.cacheKey(), "Something else")).isEmpty();    // miss
        try (FeedbackStore feedback = FeedbackStore.open(dir.resolve("feedback.jsonl"), clock)) {
            feedback.record("a1", Feedback.Rating.UP, "good");
            feedback.record("a1", Feedback.Rating.UP, null);
            feedback.record("a2", Feedback.Rating.DOWN, "<img src=x onerror=alert(1)>");

            RagPage page = RagPage.of(Map.of("hybrid " + HOSTILE, Map.of("nDCG@10", 0.71, "Recall@100", 0.93)),
                    feedback, cache, cost);

            assertThat(page.feedbackUp()).isEqualTo(2);
            assertThat(page.feedbackDown()).isEqualTo(1);
            assertThat(page.approval()).isEqualTo(2.0 / 3);
            assertThat(page.latest()).extracting(Feedback::answerId).containsExactly("a2", "a1", "a1");
            assertThat(page.cache().exactHits()).isEqualTo(1);
            assertThat(page.cache().misses()).isEqualTo(2);
            assertThat(page.usage().get("local:llama").cost()).isEqualByComparingTo(new BigDecimal("0.45"));
            assertThat(page.usage().get("local:llama").calls()).isEqualTo(2);

            String html = page.render();
            assertThat(html).doesNotContain("<img").doesNotContain("<script>")
                    .contains("&lt;img src=x onerror=alert(1)&gt;").contains(HOSTILE_ESCAPED);
            assertThat(html).contains("2 up, 1 down").contains("33.3333 %").contains("0.45");
            assertThat(html).contains("data-chart=\"rag-eval\"").contains("<td>0.71</td>");
        }
    }

    @Test
    void registryPage_versionsWithTheirRunsMetrics_andEveryAliasMove() throws Exception {
        MutableClock clock = new MutableClock(T0);
        Path artifact = Files.createDirectories(dir.resolve("artifact"));
        Files.writeString(artifact.resolve("model.txt"), "weights");
        try (ModelRegistry registry = ModelRegistry.builder().home(dir.resolve("registry")).clock(clock)
                .principal(() -> "ci").build()) {
            double[] accuracy = {0.91, 0.95, 0.93};
            for (int i = 0; i < 3; i++) {
                try (RegistryRun run = registry.startRun("exp", "run " + i + " " + HOSTILE)) {
                    run.logMetric("accuracy", accuracy[i]);
                    if (i > 0) {
                        run.logMetric("f1", accuracy[i] - 0.01);
                    }
                    run.logArtifact(artifact, "model");
                    registry.createVersion(VersionRequest.builder("churn", run.runId(), "model").flavor("custom")
                            .reason("v" + (i + 1)).build());
                }
                clock.advance(Duration.ofMinutes(5));
            }
            registry.setAlias("churn", "champion", 1, "first " + HOSTILE);
            registry.setAlias("churn", "champion", 2, "better");
            registry.setAlias("churn", "canary", 3, "try");
            registry.deleteAlias("churn", "canary", "done");

            RegistryPage page = RegistryPage.of(registry);

            RegistryPage.ModelView churn = page.models().get(0);
            assertThat(churn.model().name()).isEqualTo("churn");
            assertThat(churn.metricKeys()).containsExactly("accuracy", "f1");
            assertThat(churn.versions()).extracting(RegistryPage.VersionRow::version).containsExactly(1, 2, 3);
            assertThat(churn.versions()).extracting(v -> v.metrics().get("accuracy")).containsExactly(0.91, 0.95, 0.93);
            assertThat(churn.versions().get(0).metrics()).doesNotContainKey("f1");
            assertThat(churn.versions().get(1).aliases()).containsExactly("champion");
            // a deleted alias keeps its history
            assertThat(churn.aliasHistory()).containsOnlyKeys("canary", "champion");
            assertThat(churn.aliasHistory().get("champion")).extracting(c -> c.toVersion()).containsExactly(1, 2);
            assertThat(churn.aliasHistory().get("canary")).extracting(c -> c.toVersion()).containsExactly(3, null);
            assertThat(page.recentRuns()).hasSize(3);

            String html = page.render();
            assertThat(html).doesNotContain("<script>").contains("first " + HOSTILE_ESCAPED);
            assertThat(html).contains("data-chart=\"metrics-churn\"").contains("(removed)");
            // the metric comparison chart: one bar per version and metric, heights proportional to the values
            // (version 1 has no f1: its bar is empty, data-value NaN)
            Matcher m = Pattern.compile("data-value=\"([0-9.]+|NaN)\"").matcher(html);
            List<String> values = new java.util.ArrayList<>();
            while (m.find()) {
                values.add(m.group(1));
            }
            assertThat(values).containsExactly(
                    "0.91", "0.95", "0.93",                                                // accuracy of v1, v2, v3
                    "NaN", Double.toString(0.95 - 0.01), Double.toString(0.93 - 0.01)); // f1 as logged
        }
    }

    private static double[] seq(double from, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i;
        }
        return v;
    }

    private static String[] repeat(List<String> pattern, int n) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = pattern.get(i % pattern.size());
        }
        return v;
    }
}
