package dev.mlops.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.table.DoubleColumn;
import dev.mlops.drift.ColumnKind;
import dev.mlops.drift.DriftInputException;
import dev.mlops.drift.StatTest;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A check against a sketched profile no longer expands the sketch to n values: ks, wasserstein, the Sturges shares
 * and the value counts are merged from the sketch's runs and the sorted current column. Every figure here is checked
 * against a brute-force computation written in this test: (1) on the expanded pseudo-reference
 * ({@link QuantileSketch#expand}), which the runs must reproduce to rounding, and (2) on the true reference data,
 * which the sketch must stay within the documented bound of ({@code ks}: e / n; {@code wasserstein}:
 * (e / n)(max - min) / std; each bin share: 2e / n).
 */
class SketchCheckTest {

    private static final int N = 60_000;
    private static final int M = 25_000;

    private static double[] data(String kind, int n, long seed, double shift) {
        SplittableRandom r = new SplittableRandom(seed);
        DoubleSupplier g = switch (kind) {
            case "normal" -> () -> gaussian(r) + shift;
            case "lognormal" -> () -> Math.exp(1.5 * gaussian(r)) + shift;
            case "ties" -> () -> Math.floor(Math.abs(gaussian(r)) * 40 + shift);
            case "mixture" -> () -> r.nextDouble() < 0.3 ? 5.0 : r.nextDouble() * 10 + shift;
            case "signed-zeros" -> () -> r.nextInt(6) == 0 ? -0.0 : r.nextInt(5) + shift; // exact mode, -0.0 and 0.0
            default -> throw new IllegalArgumentException(kind);
        };
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.getAsDouble();
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    /** Brute force: count of values <= x in a sorted array, by linear scan from a binary-search-free walk. */
    private static long countLeq(double[] sorted, double x) {
        long c = 0;
        for (double v : sorted) {
            if (v <= x) {
                c++;
            } else {
                break;
            }
        }
        return c;
    }

    /** Brute-force KS: the largest |F_ref(x) - F_cur(x)| over every value x of either sample. */
    private static double ks(double[] ref, double[] cur) {
        double[] all = new double[ref.length + cur.length];
        System.arraycopy(ref, 0, all, 0, ref.length);
        System.arraycopy(cur, 0, all, ref.length, cur.length);
        Arrays.sort(all);
        double d = 0;
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length; k++) {
            double x = all[k];
            while (i < ref.length && ref[i] <= x) {
                i++;
            }
            while (j < cur.length && cur[j] <= x) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / ref.length - (double) j / cur.length));
        }
        return d;
    }

    /** Brute-force W1: the integral of |F_ref - F_cur| between consecutive points of the pooled sample. */
    private static double wasserstein(double[] ref, double[] cur) {
        double[] all = new double[ref.length + cur.length];
        System.arraycopy(ref, 0, all, 0, ref.length);
        System.arraycopy(cur, 0, all, ref.length, cur.length);
        Arrays.sort(all);
        double w = 0;
        int i = 0;
        int j = 0;
        for (int k = 0; k + 1 < all.length; k++) {
            while (i < ref.length && ref[i] <= all[k]) {
                i++;
            }
            while (j < cur.length && cur[j] <= all[k]) {
                j++;
            }
            w += Math.abs((double) i / ref.length - (double) j / cur.length) * (all[k + 1] - all[k]);
        }
        return w;
    }

    private static double std(double[] x) {
        double m = Arrays.stream(x).sum() / x.length;
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / x.length);
    }

    /** numpy's Sturges edges and histogram, written out: bins [e_i, e_i+1), the last closed. */
    private static double[] shares(double[] sorted, double lo, double hi, long pooled) {
        int bins = (int) Math.ceil((hi - lo) / ((hi - lo) / (Math.log(pooled) / Math.log(2) + 1)));
        double[] out = new double[bins];
        double step = (hi - lo) / bins;
        for (double v : sorted) {
            int b = Math.min(bins - 1, (int) Math.floor((v - lo) / step));
            while (b > 0 && v < b * step + lo) {
                b--;
            }
            while (b < bins - 1 && v >= (b + 1) * step + lo) {
                b++;
            }
            out[b]++;
        }
        for (int b = 0; b < bins; b++) {
            out[b] /= sorted.length;
        }
        return out;
    }

    private static QuantileSketch sketch(double[] ref, int k, int chunk) {
        QuantileSketch s = new QuantileSketch(k);
        for (int from = 0; from < ref.length; from += chunk) {
            double[] part = sorted(Arrays.copyOfRange(ref, from, Math.min(ref.length, from + chunk)));
            s.addSorted(part, 0, part.length);
        }
        return s;
    }

    private static Samples fromSketch(String name, QuantileSketch s, double[] cur) {
        return Samples.fromProfile(new ColumnProfile(name, ColumnKind.NUMERIC, null, null, s, 0), DoubleColumn.of(name, cur));
    }

    @Test
    @DisplayName("the runs are the expanded pseudo-reference, value for value")
    void runs_countTheExpansion() {
        for (String kind : new String[] {"normal", "lognormal", "ties", "mixture", "signed-zeros"}) {
            double[] ref = data(kind, N, 7, 0);
            QuantileSketch s = sketch(ref, 64, 7_000);
            double[] expanded = s.expand(kind);
            QuantileSketch.Runs runs = s.runs();
            assertThat(runs.count()).isEqualTo(N);
            assertThat(runs.values().length).as(kind).isLessThanOrEqualTo(s.retained() + 2);
            for (int i = 0; i < runs.values().length; i++) {
                assertThat(runs.cumulative()[i]).as("%s run %d", kind, i).isEqualTo(countLeq(expanded, runs.values()[i]));
                if (i > 0) {
                    assertThat(runs.values()[i]).isGreaterThan(runs.values()[i - 1]);
                }
            }
            assertThat(runs.values()[0]).isEqualTo(expanded[0]);
            assertThat(runs.values()[runs.values().length - 1]).isEqualTo(expanded[N - 1]);
        }
    }

    @Test
    @DisplayName("ks, wasserstein and shares from the runs equal brute force on the expansion and stay within the bound of the exact data")
    void profileBasedCheck_equalsBruteForce_andTheExactCheckWithinTheBound() {
        for (String kind : new String[] {"normal", "lognormal", "ties", "mixture"}) {
            double[] ref = data(kind, N, 11, 0);
            double[] cur = sorted(data(kind, M, 12, 0.2));
            QuantileSketch s = sketch(ref, 64, 6_000);
            assertThat(s.isExact()).as(kind).isFalse();
            double[] expanded = s.expand(kind);
            double[] truth = sorted(ref);
            long e = s.rankErrorBound();
            assertThat(e).isPositive();
            Samples samples = fromSketch(kind, s, cur);

            double d = samples.run(StatTest.KS).statistic();
            assertThat(d).as("%s ks vs brute force on the expansion", kind).isCloseTo(ks(expanded, cur), org.assertj.core.data.Offset.offset(1e-15));
            assertThat(Math.abs(d - ks(truth, cur))).as("%s ks vs exact", kind).isLessThanOrEqualTo((double) e / N + 1e-15);
            // the p-value is scipy's function of D, n and m (kstwo.sf for n > 10,000), fixture-tested in StatTestFixturesTest
            assertThat(samples.run(StatTest.KS).pValue()).isEqualTo(KsTwoSample.test(expanded, cur)[1]);

            double std = std(truth);
            double w = samples.run(StatTest.WASSERSTEIN).statistic();
            assertThat(w).as("%s wasserstein vs brute force on the expansion", kind)
                    .isCloseTo(wasserstein(expanded, cur) / Math.max(std, 0.001), org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, w)));
            double range = truth[N - 1] - truth[0];
            assertThat(Math.abs(w - wasserstein(truth, cur) / Math.max(std, 0.001))).as("%s wasserstein vs exact", kind)
                    .isLessThanOrEqualTo((double) e / N * range / Math.max(std, 0.001) + 1e-9);

            double lo = Math.min(truth[0], cur[0]);
            double hi = Math.max(truth[N - 1], cur[M - 1]);
            double[] viaExpansion = shares(expanded, lo, hi, (long) N + M);
            double[] exact = shares(truth, lo, hi, (long) N + M);
            var hist = samples.histogram();
            assertThat(hist.reference()).hasSize(exact.length);
            for (int b = 0; b < exact.length; b++) {
                assertThat(hist.reference().get(b)).as("%s bin %d vs expansion", kind, b).isCloseTo(viaExpansion[b], org.assertj.core.data.Offset.offset(1e-15));
                assertThat(Math.abs(hist.reference().get(b) - exact[b])).as("%s bin %d vs exact", kind, b)
                        .isLessThanOrEqualTo(2.0 * e / N + 1e-15);
            }
            double[] curShares = shares(cur, lo, hi, (long) N + M);
            double psi = 0;
            for (int b = 0; b < exact.length; b++) {
                double r = viaExpansion[b] == 0 ? 0.0001 : viaExpansion[b];
                double c = curShares[b] == 0 ? 0.0001 : curShares[b];
                psi += (r - c) * Math.log(r / c);
            }
            assertThat(samples.run(StatTest.PSI).statistic()).as("%s psi", kind).isCloseTo(psi, org.assertj.core.data.Offset.offset(1e-12));

            // unchanged from the earlier check, which expanded the sketch and ran Univariate on it: the same doubles
            assertThat(w).isEqualTo(Univariate.wasserstein(expanded, cur) / Math.max(s.std(), 0.001));
            double[] oldEdges = Univariate.sturgesEdges(expanded, cur);
            double[] oldShares = Univariate.histogram(expanded, oldEdges);
            for (int b = 0; b < oldShares.length; b++) {
                assertThat(hist.reference().get(b)).as("%s bin %d as before", kind, b).isEqualTo(oldShares[b]);
            }

            // per-value counts do not survive sketching: chisquare is not run, and asked for, refused precisely
            assertThat(samples.applies(StatTest.CHISQUARE)).isFalse();
            assertThat(samples.applies(StatTest.G_TEST)).isFalse();
            assertThatThrownBy(() -> samples.run(StatTest.CHISQUARE)).isInstanceOf(DriftInputException.class)
                    .hasMessageContaining(kind).hasMessageContaining("quantile sketch").hasMessageContaining("ks");
            // the automatic choice's capped distinct count agrees with the full one (brute force: distinct of the union)
            double[] union = new double[expanded.length + cur.length];
            System.arraycopy(expanded, 0, union, 0, expanded.length);
            System.arraycopy(cur, 0, union, expanded.length, cur.length);
            long distinct = Arrays.stream(union).distinct().count();
            assertThat(samples.distinctUnion()).isEqualTo((int) distinct);
            for (int cap : new int[] {1, 3, 6, 1_000_000}) {
                assertThat(samples.distinctUnionAtMost(cap)).isEqualTo((int) Math.min(cap, distinct));
            }
            // NaN in the current column: missing, and the rest gives the same results (the column is filtered in place
            // in the check's own copy; the table's column is unchanged)
            double[] withNaN = cur.clone();
            double[] expectedRest = new double[M - M / 10];
            int kept = 0;
            for (int i = 0; i < M; i++) {
                if (i % 10 == 3) {
                    withNaN[i] = Double.NaN;
                } else {
                    expectedRest[kept++] = cur[i];
                }
            }
            DoubleColumn nanColumn = DoubleColumn.of(kind, withNaN);
            Samples withMissing = Samples.fromProfile(new ColumnProfile(kind, ColumnKind.NUMERIC, null, null, s, 0), nanColumn);
            assertThat(withMissing.currentMissing()).isEqualTo(M / 10);
            assertThat(withMissing.run(StatTest.KS)).isEqualTo(fromSketch(kind, s, expectedRest).run(StatTest.KS));
            assertThat(Double.isNaN(nanColumn.get(3))).isTrue();
            assertThat(nanColumn.get(4)).isEqualTo(cur[4]);

            // a test without a runs path still runs, on the expansion
            assertThat(samples.run(StatTest.MANNW)).isEqualTo(Samples.numeric(kind, expanded, cur).run(StatTest.MANNW));
        }
    }

    @Test
    @DisplayName("a sketch in exact mode (<= 20 values, -0.0 beside 0.0) gives the exact check's results, chisquare included")
    void exactModeSketch_givesTheExactResults() {
        double[] ref = data("signed-zeros", N, 21, 0);
        double[] cur = data("signed-zeros", M, 22, 0);
        for (int i = 0; i < M; i += 3) {
            cur[i] = 7; // a value absent from the reference
        }
        QuantileSketch s = sketch(ref, 64, 9_000);
        assertThat(s.isExact()).isTrue();
        Samples viaRuns = fromSketch("z", s, cur);
        Samples exact = Samples.numeric("z", ref, cur);
        for (StatTest t : new StatTest[] {StatTest.KS, StatTest.WASSERSTEIN, StatTest.PSI, StatTest.JENSENSHANNON,
            StatTest.CHISQUARE, StatTest.G_TEST}) {
            assertThat(viaRuns.applies(t)).isTrue();
            assertThat(viaRuns.run(t)).as(t.id()).isEqualTo(exact.run(t));
        }
        assertThat(viaRuns.distinctUnion()).isEqualTo(exact.distinctUnion()).isEqualTo(6); // -0.0 == 0.0, 1..4, 7
        assertThat(viaRuns.histogram()).isEqualTo(exact.histogram());
    }
}
