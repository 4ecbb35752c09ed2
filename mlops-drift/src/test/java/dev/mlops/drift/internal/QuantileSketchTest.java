package dev.mlops.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sketch's rank-error guarantee, checked by brute force: for every distinct value {@code x} of the data (and
 * points between), the pseudo-reference's count of values {@code <= x} and {@code < x} is within
 * {@link QuantileSketch#rankErrorBound()} of the true count, which binary search on the fully sorted data gives.
 * The bound itself stays under the documented {@code (n / k)(log2(n / k) + 1) + 2}.
 */
class QuantileSketchTest {

    private static final int N = 120_000;

    private static double[] data(String kind, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DoubleSupplier g = switch (kind) {
            case "normal" -> () -> gaussian(r);
            case "lognormal" -> () -> Math.exp(2 * gaussian(r));
            case "ties" -> () -> Math.floor(Math.abs(gaussian(r)) * 40);   // ~120 distinct integers, heavy ties
            case "mixture" -> () -> r.nextDouble() < 0.3 ? 5.0 : r.nextDouble() * 10; // 30% point mass
            default -> throw new IllegalArgumentException(kind);
        };
        double[] x = new double[N];
        for (int i = 0; i < N; i++) {
            x[i] = g.getAsDouble();
        }
        return x;
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    private static double[] sorted(double[] x, int from, int to) {
        double[] s = Arrays.copyOfRange(x, from, to);
        Arrays.sort(s);
        return s;
    }

    /** Brute force: the largest deviation of the pseudo-reference's counts from the truth, over every data value. */
    private static long maxRankDeviation(double[] truthSorted, double[] expanded) {
        long worst = 0;
        for (int i = 0; i < truthSorted.length; i++) {
            if (i > 0 && truthSorted[i] == truthSorted[i - 1]) {
                continue;
            }
            double x = truthSorted[i];
            double between = i + 1 < truthSorted.length ? (x + truthSorted[i + 1]) / 2 : x + 1;
            for (double q : new double[] {x, between}) {
                worst = Math.max(worst, Math.abs(upper(truthSorted, q) - upper(expanded, q)));
                worst = Math.max(worst, Math.abs(lower(truthSorted, q) - lower(expanded, q)));
            }
        }
        return worst;
    }

    /** Count of values <= q. */
    private static long upper(double[] a, double q) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Count of values < q. */
    private static long lower(double[] a, double q) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < q) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double documentedBound(long n, int k) {
        return (double) n / k * (Math.log((double) n / k) / Math.log(2) + 1) + 2;
    }

    @Test
    @DisplayName("one sorted chunk, many small chunks, merged partitions: counts within the tracked bound")
    void rankError_staysWithinTheTrackedBound() {
        int k = 128;
        for (String kind : new String[] {"normal", "lognormal", "ties", "mixture"}) {
            double[] x = data(kind, kind.hashCode());
            double[] truth = sorted(x, 0, x.length);

            QuantileSketch whole = new QuantileSketch(k);
            whole.addSorted(truth, 0, truth.length);

            QuantileSketch chunks = new QuantileSketch(k);
            for (int from = 0; from < x.length; from += 997) {
                double[] c = sorted(x, from, Math.min(x.length, from + 997));
                chunks.addSorted(c, 0, c.length);
            }

            QuantileSketch merged = null;
            for (int p = 0; p < 6; p++) {
                double[] part = sorted(x, p * N / 6, (p + 1) * N / 6);
                QuantileSketch s = new QuantileSketch(k);
                s.addSorted(part, 0, part.length);
                merged = merged == null ? s : merged.merge(s);
            }

            for (QuantileSketch s : new QuantileSketch[] {whole, chunks, merged}) {
                assertThat(s.isExact()).isFalse();
                assertThat(s.count()).isEqualTo(N);
                assertThat(s.min()).isEqualTo(truth[0]);
                assertThat(s.max()).isEqualTo(truth[N - 1]);
                assertThat(s.std()).isCloseTo(Univariate.std(truth), within(1e-12 * Univariate.std(truth)));
                double[] expanded = s.expand("x");
                assertThat(expanded).hasSize(N);
                for (int i = 1; i < N; i++) {
                    assertThat(expanded[i]).isGreaterThanOrEqualTo(expanded[i - 1]);
                }
                long bound = s.rankErrorBound();
                assertThat(bound).as("%s: a sketch of %d values in %d-value levels compacted", kind, N, k).isPositive();
                assertThat((double) bound).as("%s: documented worst case", kind).isLessThanOrEqualTo(documentedBound(N, k));
                assertThat(maxRankDeviation(truth, expanded)).as("%s: brute-force rank error vs bound %d", kind, bound)
                        .isLessThanOrEqualTo(bound);
            }
            // a sorted chunk is halved as one buffer: far less error than the streaming worst case
            assertThat(whole.rankErrorBound()).isLessThan(2L * N / k + 3);
        }
    }

    @Test
    void size_growsWithLogN_notN() {
        int k = 256;
        SplittableRandom r = new SplittableRandom(7);
        QuantileSketch s = new QuantileSketch(k);
        int n = 0;
        for (int chunk = 0; chunk < 200; chunk++) {
            double[] c = new double[10_000];
            for (int i = 0; i < c.length; i++) {
                c[i] = gaussian(r);
            }
            Arrays.sort(c);
            s.addSorted(c, 0, c.length);
            n += c.length;
            int levels = (int) Math.ceil(Math.log((double) n / k) / Math.log(2)) + 2;
            assertThat(s.retained()).as("after %d values", n).isLessThanOrEqualTo(k * levels);
        }
        assertThat(s.count()).isEqualTo(2_000_000);
        assertThat(s.retained()).isLessThan(2_000_000 / 100);

        // many chunks of odd length leave a value behind at every level they pass: those must be compacted too
        QuantileSketch odd = new QuantileSketch(16);
        for (int chunk = 0; chunk < 3_000; chunk++) {
            double[] c = new double[33];
            for (int i = 0; i < c.length; i++) {
                c[i] = gaussian(r);
            }
            Arrays.sort(c);
            odd.addSorted(c, 0, c.length);
        }
        int levels = (int) Math.ceil(Math.log(99_000.0 / 16) / Math.log(2)) + 2;
        assertThat(odd.retained()).isLessThanOrEqualTo(16 * levels);
    }

    @Test
    void fewDistinctValues_areKeptExactly() {
        SplittableRandom r = new SplittableRandom(3);
        double[] x = new double[50_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(20) * 0.5;
        }
        QuantileSketch a = new QuantileSketch(16);
        QuantileSketch b = new QuantileSketch(16);
        double[] left = sorted(x, 0, 20_000);
        double[] right = sorted(x, 20_000, x.length);
        a.addSorted(left, 0, left.length);
        b.addSorted(right, 0, right.length);
        QuantileSketch m = a.merge(b);
        assertThat(m.isExact()).isTrue();
        assertThat(m.rankErrorBound()).isZero();
        assertThat(m.expand("x")).containsExactly(sorted(x, 0, x.length));

        // the 21st distinct value ends exact mode
        QuantileSketch c = new QuantileSketch(16);
        c.addSorted(new double[] {99.0}, 0, 1);
        QuantileSketch d = m.merge(c);
        assertThat(d.isExact()).isFalse();
        assertThat(d.count()).isEqualTo(50_001);
        assertThat(d.max()).isEqualTo(99.0);
    }

    @Test
    void writeAndRead_roundTrip() throws IOException {
        double[] x = sorted(data("lognormal", 11), 0, N);
        QuantileSketch s = new QuantileSketch(64);
        s.addSorted(x, 0, x.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.write(new DataOutputStream(bytes));
        QuantileSketch back = QuantileSketch.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back.expand("x")).containsExactly(s.expand("x"));
        assertThat(back.rankErrorBound()).isEqualTo(s.rankErrorBound());
        assertThat(back.std()).isEqualTo(s.std());
        assertThat(bytes.size()).isLessThan(N * 8 / 20);
    }
}
