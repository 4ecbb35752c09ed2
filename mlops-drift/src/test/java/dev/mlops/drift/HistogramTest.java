package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

/** Precomputed bins against the scipy/numpy fixtures and numpy's counting rule. */
class HistogramTest {

    @Test
    void sturgesBins_onUnsortedData_giveNumpysShareDistances() {
        for (String name : new String[] {"lognormal_3000_vs_2500", "sturges_power_of_two_600_plus_424", "asymp_10000_vs_10001"}) {
            JsonNode c = DriftDetectorTest.fixture(name);
            double[] ref = Fixtures.doubles(c.get("reference"));
            double[] cur = Fixtures.doubles(c.get("current"));
            Histogram h = Histogram.sturges(ref, cur);
            double[] r = h.shares(ref);
            double[] s = h.shares(cur);
            for (StatTest t : new StatTest[] {StatTest.PSI, StatTest.KL_DIV, StatTest.JENSENSHANNON, StatTest.HELLINGER, StatTest.TVD}) {
                double expected = c.get("tests").get(t.id()).get("statistic").asDouble();
                assertThat(t.distance(r, s)).as(name + " " + t.id()).isCloseTo(expected, within(1e-9 * expected + 1e-12));
            }
        }
    }

    @Test
    void shares_countLikeNumpyHistogram() {
        // np.histogram([0, 0.5, 1, 1.5, 2, 2, 3, -1, nan], [0, 1, 2]) -> counts [2, 4]; 8 non-NaN values
        Histogram h = Histogram.of(0, 1, 2);
        assertThat(h.shares(new double[] {0, 0.5, 1, 1.5, 2, 2, 3, -1, Double.NaN})).containsExactly(2 / 8.0, 4 / 8.0);
        Histogram uneven = Histogram.of(0, 1, 10);
        assertThat(uneven.shares(new double[] {0, 1, 9.99, 10})).containsExactly(0.25, 0.75);
        assertThatThrownBy(() -> Histogram.of(0, 0)).hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> StatTest.KS.distance(new double[1], new double[1])).isInstanceOf(IllegalStateException.class);
    }
}
