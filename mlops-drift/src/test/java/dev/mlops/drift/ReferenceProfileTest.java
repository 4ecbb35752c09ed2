package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.table.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
