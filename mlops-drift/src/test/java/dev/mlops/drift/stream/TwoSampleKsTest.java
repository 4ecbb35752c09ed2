package dev.mlops.drift.stream;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The KS statistic and exact p-value that KSWIN uses, against {@code scipy.stats.ks_2samp} (scipy 1.17.1)
 * on the fixtures made by {@code src/test/resources/fixtures/drift_stream/make_ks_fixtures.py}.
 */
class TwoSampleKsTest {

    private record Row(int n, double[] a, double[] b, double statistic, double pValue, String method) {
    }

    private static List<Row> fixtures() throws IOException {
        try (InputStream in = TwoSampleKsTest.class.getResourceAsStream("/fixtures/drift_stream/ks_2samp.csv")) {
            assertThat(in).as("ks_2samp.csv on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(line -> {
                String[] f = line.split(";");
                return new Row(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), f[5]);
            }).toList();
        }
    }

    private static double[] parse(String s) {
        return Arrays.stream(s.split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void statisticAndPValueMatchScipyKs2samp() throws IOException {
        List<Row> rows = fixtures();
        assertThat(rows).hasSize(122);
        for (Row row : rows) {
            double[] a = row.a().clone();
            double[] b = row.b().clone();
            Arrays.sort(a);
            Arrays.sort(b);
            int h = TwoSampleKs.scaledStatistic(a, b, row.n());
            String what = "n=" + row.n() + " scipy D=" + row.statistic() + " p=" + row.pValue();
            assertThat((double) h / row.n()).as(what).isCloseTo(row.statistic(), within(1e-15));
            double p = TwoSampleKs.pValue(row.n(), h);
            if (row.pValue() < 1e-290) {
                assertThat(p).as(what).isLessThan(1e-290);
            } else {
                assertThat(p).as(what).isCloseTo(row.pValue(), within(1e-9 * row.pValue()));
            }
        }
    }

    @Test
    void statisticEqualsBruteForceSupremumOverEveryValue() throws IOException {
        for (Row row : fixtures()) {
            double[] a = row.a().clone();
            double[] b = row.b().clone();
            Arrays.sort(a);
            Arrays.sort(b);
            // definition: D = max over every observed x of |#{a <= x} - #{b <= x}| / n
            int brute = 0;
            for (double[] side : new double[][] {row.a(), row.b()}) {
                for (double x : side) {
                    int ca = 0;
                    int cb = 0;
                    for (double v : row.a()) {
                        ca += v <= x ? 1 : 0;
                    }
                    for (double v : row.b()) {
                        cb += v <= x ? 1 : 0;
                    }
                    brute = Math.max(brute, Math.abs(ca - cb));
                }
            }
            assertThat(TwoSampleKs.scaledStatistic(a, b, row.n())).as("n=" + row.n()).isEqualTo(brute);
        }
    }

    @Test
    void pValueEqualsLatticePathCount() {
        // independent definition: P(D >= h/n) = (C(2n, n) - paths (0,0)->(n,n) with |i - j| < h) / C(2n, n),
        // counted exactly with BigInteger
        for (int n : new int[] {1, 5, 10, 30, 31, 60}) {
            for (int h = 1; h <= n; h++) {
                BigInteger[][] paths = new BigInteger[n + 1][n + 1];
                for (int i = 0; i <= n; i++) {
                    for (int j = 0; j <= n; j++) {
                        if (Math.abs(i - j) >= h) {
                            paths[i][j] = BigInteger.ZERO;
                        } else if (i == 0 && j == 0) {
                            paths[i][j] = BigInteger.ONE;
                        } else {
                            paths[i][j] = (i > 0 ? paths[i - 1][j] : BigInteger.ZERO)
                                    .add(j > 0 ? paths[i][j - 1] : BigInteger.ZERO);
                        }
                    }
                }
                BigInteger total = BigInteger.ONE;
                for (int i = 1; i <= n; i++) {
                    total = total.multiply(BigInteger.valueOf(n + i)).divide(BigInteger.valueOf(i));
                }
                double expected = new BigDecimal(total.subtract(paths[n][n]))
                        .divide(new BigDecimal(total), MathContext.DECIMAL64).doubleValue();
                assertThat(TwoSampleKs.pValue(n, h)).as("n=%d h=%d", n, h)
                        .isCloseTo(expected, within(1e-12 * expected));
            }
            assertThat(TwoSampleKs.pValue(n, 0)).isEqualTo(1.0);
        }
    }
}
