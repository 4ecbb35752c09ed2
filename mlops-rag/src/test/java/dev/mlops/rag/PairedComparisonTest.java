package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link PairedComparison} against scipy 1.17.1: the fixtures in
 * {@code src/test/resources/fixtures/paired/paired_fixtures.json} were written by the committed
 * {@code make_paired_fixtures.py} beside them ({@code ttest_rel}, {@code wilcoxon}, {@code permutation_test},
 * {@code bootstrap}). Deterministic parts agree to 1e-9 relative; the Monte Carlo parts (permutation test
 * for n > 13, bootstrap) within a few standard errors of scipy's large-sample reference.
 */
class PairedComparisonTest {

    static List<JsonNode> cases() throws Exception {
        try (InputStream in = PairedComparisonTest.class.getResourceAsStream("/fixtures/paired/paired_fixtures.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<JsonNode> out = new ArrayList<>();
            root.get("cases").forEach(out::add);
            return out;
        }
    }

    static double[] array(JsonNode n) {
        double[] x = new double[n.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = n.get(i).asDouble();
        }
        return x;
    }

    static Offset<Double> rel(double expected) {
        return within(Math.max(1e-14, Math.abs(expected) * 1e-9));
    }

    final PairedComparison cmp = PairedComparison.builder().resamples(100_000).bootstrapResamples(100_000).seed(11).build();

    @Test
    void tTest_matchesScipyTtestRel() throws Exception {
        for (JsonNode c : cases()) {
            PairedComparison.Result r = cmp.compare(array(c.get("a")), array(c.get("b")));
            JsonNode t = c.get("ttest");
            String name = c.get("name").asText();
            assertThat(r.tTest().statistic()).as(name).isCloseTo(t.get("statistic").asDouble(), rel(t.get("statistic").asDouble()));
            assertThat(r.tTest().pValue()).as(name).isCloseTo(t.get("pvalue").asDouble(), rel(t.get("pvalue").asDouble()));
            assertThat(r.tTest().df()).as(name).isEqualTo(t.get("df").asDouble());
            assertThat(r.tTest().ciLow()).as(name).isCloseTo(t.get("ci_low").asDouble(), rel(t.get("ci_low").asDouble()));
            assertThat(r.tTest().ciHigh()).as(name).isCloseTo(t.get("ci_high").asDouble(), rel(t.get("ci_high").asDouble()));
        }
    }

    @Test
    void wilcoxon_matchesScipyWilcoxonDefaults_inAllThreeRegimes() throws Exception {
        List<String> methods = new ArrayList<>();
        for (JsonNode c : cases()) {
            PairedComparison.Result r = cmp.compare(array(c.get("a")), array(c.get("b")));
            JsonNode w = c.get("wilcoxon");
            String name = c.get("name").asText();
            assertThat(r.wilcoxon().method()).as(name).isEqualTo(w.get("method").asText());
            assertThat(r.wilcoxon().statistic()).as(name).isEqualTo(w.get("statistic").asDouble());
            assertThat(r.wilcoxon().pValue()).as(name).isCloseTo(w.get("pvalue").asDouble(), rel(w.get("pvalue").asDouble()));
            methods.add(r.wilcoxon().method());
        }
        assertThat(methods).contains("exact", "permutation", "asymptotic");
    }

    @Test
    void permutation_isExactForSmallN_andWithinMonteCarloErrorOtherwise() throws Exception {
        for (JsonNode c : cases()) {
            PairedComparison.Result r = cmp.compare(array(c.get("a")), array(c.get("b")));
            JsonNode p = c.get("permutation");
            String name = c.get("name").asText();
            double expected = p.get("pvalue").asDouble();
            assertThat(r.permutation().exact()).as(name).isEqualTo(p.get("exact").asBoolean());
            if (p.get("exact").asBoolean()) {
                assertThat(r.permutation().pValue()).as(name).isCloseTo(expected, within(1e-12));
            } else {
                // 100,000 sign patterns: standard error <= 0.0016; scipy's reference used 200,000
                assertThat(r.permutation().pValue()).as(name).isCloseTo(expected, within(0.006));
            }
        }
    }

    @Test
    void bootstrapInterval_matchesScipyPercentileBootstrap() throws Exception {
        for (JsonNode c : cases()) {
            PairedComparison.Result r = cmp.compare(array(c.get("a")), array(c.get("b")));
            JsonNode b = c.get("bootstrap");
            String name = c.get("name").asText();
            // scipy's own spread between seeds at 100,000 resamples is <= 0.001 on these cases
            assertThat(r.bootstrap().low()).as(name).isCloseTo(b.get("low").asDouble(), within(0.002));
            assertThat(r.bootstrap().high()).as(name).isCloseTo(b.get("high").asDouble(), within(0.002));
            assertThat(r.bootstrap().confidence()).isEqualTo(0.95);
        }
    }

    @Test
    void sameSeed_sameResult_andMeansAreReported() {
        double[] a = {0.5, 0.7, 0.2, 0.9, 0.4, 0.3, 0.8, 0.6, 0.1, 0.55, 0.65, 0.75, 0.35, 0.45, 0.25};
        double[] b = {0.4, 0.7, 0.1, 0.8, 0.5, 0.2, 0.6, 0.6, 0.0, 0.50, 0.60, 0.70, 0.30, 0.40, 0.20};
        PairedComparison p = PairedComparison.builder().seed(3).build();
        PairedComparison.Result r1 = p.compare(a, b);
        assertThat(p.compare(a, b)).isEqualTo(r1);
        assertThat(r1.n()).isEqualTo(15);
        assertThat(r1.meanDifference()).isCloseTo(r1.meanA() - r1.meanB(), within(1e-15));
        assertThat(r1.meanDifference()).isCloseTo(0.06, within(1e-12)); // sum of a - b = 0.9 (by hand), / 15
    }

    @Test
    void outcomes_arePairedByQueryId() {
        Map<String, Map<String, Double>> runA = new LinkedHashMap<>();
        Map<String, Map<String, Double>> runB = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        for (int q = 0; q < 6; q++) {
            qrels.put("q" + q, Map.of("d" + q, 1));
            runA.put("q" + q, Map.of("d" + q, 1.0, "x", 0.5));          // always first: ndcg 1
            runB.put("q" + q, q % 2 == 0 ? Map.of("d" + q, 0.4, "x", 0.5) // second: 1/log2(3)
                    : Map.of("d" + q, 1.0));
        }
        RetrievalEvaluation.Outcome a = new RetrievalEvaluation.Outcome(RetrievalMetrics.evaluate(runA, qrels, 10),
                new double[0], runA);
        RetrievalEvaluation.Outcome b = new RetrievalEvaluation.Outcome(RetrievalMetrics.evaluate(runB, qrels, 10),
                new double[0], runB);
        PairedComparison.Result r = PairedComparison.builder().build().compare(a, b, "ndcg@10");
        assertThat(r.n()).isEqualTo(6);
        // three queries differ by 1 - 1/log2(3) = 0.3690702464285425, three by 0
        assertThat(r.meanDifference()).isCloseTo(0.3690702464285425 / 2, within(1e-12));
        assertThatThrownBy(() -> PairedComparison.builder().build().compare(a, b, "ndcg@5"))
                .hasMessageContaining("no metric 'ndcg@5'");
        Map<String, Map<String, Integer>> fewer = new LinkedHashMap<>(qrels);
        fewer.remove("q5");
        RetrievalEvaluation.Outcome c = new RetrievalEvaluation.Outcome(RetrievalMetrics.evaluate(runB, fewer, 10),
                new double[0], runB);
        assertThatThrownBy(() -> PairedComparison.builder().build().compare(a, c, "ndcg@10"))
                .hasMessageContaining("only in a: [q5]");
    }

    @Test
    void badInput_isRefusedPrecisely() {
        PairedComparison p = PairedComparison.builder().build();
        assertThatThrownBy(() -> p.compare(new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("same length, were 2 and 1");
        assertThatThrownBy(() -> p.compare(new double[] {1}, new double[] {1}))
                .hasMessageContaining("at least 2 pairs, got 1");
        assertThatThrownBy(() -> p.compare(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .hasMessageContaining("pair 1 is not finite (a = NaN, b = 2.0)");
        assertThatThrownBy(() -> PairedComparison.builder().confidence(1)).hasMessageContaining("was 1.0");
        PairedComparison.Result same = p.compare(new double[] {1, 2, 3}, new double[] {1, 2, 3});
        assertThat(same.tTest().pValue()).isNaN();
        assertThat(same.wilcoxon().pValue()).isNaN();
        assertThat(same.permutation().pValue()).isEqualTo(1.0);
    }
}
