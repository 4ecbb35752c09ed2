package dev.mlops.drift.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The radix sort gives exactly {@link Arrays#sort(double[])}'s order and bits (the reference here), -0.0 before 0.0. */
class DoubleSortTest {

    private static void assertSortsLikeArraysSort(double[] x, String what) {
        double[] expected = x.clone();
        Arrays.sort(expected);
        double[] actual = x.clone();
        DoubleSort.sort(actual);
        long[] e = Arrays.stream(expected).mapToLong(Double::doubleToRawLongBits).toArray();
        long[] a = Arrays.stream(actual).mapToLong(Double::doubleToRawLongBits).toArray();
        assertThat(a).as(what).isEqualTo(e);
    }

    @Test
    void sortsEveryKindOfDouble_exactlyAsArraysSort() {
        SplittableRandom r = new SplittableRandom(42);
        double[] specials = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e-310, -1e-310, 1, -1};
        for (int n : new int[] {0, 1, 5, DoubleSort.RADIX_MIN - 1, DoubleSort.RADIX_MIN, 100_003}) {
            double[] gauss = new double[n];
            double[] ints = new double[n];
            double[] mixed = new double[n];
            double[] constant = new double[n];
            double[] bits = new double[n];
            for (int i = 0; i < n; i++) {
                gauss[i] = r.nextGaussian() * 1e3;
                ints[i] = r.nextInt(50) - 25;                      // few digits differ: passes are skipped
                mixed[i] = r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : r.nextDouble() * 2 - 1;
                constant[i] = -3.5;
                double v;
                do {
                    v = Double.longBitsToDouble(r.nextLong());      // any finite bit pattern, every exponent
                } while (Double.isNaN(v) || Double.isInfinite(v));
                bits[i] = v;
            }
            assertSortsLikeArraysSort(gauss, "gaussian n=" + n);
            assertSortsLikeArraysSort(ints, "integers n=" + n);
            assertSortsLikeArraysSort(mixed, "signed zeros, subnormals, extremes n=" + n);
            assertSortsLikeArraysSort(constant, "constant n=" + n);
            assertSortsLikeArraysSort(bits, "random bit patterns n=" + n);
            double[] descending = gauss.clone();
            Arrays.sort(descending);
            for (int i = 0; i < n / 2; i++) {
                double t = descending[i];
                descending[i] = descending[n - 1 - i];
                descending[n - 1 - i] = t;
            }
            assertSortsLikeArraysSort(descending, "descending n=" + n);
        }
    }
}
