package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The detector on tables built from the scipy fixtures (fixtures/univariate.json): the automatic choice,
 * the threshold rule, dataset drift, corrections and bad input. Expected statistics come from scipy.
 */
class DriftDetectorTest {

    static final JsonNode CASES = Fixtures.load("univariate.json").get("cases");

    static JsonNode fixture(String name) {
        for (JsonNode c : CASES) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** A column of {@code values} padded with nulls to {@code length}. */
    static Column column(String name, JsonNode values, boolean numeric, int length) {
        if (numeric) {
            DoubleColumn.Builder b = DoubleColumn.builder(name, length);
            values.forEach(v -> b.add(v.asDouble()));
            while (b.size() < length) {
                b.addNull();
            }
            return b.build();
        }
        StringColumn.Builder b = StringColumn.builder(name, length);
        values.forEach(v -> b.add(v.asText()));
        while (b.size() < length) {
            b.addNull();
        }
        return b.build();
    }

    /** Reference and current tables with one column per named fixture case, each column named like its case. */
    static Table[] tables(String... names) {
        int refLen = 0;
        int curLen = 0;
        for (String n : names) {
            refLen = Math.max(refLen, fixture(n).get("reference").size());
            curLen = Math.max(curLen, fixture(n).get("current").size());
        }
        List<Column> ref = new ArrayList<>();
        List<Column> cur = new ArrayList<>();
        for (String n : names) {
            JsonNode c = fixture(n);
            boolean numeric = c.get("type").asText().equals("numeric");
            ref.add(column(n, c.get("reference"), numeric, refLen));
            cur.add(column(n, c.get("current"), numeric, curLen));
        }
        return new Table[] {Table.of(ref.toArray(Column[]::new)), Table.of(cur.toArray(Column[]::new))};
    }

    static double scipy(String caseName, String test, String field) {
        return fixture(caseName).get("tests").get(test).get(field).asDouble();
    }

    @Test
    void compare_choosesTestsLikeEvidently_andReportsScipysValues() {
        Table[] t = tables("normal_200_vs_150_shifted", "binary_01_400_vs_300", "lognormal_3000_vs_2500", "colors_shift",
                "binary_yes_no", "exact_10000_vs_9999");
        DriftReport r = DriftDetector.builder().build().compare(t[0], t[1]);

        ColumnDrift ks = r.columns().get("normal_200_vs_150_shifted");
        assertThat(ks.test()).isEqualTo(StatTest.KS);
        assertThat(ks.kind()).isEqualTo(ColumnKind.NUMERIC);
        assertThat(ks.statistic()).isCloseTo(scipy("normal_200_vs_150_shifted", "ks", "statistic"), within(1e-12));
        assertThat(ks.pValue()).isCloseTo(scipy("normal_200_vs_150_shifted", "ks", "p_value"), within(1e-12));
        assertThat(ks.referenceMissing()).isEqualTo(10_000 - 200); // the padding nulls
        assertThat(r.columns().get("binary_01_400_vs_300").test()).isEqualTo(StatTest.Z);
        assertThat(r.columns().get("binary_01_400_vs_300").pValue())
                .isCloseTo(scipy("binary_01_400_vs_300", "z", "p_value"), within(1e-12));
        ColumnDrift w = r.columns().get("lognormal_3000_vs_2500");
        assertThat(w.test()).isEqualTo(StatTest.WASSERSTEIN);
        assertThat(w.statistic()).isCloseTo(scipy("lognormal_3000_vs_2500", "wasserstein", "statistic"), within(1e-12));
        assertThat(w.pValue()).isNaN();
        assertThat(r.columns().get("colors_shift").test()).isEqualTo(StatTest.CHISQUARE);
        assertThat(r.columns().get("colors_shift").kind()).isEqualTo(ColumnKind.CATEGORICAL);
        assertThat(r.columns().get("colors_shift").pValue()).isCloseTo(scipy("colors_shift", "chisquare", "p_value"), within(1e-15));
        assertThat(r.columns().get("binary_yes_no").test()).isEqualTo(StatTest.Z);
        assertThat(r.columns().get("exact_10000_vs_9999").test()).isEqualTo(StatTest.WASSERSTEIN);
        assertThat(r.referenceRows()).isEqualTo(10_000);
        assertThat(r.currentRows()).isEqualTo(9_999);
    }

    @Test
    void compare_largeReferenceWithFewValues_usesJensenShannon() {
        double[] ref = new double[1500];
        double[] cur = new double[1200];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = i % 3;
        }
        for (int i = 0; i < cur.length; i++) {
            cur[i] = i % 4 == 0 ? 0 : 1;
        }
        DriftReport r = DriftDetector.builder().build().compare(Table.of(DoubleColumn.of("x", ref)), Table.of(DoubleColumn.of("x", cur)));
        assertThat(r.columns().get("x").test()).isEqualTo(StatTest.JENSENSHANNON);
        // shares 1/3,1/3,1/3 vs 1/4,3/4,0: JS distance by hand with natural logs
        double[] p = {1 / 3.0, 1 / 3.0, 1 / 3.0};
        double[] q = {0.25, 0.75, 0};
        double js = 0;
        for (int i = 0; i < 3; i++) {
            double m = (p[i] + q[i]) / 2;
            js += (p[i] > 0 ? p[i] * Math.log(p[i] / m) : 0) + (q[i] > 0 ? q[i] * Math.log(q[i] / m) : 0);
        }
        assertThat(r.columns().get("x").statistic()).isCloseTo(Math.sqrt(js / 2), within(1e-14));
    }

    @Test
    void thresholdRule_pValueStrictlyBelow_distanceAtOrAbove() {
        assertThat(StatTest.KS.drifted(0.3, 0.05, 0.05)).isFalse();
        assertThat(StatTest.KS.drifted(0.3, 0.0499999, 0.05)).isTrue();
        assertThat(StatTest.WASSERSTEIN.drifted(0.1, Double.NaN, 0.1)).isTrue();
        assertThat(StatTest.WASSERSTEIN.drifted(0.0999999, Double.NaN, 0.1)).isFalse();
        assertThat(StatTest.T_TEST.drifted(Double.NaN, Double.NaN, 0.05)).isFalse();

        Table[] t = tables("lognormal_3000_vs_2500", "normal_200_vs_150_shifted");
        double w = scipy("lognormal_3000_vs_2500", "wasserstein", "statistic");
        double p = scipy("normal_200_vs_150_shifted", "ks", "p_value");
        DriftReport atThreshold = DriftDetector.builder()
                .threshold("lognormal_3000_vs_2500", w).threshold("normal_200_vs_150_shifted", p).build().compare(t[0], t[1]);
        assertThat(atThreshold.columns().get("lognormal_3000_vs_2500").drift()).isTrue();
        assertThat(atThreshold.columns().get("normal_200_vs_150_shifted").drift()).isFalse();
        assertThat(atThreshold.columns().get("normal_200_vs_150_shifted").threshold()).isEqualTo(p);
    }

    @Test
    void datasetDrift_isShareOfDriftedColumnsAtOrAboveDriftShare() {
        // strong shift and constant_different drift; same_distribution and constant_equal do not
        Table[] t = tables("strong_shift_tiny_p_500", "same_distribution_300_vs_300", "constant_equal", "constant_different");
        DriftReport half = DriftDetector.builder().test("constant_equal", StatTest.KS).test("constant_different", StatTest.KS)
                .build().compare(t[0], t[1]);
        assertThat(half.columns().values()).extracting(ColumnDrift::drift).containsExactly(true, false, false, true);
        assertThat(half.shareDrifted()).isEqualTo(0.5);
        assertThat(half.datasetDrift()).isTrue();
        DriftReport strict = DriftDetector.builder().test("constant_equal", StatTest.KS).test("constant_different", StatTest.KS)
                .driftShare(0.6).build().compare(t[0], t[1]);
        assertThat(strict.datasetDrift()).isFalse();
    }

    @Test
    void meters_countChecksAndDriftedColumns() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Table[] t = tables("strong_shift_tiny_p_500", "same_distribution_300_vs_300", "constant_equal", "constant_different");
        DriftDetector d = DriftDetector.builder().meterRegistry(registry).test("constant_equal", StatTest.KS).build();
        d.compare(t[0], t[1]);
        d.compare(t[0], t[1]);
        assertThat(registry.get("mlops.drift.check").timer().count()).isEqualTo(2);
        assertThat(registry.get("mlops.drift.checks").tag("dataset_drift", "true").counter().count()).isEqualTo(2);
        assertThat(registry.get("mlops.drift.columns.drifted").counter().count()).isEqualTo(4); // 2 per check
        assertThat(registry.get("mlops.drift.share").gauge().value()).isEqualTo(0.5);
    }

    @Test
    void correction_adjustsPValuesByDefinition() {
        double[] p = {0.01, 0.04, 0.03, 0.005, Double.NaN};
        // by hand: Bonferroni m = 4 (NaN excluded); BH: sorted 0.005, 0.01, 0.03, 0.04 -> 4p/rank = 0.02, 0.02, 0.04, 0.04
        assertThat(Correction.BONFERRONI.adjust(p)).containsExactly(new double[] {0.04, 0.16, 0.12, 0.02, Double.NaN}, within(1e-15));
        assertThat(Correction.BENJAMINI_HOCHBERG.adjust(p)).containsExactly(new double[] {0.02, 0.04, 0.04, 0.02, Double.NaN}, within(1e-15));
        assertThat(Correction.BENJAMINI_HOCHBERG.adjust(new double[] {0.9, 0.8})).containsExactly(0.9, 0.9);
        assertThat(Correction.NONE.adjust(p)).containsExactly(p);
    }

    @Test
    void correction_bonferroniChangesVerdictsOfPValueColumnsOnly() {
        Table[] t = tables("normal_200_vs_150_shifted", "ties_integers_500_vs_400", "lognormal_3000_vs_2500");
        double p1 = scipy("normal_200_vs_150_shifted", "ks", "p_value");
        DriftReport r = DriftDetector.builder().correction(Correction.BONFERRONI).build().compare(t[0], t[1]);
        ColumnDrift c = r.columns().get("normal_200_vs_150_shifted");
        assertThat(c.adjustedPValue()).isCloseTo(Math.min(1, 2 * p1), within(1e-15)); // two p-value columns
        assertThat(c.drift()).isEqualTo(2 * p1 < 0.05);
        assertThat(r.columns().get("lognormal_3000_vs_2500").adjustedPValue()).isNaN();
        assertThat(r.toJson()).contains("\"correction\" : \"bonferroni\"").contains("\"adjusted_p_value\"");
    }

    @Test
    void overrides_andExtraTests() {
        Table[] t = tables("colors_shift", "lognormal_3000_vs_2500");
        DriftReport r = DriftDetector.builder().test("colors_shift", StatTest.PSI)
                .alsoRun(List.of(StatTest.KS, StatTest.PSI, StatTest.CHISQUARE)).build().compare(t[0], t[1]);
        ColumnDrift colors = r.columns().get("colors_shift");
        assertThat(colors.test()).isEqualTo(StatTest.PSI);
        assertThat(colors.statistic()).isCloseTo(scipy("colors_shift", "psi", "statistic"), within(1e-12));
        assertThat(colors.tests().keySet()).containsExactly(StatTest.PSI, StatTest.CHISQUARE); // ks needs numbers
        ColumnDrift logn = r.columns().get("lognormal_3000_vs_2500");
        assertThat(logn.tests().get(StatTest.KS).pValue()).isCloseTo(scipy("lognormal_3000_vs_2500", "ks", "p_value"), within(1e-15));
        assertThat(logn.tests()).containsKey(StatTest.CHISQUARE); // chisquare on a numeric column: its values as categories
    }

    @Test
    void numericColumnDeclaredCategorical_usesCategories() {
        Table ref = Table.of(LongColumn.of("season", 1, 1, 2, 2, 3, 3, 4, 4));
        Table cur = Table.of(LongColumn.of("season", 1, 2, 2, 2, 3, 4, 4, 4));
        DriftReport r = DriftDetector.builder().categorical("season").build().compare(ref, cur);
        assertThat(r.columns().get("season").kind()).isEqualTo(ColumnKind.CATEGORICAL);
        assertThat(r.columns().get("season").test()).isEqualTo(StatTest.CHISQUARE);
        // expected 2,2,2,2 vs observed 1,3,1,3: chi2 = 4 * 0.5 = 2 on 3 df; sf = 0.5724067044708798 (scipy.stats.chi2.sf(2, 3))
        assertThat(r.columns().get("season").statistic()).isCloseTo(2.0, within(1e-12));
        assertThat(r.columns().get("season").pValue()).isCloseTo(0.5724067044708798, within(1e-12));
    }

    @Test
    void badInput_givesPreciseErrorsOrDefinedResults() {
        DriftDetector d = DriftDetector.builder().build();
        Table ref = Table.of(DoubleColumn.of("x", 1, 2, 3), StringColumn.of("s", "a", "b", "a"));
        // empty current table
        assertThatThrownBy(() -> d.compare(ref, ref.head(0))).isInstanceOf(DriftInputException.class)
                .hasMessageContaining("current table has 0 rows");
        // all-null column
        Table allNull = Table.of(DoubleColumn.ofBoxed("x", null, null), StringColumn.of("s", "a", "b"));
        assertThatThrownBy(() -> d.compare(ref, allNull)).isInstanceOf(DriftInputException.class)
                .hasMessageContaining("'x'").hasMessageContaining("current side has no values (2 null/NaN cells");
        // an infinity
        Table inf = Table.of(DoubleColumn.of("x", 1, Double.POSITIVE_INFINITY), StringColumn.of("s", "a", "b"));
        assertThatThrownBy(() -> d.compare(ref, inf)).isInstanceOf(DriftInputException.class)
                .hasMessageContaining("current row 1 holds Infinity").hasMessageContaining("Fix:");
        // NaN is missing: dropped and counted
        Table nan = Table.of(DoubleColumn.of("x", 1, Double.NaN, 2.5), StringColumn.of("s", "a", "b", null));
        DriftReport r = d.compare(ref, nan);
        assertThat(r.columns().get("x").currentMissing()).isEqualTo(1);
        assertThat(r.columns().get("s").currentMissing()).isEqualTo(1);
        // missing column and type mismatch
        assertThatThrownBy(() -> d.compare(ref, Table.of(DoubleColumn.of("x", 1, 2))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'s'").hasMessageContaining("missing");
        assertThatThrownBy(() -> d.compare(ref, Table.of(StringColumn.of("x", "1"), StringColumn.of("s", "a"))))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'x'").hasMessageContaining("STRING");
        // a test that does not fit the column
        assertThatThrownBy(() -> DriftDetector.builder().test("s", StatTest.KS).build().compare(ref, ref))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'s'").hasMessageContaining("needs a numeric column");
        assertThatThrownBy(() -> StatTest.Z.test(List.of("a", "b"), List.of("c")))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("at most 2 categories, found 3");
        assertThatThrownBy(() -> DriftDetector.builder().threshold("x", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1.0");
        assertThatThrownBy(() -> StatTest.of("kss")).hasMessageContaining("known: [ks, wasserstein");
    }

    @Test
    void categoricalColumnWith100kDistinctValues_isCountedNotRefused() {
        String[] ref = new String[100_000];
        String[] cur = new String[100_000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = "r" + i;
            cur[i] = "r" + (i / 2);
        }
        DriftReport r = DriftDetector.builder().alsoRun(List.of(StatTest.CHISQUARE))
                .build().compare(Table.of(StringColumn.of("id", ref)), Table.of(StringColumn.of("id", cur)));
        ColumnDrift c = r.columns().get("id");
        // observed 2 on half the categories and 0 on the other half, expected 1 everywhere: chi2 = 100000 on 99999 df.
        // scipy.stats.chi2.sf(100000, 99999) = 0.49851322909373935; jensenshannon (scipy) = 0.46450140402245893
        assertThat(c.test()).isEqualTo(StatTest.JENSENSHANNON);
        assertThat(c.statistic()).isCloseTo(0.46450140402245893, within(1e-12));
        assertThat(c.tests().get(StatTest.CHISQUARE).statistic()).isCloseTo(100_000, within(1e-6));
        assertThat(c.tests().get(StatTest.CHISQUARE).pValue()).isCloseTo(0.49851322909373935, within(1e-9));
    }

    @Test
    void empiricalMmd_permutationPValue_isSeededAndSeparatesShiftFromNoShift() {
        JsonNode shifted = fixture("strong_shift_tiny_p_500");
        JsonNode same = fixture("same_distribution_300_vs_300");
        StatResult s1 = StatTest.EMPIRICAL_MMD.test(Fixtures.doubles(shifted.get("reference")), Fixtures.doubles(shifted.get("current")));
        StatResult s2 = StatTest.EMPIRICAL_MMD.test(Fixtures.doubles(shifted.get("reference")), Fixtures.doubles(shifted.get("current")));
        assertThat(s2).isEqualTo(s1);                   // seeded: the same p every time
        assertThat(s1.pValue()).isEqualTo(1.0 / 201);   // no permutation reaches a shift of one standard deviation
        StatResult none = StatTest.EMPIRICAL_MMD.test(Fixtures.doubles(same.get("reference")), Fixtures.doubles(same.get("current")));
        assertThat(none.pValue()).isGreaterThan(0.05);  // ks (scipy) agrees: p = 0.396 for this pair
        assertThat(same.get("tests").get("ks").get("p_value").asDouble()).isGreaterThan(0.05);
    }

    @Test
    void constantAndOneRowColumns_haveDefinedResults() {
        // scipy: ks_2samp on two equal constants gives D = 0, p = 1; on different constants D = 1
        assertThat(StatTest.KS.test(new double[] {5, 5, 5}, new double[] {5, 5})).isEqualTo(new StatResult(StatTest.KS, 0, 1));
        assertThat(StatTest.WASSERSTEIN.test(new double[] {5, 5}, new double[] {6}).statistic()).isCloseTo(1 / 0.001, within(1e-9));
        // t-test on one current value is undefined (scipy: NaN) and never drifts
        StatResult t = StatTest.T_TEST.test(new double[] {1, 2, 3}, new double[] {2});
        assertThat(t.statistic()).isNaN();
        assertThat(t.pValue()).isNaN();
        // scipy refuses these: anderson_ksamp on one distinct value, cramervonmises_2samp on one observation
        assertThatThrownBy(() -> StatTest.ANDERSON.test(new double[] {5, 5}, new double[] {5}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("more than one distinct value");
        assertThatThrownBy(() -> StatTest.CRAMER_VON_MISES.test(new double[] {1, 2}, new double[] {5}))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("2 (reference) and 1 (current)");
        // ...and an all-tests run leaves them out of such a column instead of failing
        DriftReport all = DriftDetector.builder().alsoRunAll().test("c", StatTest.KS).build()
                .compare(Table.of(DoubleColumn.of("c", 5, 5, 5)), Table.of(DoubleColumn.of("c", 5)));
        assertThat(all.columns().get("c").tests()).doesNotContainKeys(StatTest.ANDERSON, StatTest.CRAMER_VON_MISES)
                .containsKeys(StatTest.KS, StatTest.T_TEST, StatTest.PSI);
        JsonNode one = fixture("one_row_current");
        StatResult ks = StatTest.KS.test(Fixtures.doubles(one.get("reference")), Fixtures.doubles(one.get("current")));
        assertThat(ks.pValue()).isCloseTo(one.get("tests").get("ks").get("p_value").asDouble(), within(1e-15));
    }

    @Test
    void parallelExecutor_reportsProgressForEveryColumn_andGivesTheSameReport() throws Exception {
        String[] names = {"normal_200_vs_150_shifted", "same_distribution_300_vs_300", "ties_integers_500_vs_400",
            "five_values_80_vs_60", "strong_shift_tiny_p_500", "lognormal_3000_vs_2500", "sturges_power_of_two_600_plus_424",
            "binary_01_400_vs_300", "colors_shift", "colors_same", "binary_yes_no"};
        Table[] t = tables(names);
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        List<Integer> totals = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            DriftReport parallel = DriftDetector.builder().executor(pool).alsoRunAll().listener(new DriftListener() {
                @Override
                public void started(int columns) {
                    totals.add(columns);
                }

                @Override
                public void columnDone(ColumnDrift result, int d, int total) {
                    done.add(d);
                    totals.add(total);
                }
            }).build().compare(t[0], t[1]);
            DriftReport serial = DriftDetector.builder().executor(Runnable::run).alsoRunAll().build().compare(t[0], t[1]);
            assertThat(parallel).isEqualTo(serial);
            assertThat(parallel.columns().keySet()).containsExactly(names);
        } finally {
            pool.shutdown();
        }
        assertThat(done).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(totals).containsOnly(11);
    }
}
