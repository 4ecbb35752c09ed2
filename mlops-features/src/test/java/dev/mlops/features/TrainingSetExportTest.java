package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import dev.mlops.features.internal.SourceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingSetExportTest {

    @TempDir
    Path dir;

    @Test
    void export_writesParquetThatReadsBackEqual_andRecordsWhatProducedIt() throws Exception {
        Random rnd = new Random(13);
        Table features = BruteForcePit.randomFeatures(rnd, 5, 50, true);
        CsvWriter.builder().build().write(features, dir.resolve("v.csv"));
        Table entities = BruteForcePit.randomEntities(rnd, 6, 40, true, features);
        Entity e = Entity.of("user", "k", ColumnType.STRING);
        FeatureView v = FeatureView.builder("v").entity(e).feature("x", ColumnType.DOUBLE).feature("label", ColumnType.STRING)
                .ttl(Duration.ofSeconds(20)).source(BatchSource.csv(dir.resolve("v.csv"))).build();
        try (FeatureStore fs = FeatureStore.builder().home(dir.resolve("home")).build()) {
            fs.apply(Definitions.builder().entity(e).view(v).service(FeatureService.of("svc", 1, "v:label", "v:x")).build());
            Path out = dir.resolve("train.parquet");
            TrainingSet ts = fs.exportTrainingSet(entities, "svc", 1, true, out);
            Table expected = fs.historical(entities, "svc", 1, true);
            Table back = SourceReader.parquet(out, expected.schema());
            assertThat(back.rowCount()).isEqualTo(entities.rowCount());
            for (String c : expected.schema().names()) {
                for (int r = 0; r < back.rowCount(); r++) {
                    assertThat(back.value(r, c)).as("%s row %d", c, r).isEqualTo(expected.value(r, c));
                }
            }
            assertThat(ts.features()).containsExactly("v:label", "v:x");
            assertThat(ts.entityFingerprint()).isEqualTo(entities.fingerprint());
            assertThat(ts.dataFingerprint()).isEqualTo(expected.fingerprint());
            assertThat(ts.asKnownAt()).isTrue();
            String meta = Files.readString(dir.resolve("train.parquet.json"));
            assertThat(meta).contains("\"service\" : \"svc\"").contains(entities.fingerprint().toString()).contains("\"asKnownAt\" : true");
            assertThat(List.of(dir.toFile().list())).noneMatch(n -> n.endsWith(".tmp") || n.startsWith(".train"));
        }
    }
}
