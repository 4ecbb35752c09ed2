package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DdmTest {

    /**
     * DDM (Gama et al. 2004) from its definition, recomputed from scratch at every value: p_i and s_i
     * from the error count of the segment, (p_min, s_min) re-found by scanning every i' in
     * (warmStart, i] for the latest smallest p_i' + s_i', then the warning and drift conditions. A drift
     * ends the segment.
     */
    static List<DetectorState> reference(double[] x, int warmStart, double warning, double drift) {
        List<DetectorState> states = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < x.length; i++) {
            double bestPs = Double.POSITIVE_INFINITY;
            double pMin = Double.NaN;
            double sMin = Double.NaN;
            double p = 0;
            double s = 0;
            for (int j = start; j <= i; j++) {
                int n = j - start + 1;
                int errors = 0;
                for (int k = start; k <= j; k++) {
                    errors += (int) x[k];
                }
                p = (double) errors / n;
                s = Math.sqrt(p * (1 - p) / n);
                if (n > warmStart && p + s <= bestPs) {
                    bestPs = p + s;
                    pMin = p;
                    sMin = s;
                }
            }
            DetectorState state = DetectorState.STABLE;
            if (i - start + 1 > warmStart) {
                if (p + s > pMin + drift * sMin) {
                    state = DetectorState.DRIFT;
                } else if (p + s > pMin + warning * sMin) {
                    state = DetectorState.WARNING;
                }
            }
            states.add(state);
            if (state == DetectorState.DRIFT) {
                start = i + 1;
            }
        }
        return states;
    }

    private static List<DetectorState> run(Ddm ddm, double[] x) {
        List<DetectorState> out = new ArrayList<>();
        for (double v : x) {
            DetectorState s = ddm.update(v);
            assertThat(ddm.state()).isEqualTo(s);
            assertThat(ddm.driftDetected()).isEqualTo(s == DetectorState.DRIFT);
            assertThat(ddm.warningDetected()).isEqualTo(s == DetectorState.WARNING);
            out.add(s);
        }
        return out;
    }

    @Test
    void everyStateEqualsTheDefinitionRecomputedNaively() {
        int drifts = 0;
        int warnings = 0;
        for (long seed = 1; seed <= 4; seed++) {
            double[] x = Streams.bernoulli(seed, 600, 300, 0.1, 0.4);
            List<DetectorState> expected = reference(x, 30, 2.0, 3.0);
            assertThat(run(Ddm.builder().build(), x)).as("seed %d", seed).isEqualTo(expected);
            double[] y = Streams.bernoulli(seed + 10, 600, 200, 0.3, 0.5);
            List<DetectorState> expectedY = reference(y, 10, 1.5, 2.5);
            assertThat(run(Ddm.builder().warmStart(10).warningThreshold(1.5).driftThreshold(2.5).build(), y))
                    .as("seed %d, other parameters", seed).isEqualTo(expectedY);
            for (List<DetectorState> l : List.of(expected, expectedY)) {
                drifts += (int) l.stream().filter(s -> s == DetectorState.DRIFT).count();
                warnings += (int) l.stream().filter(s -> s == DetectorState.WARNING).count();
            }
        }
        assertThat(drifts).as("drifts exercised").isGreaterThanOrEqualTo(8);
        assertThat(warnings).as("warnings exercised").isGreaterThanOrEqualTo(8);
    }

    @Test
    void allCorrectWarmStartMakesTheNextErrorADrift() {
        // a property of the published rule: p_min = s_min = 0 after 31 right predictions
        Ddm ddm = Ddm.builder().build();
        for (int i = 0; i < 31; i++) {
            assertThat(ddm.update(false)).isEqualTo(DetectorState.STABLE);
        }
        assertThat(ddm.minErrorRate()).isZero();
        assertThat(ddm.update(true)).isEqualTo(DetectorState.DRIFT);
        assertThat(ddm.update(true)).as("the next value starts over").isEqualTo(DetectorState.STABLE);
        assertThat(ddm.errorRate()).isEqualTo(1.0);
        assertThat(ddm.minErrorRate()).isNaN();
    }

    @Test
    void onlyZeroAndOneAreAccepted() {
        Ddm ddm = Ddm.builder().build();
        ddm.update(1.0);
        for (double bad : new double[] {0.5, -1, 2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> ddm.update(bad)).isInstanceOf(DataFormatException.class)
                    .hasMessageContaining("DDM stream:2").hasMessageContaining("0 (right prediction) or 1 (error)")
                    .hasMessageContaining(Double.toString(bad));
        }
        assertThat(ddm.count()).isEqualTo(1);
        assertThat(ddm.errorRate()).isEqualTo(1.0);
    }

    @Test
    void builderRejectsBadParametersNamingThem() {
        assertThatThrownBy(() -> Ddm.builder().warmStart(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warmStart");
        assertThatThrownBy(() -> Ddm.builder().warningThreshold(0)).hasMessageContaining("warningThreshold");
        assertThatThrownBy(() -> Ddm.builder().driftThreshold(Double.NaN)).hasMessageContaining("driftThreshold");
        assertThatThrownBy(() -> Ddm.builder().warningThreshold(3).driftThreshold(3).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("warningThreshold (3.0)").hasMessageContaining("driftThreshold (3.0)");
    }

    @Test
    void resetForgetsEverything() {
        double[] x = Streams.bernoulli(6, 2000, 1000, 0.1, 0.4);
        Ddm ddm = Ddm.builder().build();
        List<DetectorState> first = run(ddm, x);
        ddm.reset();
        assertThat(ddm.count()).isZero();
        assertThat(ddm.minErrorRate()).isNaN();
        assertThat(run(ddm, x)).isEqualTo(first);
    }
}
