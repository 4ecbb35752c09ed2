package dev.mlops.drift;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link DomainClassifierDriftDetector} on the numpy-drawn correlation flip of {@code fixtures/multivariate/pca.json}
 * (univariate tests miss it, see {@link PcaDriftDetectorTest}) and on mixed numeric/categorical tables; the
 * AUC against a brute-force count over all positive-negative pairs.
 */
class DomainClassifierDriftDetectorTest {

    private static Table fixtureTable(JsonNode c, String side) {
        Schema.Builder s = Schema.builder();
        c.get("columns").forEach(n -> s.add(n.asText(), ColumnType.DOUBLE));
        TableBuilder b = Table.builder(s.build());
        for (JsonNode r : c.get(side)) {
            Object[] v = new Object[r.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = r.get(j).asDouble();
            }
            b.addRow(v);
        }
        return b.build();
    }

    private static JsonNode fixture(String name) {
        for (JsonNode c : Fixtures.load("multivariate/pca.json").get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new IllegalStateException(name);
    }

    @Test
    void aCorrelationFlipIsFound() {
        JsonNode c = fixture("correlation_flip");
        DomainClassifierResult r = DomainClassifierDriftDetector.builder().build()
                .compare(fixtureTable(c, "reference"), fixtureTable(c, "current"));
        assertThat(r.drift()).isTrue();
        assertThat(r.pValue()).isEqualTo(1.0 / 20);
        assertThat(r.auc()).isGreaterThan(0.7).isGreaterThan(r.threshold());
        assertThat(r.features()).isEqualTo(4 + 10);
    }

    @Test
    void theSameDistributionIsNoDrift() {
        JsonNode c = fixture("same_distribution");
        DomainClassifierResult r = DomainClassifierDriftDetector.builder().build()
                .compare(fixtureTable(c, "reference"), fixtureTable(c, "current"));
        assertThat(r.drift()).isFalse();
        assertThat(r.auc()).isLessThan(0.6);
    }

    private static Table mixed(int n, double shareA, long seed) {
        Schema s = Schema.builder().add("x", ColumnType.DOUBLE).add("c", ColumnType.STRING).add("k", ColumnType.LONG).build();
        TableBuilder b = Table.builder(s);
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            b.addRow(rnd.nextGaussian(), rnd.nextDouble() < shareA ? "a" : "b", (long) rnd.nextInt(3));
        }
        return b.build();
    }

    @Test
    void mixedColumnsWithOneHotCategories() {
        DomainClassifierDriftDetector d = DomainClassifierDriftDetector.builder().categorical("k").build();
        DomainClassifierResult shifted = d.compare(mixed(300, 0.5, 1), mixed(300, 0.8, 2));
        assertThat(shifted.drift()).isTrue();
        assertThat(shifted.features()).isEqualTo(1 + 1 + 2 + 3);   // x, x*x, c=a|b, k=0|1|2
        DomainClassifierResult same = d.compare(mixed(300, 0.5, 3), mixed(300, 0.5, 4));
        assertThat(same.drift()).isFalse();
    }

    @Test
    void seededResultsRepeat() {
        DomainClassifierDriftDetector d = DomainClassifierDriftDetector.builder().permutations(5).seed(3).build();
        Table a = mixed(100, 0.5, 5);
        Table b = mixed(100, 0.6, 6);
        assertThat(d.compare(a, b)).isEqualTo(d.compare(a, b));
    }

    @Test
    void rocAucMatchesABruteForcePairCount() {
        Random rnd = new Random(11);
        for (int t = 0; t < 20; t++) {
            int n = 5 + rnd.nextInt(60);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(8);              // many ties
                y[i] = i < 2 ? i == 0 : rnd.nextBoolean();
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] && !y[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            assertThat(DomainClassifierDriftDetector.rocAuc(s, y)).isCloseTo(wins / pairs, within(1e-12));
        }
    }

    @Test
    void badInputFailsPrecisely() {
        Table a = mixed(50, 0.5, 1);
        assertThatThrownBy(() -> DomainClassifierDriftDetector.builder().build().compare(a, a.head(3)))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("current table has 3 rows");
        assertThatThrownBy(() -> DomainClassifierDriftDetector.builder().build().compare(a, a.select("x", "c")))
                .isInstanceOf(DriftInputException.class).hasMessageContaining("'k'").hasMessageContaining("missing");
        assertThatThrownBy(() -> DomainClassifierDriftDetector.rocAuc(new double[] {1, 2}, new boolean[] {true, true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
        assertThatThrownBy(() -> DomainClassifierDriftDetector.builder().folds(1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("folds");
    }
}
