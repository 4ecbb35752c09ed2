package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.table.DoubleColumn;
import dev.mlops.core.table.LongColumn;
import dev.mlops.core.table.StringColumn;
import dev.mlops.core.table.Table;
import dev.mlops.drift.internal.ColumnProfile;
import dev.mlops.drift.internal.DefaultReferenceProfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check against a saved, reloaded or merged profile gives exactly the report of a check against the
 * reference table (whose numbers the other tests compare with scipy).
 */
class ReferenceProfileTest {

    @TempDir
    Path dir;

    static final String[] NAMES = {"normal_200_vs_150_shifted", "ties_integers_500_vs_400", "lognormal_3000_vs_2500",
        "colors_shift", "binary_yes_no", "constant_equal"};

    @Test
    void savedAndReloadedProfile_givesTheSameReportAsTheTable() {
        Table[] t = DriftDetectorTest.tables(NAMES);
        DriftDetector d = DriftDetector.builder().alsoRun(List.of(StatTest.KS, StatTest.PSI, StatTest.CHISQUARE))
                .correction(Correction.BENJAMINI_HOCHBERG).build();
        DriftReport direct = d.compare(t[0], t[1]);
        ReferenceProfile profile = ReferenceProfile.of(t[0], List.of());
        Path file = dir.resolve("ref.profile");
        profile.save(file);
        ReferenceProfile loaded = ReferenceProfile.load(file);
        assertThat(loaded.columns()).containsExactly(NAMES);
        assertThat(loaded.rows()).isEqualTo(t[0].rowCount());
        assertThat(loaded.kind("colors_shift")).isEqualTo(ColumnKind.CATEGORICAL);
        assertThat(d.compare(profile, t[1])).isEqualTo(direct);
        assertThat(d.compare(loaded, t[1])).isEqualTo(direct);
        assertThat(d.compare(loaded, t[1]).toJson()).isEqualTo(direct.toJson());
    }

    @Test
    void mergedPartitionProfiles_equalTheProfileOfTheWhole() {
        Table[] t = DriftDetectorTest.tables(NAMES);
        Table reference = t[0];
        int half = reference.rowCount() / 3;
        ReferenceProfile merged = ReferenceProfile.of(reference.slice(0, half), List.of("ties_integers_500_vs_400"))
                .merge(ReferenceProfile.of(reference.slice(half, reference.rowCount()), List.of("ties_integers_500_vs_400")));
        DriftDetector d = DriftDetector.builder().categorical("ties_integers_500_vs_400").build();
        assertThat(merged.rows()).isEqualTo(reference.rowCount());
        assertThat(d.compare(merged, t[1])).isEqualTo(d.compare(reference, t[1]));
        assertThatThrownBy(() -> merged.merge(ReferenceProfile.of(reference.select("colors_shift"), List.of())))
                .isInstanceOf(SchemaMismatchException.class);
    }

    @Test
    void damagedOrMissingFiles_failPrecisely_andSaveLeavesNoTemporaryFile() throws Exception {
        Table[] t = DriftDetectorTest.tables(NAMES);
        Path file = dir.resolve("ref.profile");
        ReferenceProfile.of(t[0], List.of()).save(file);
        ReferenceProfile.of(t[0], List.of()).save(file); // replaces
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.profile");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> ReferenceProfile.load(cut)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("cut.profile").hasMessageContaining("truncated");
        Path other = dir.resolve("other.profile");
        Files.writeString(other, "not a profile at all");
        assertThatThrownBy(() -> ReferenceProfile.load(other)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("MLDP");
        assertThatThrownBy(() -> ReferenceProfile.load(dir.resolve("none.profile"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> DriftDetector.builder().categorical("lognormal_3000_vs_2500").build()
                .compare(ReferenceProfile.load(file), t[1]))
                .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("profiled as numeric");
    }

    // ------------------------------------------------------------------ quantile sketches

    /** 60,000 reference and 20,000 current rows: two continuous columns, one with 10 integer values, one text. */
    static Table[] sketchTables() {
        SplittableRandom r = new SplittableRandom(20261127L);
        Table[] out = new Table[2];
        for (int side = 0; side < 2; side++) {
            int n = side == 0 ? 60_000 : 20_000;
            double[] normal = new double[n];
            double[] lognormal = new double[n];
            long[] small = new long[n];
            String[] text = new String[n];
            for (int i = 0; i < n; i++) {
                double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
                normal[i] = g + (side == 1 ? 0.05 : 0);
                lognormal[i] = Math.exp(0.8 * g * (side == 1 ? 1.1 : 1.0));
                small[i] = r.nextInt(side == 1 ? 11 : 10);
                text[i] = "t" + r.nextInt(side == 1 ? 6 : 5);
            }
            out[side] = Table.of(DoubleColumn.of("normal", normal), DoubleColumn.of("lognormal", lognormal),
                    LongColumn.of("small", small), StringColumn.of("text", text));
        }
        return out;
    }

    @Test
    @DisplayName("a sketched profile's ks, wasserstein and bin shares stay within the documented bounds of the exact ones")
    void sketchedProfile_staysWithinItsErrorBounds() {
        Table[] t = sketchTables();
        DriftDetector d = DriftDetector.builder().alsoRun(List.of(StatTest.KS, StatTest.WASSERSTEIN, StatTest.PSI)).build();
        DriftReport exact = d.compare(ReferenceProfile.of(t[0], List.of()), t[1]);
        assertThat(exact).isEqualTo(d.compare(t[0], t[1]));
        ReferenceProfile oneChunk = ReferenceProfile.builder().quantileSketch(64).add(t[0]).build();
        ReferenceProfile.Builder chunked = ReferenceProfile.builder().quantileSketch(64);
        for (int from = 0; from < t[0].rowCount(); from += 7_000) {
            chunked.add(t[0].slice(from, Math.min(t[0].rowCount(), from + 7_000)));
        }
        for (ReferenceProfile p : List.of(oneChunk, chunked.build())) {
            assertThat(p.rows()).isEqualTo(60_000);
            DriftReport sk = d.compare(p, t[1]);
            for (String c : List.of("normal", "lognormal")) {
                assertThat(p.sketched(c)).isTrue();
                long e = p.rankErrorBound(c);
                assertThat(e).as("%s compacted", c).isPositive();
                double n = 60_000;
                double[] ref = ((DoubleColumn) t[0].column(c)).toDoubleArray();
                double range = Arrays.stream(ref).max().orElseThrow() - Arrays.stream(ref).min().orElseThrow();
                ColumnDrift a = exact.columns().get(c);
                ColumnDrift b = sk.columns().get(c);
                assertThat(Math.abs(a.tests().get(StatTest.KS).statistic() - b.tests().get(StatTest.KS).statistic()))
                        .as("%s: ks D", c).isLessThanOrEqualTo(e / n + 1e-15);
                double std = populationStd(ref);
                assertThat(Math.abs(a.tests().get(StatTest.WASSERSTEIN).statistic() - b.tests().get(StatTest.WASSERSTEIN).statistic()))
                        .as("%s: wasserstein", c).isLessThanOrEqualTo(e / n * range / Math.max(std, 0.001) + 1e-12);
                assertThat(b.histogram().labels()).isEqualTo(a.histogram().labels());
                assertThat(b.histogram().current()).isEqualTo(a.histogram().current());
                for (int i = 0; i < a.histogram().reference().size(); i++) {
                    assertThat(Math.abs(a.histogram().reference().get(i) - b.histogram().reference().get(i)))
                            .as("%s: share of bin %d", c, i).isLessThanOrEqualTo(2 * e / n + 1e-15);
                }
            }
            // at most 20 distinct values: kept exactly, so the verdicts are the exact ones
            assertThat(p.sketched("small")).isTrue();
            assertThat(p.rankErrorBound("small")).isZero();
            assertThat(sk.columns().get("small")).isEqualTo(exact.columns().get("small"));
            assertThat(sk.columns().get("text")).isEqualTo(exact.columns().get("text"));
        }
    }

    /** np.std, two passes. */
    private static double populationStd(double[] x) {
        double m = Arrays.stream(x).sum() / x.length;
        return Math.sqrt(Arrays.stream(x).map(v -> (v - m) * (v - m)).sum() / x.length);
    }

    @Test
    void sketchedProfile_savesLoadsAndMergesWithExactOnes() throws Exception {
        Table[] t = sketchTables();
        DriftDetector d = DriftDetector.builder().alsoRun(List.of(StatTest.KS)).build();
        ReferenceProfile sketched = ReferenceProfile.builder().quantileSketch(64).add(t[0].slice(0, 30_000)).build();
        Path file = dir.resolve("sketch.profile");
        sketched.save(file);
        ReferenceProfile loaded = ReferenceProfile.load(file);
        assertThat(d.compare(loaded, t[1]).toJson()).isEqualTo(d.compare(sketched, t[1]).toJson());
        assertThat(loaded.rankErrorBound("normal")).isEqualTo(sketched.rankErrorBound("normal"));

        ReferenceProfile both = loaded.merge(ReferenceProfile.of(t[0].slice(30_000, 60_000), List.of()));
        assertThat(both.rows()).isEqualTo(60_000);
        assertThat(both.sketched("normal")).isTrue();
        long e = both.rankErrorBound("normal");
        double exactD = d.compare(t[0], t[1]).columns().get("normal").tests().get(StatTest.KS).statistic();
        double mergedD = d.compare(both, t[1]).columns().get("normal").tests().get(StatTest.KS).statistic();
        assertThat(Math.abs(exactD - mergedD)).isLessThanOrEqualTo(e / 60_000.0 + 1e-15);

        // a damaged sketch is refused, naming the file
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("cut-sketch.profile");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        assertThatThrownBy(() -> ReferenceProfile.load(cut)).isInstanceOf(StoreCorruptedException.class)
                .hasMessageContaining("cut-sketch.profile");
        assertThatThrownBy(() -> ReferenceProfile.builder().add(t[0]).quantileSketch(64))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the first add");
        assertThatThrownBy(() -> ReferenceProfile.builder().quantileSketch(7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7");
    }

    @Test
    @DisplayName("a profile file written by release 1 (format 1, committed fixture) still loads")
    void formatOneFixture_stillLoads() throws Exception {
        Path v1 = Path.of(getClass().getResource("/fixtures/profile/v1.profile").toURI());
        DefaultReferenceProfile p = (DefaultReferenceProfile) ReferenceProfile.load(v1);
        assertThat(p.rows()).isEqualTo(6);
        assertThat(p.columns()).containsExactly("x", "c", "n");
        ColumnProfile x = p.column("x");
        assertThat(x.sorted()).containsExactly(-1.0, 2.25, 2.25, 3.5, 10.0);
        assertThat(x.missing()).isEqualTo(1);
        assertThat(p.column("c").counts()).containsExactly(java.util.Map.entry("a", 3L), java.util.Map.entry("b", 1L),
                java.util.Map.entry("c", 1L));
        assertThat(p.column("n").sorted()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 7.0);
        assertThat(p.sketched("x")).isFalse();
    }
}
