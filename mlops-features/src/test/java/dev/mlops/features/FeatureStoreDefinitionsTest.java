package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureStoreDefinitionsTest {

    @TempDir
    Path dir;

    private final Entity station = Entity.of("station", "k", ColumnType.STRING);

    private FeatureView weather(Duration ttl, boolean withHum) {
        FeatureView.Builder b = FeatureView.builder("weather").entity(station).feature("x", ColumnType.DOUBLE)
                .ttl(ttl).source(BatchSource.csv(dir.resolve("weather.csv"))).owner("data@example.com").tag("team", "mobility");
        if (withHum) {
            b.feature("label", ColumnType.STRING);
        }
        return b.build();
    }

    private Definitions defs(FeatureView view, FeatureService... services) {
        Definitions.Builder b = Definitions.builder().entity(station).view(view);
        for (FeatureService s : services) {
            b.service(s);
        }
        return b.build();
    }

    @Test
    void plan_listsAdditions_applyPersistsAVersion_andAReopenedStorePlansNothing() throws Exception {
        Definitions d = defs(weather(Duration.ofHours(1), true), FeatureService.of("rides", 1, "weather:x"));
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            Plan plan = store.plan(d);
            assertThat(plan.changes()).extracting(Change::toString)
                    .containsExactly("+ entity station", "+ view weather", "+ service rides:1");
            assertThat(store.version()).isZero();
            assertThat(Files.exists(dir.resolve("home/registry.json"))).isFalse();
            assertThat(store.apply(d).toVersion()).isEqualTo(1);
            assertThat(store.version()).isEqualTo(1);
        }
        assertThat(dir.resolve("home/history/v000001.json")).exists();
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            assertThat(store.version()).isEqualTo(1);
            assertThat(store.plan(d).isEmpty()).isTrue();
            Plan ttlChange = store.plan(defs(weather(Duration.ofHours(2), true), FeatureService.of("rides", 1, "weather:x")));
            assertThat(ttlChange.changes()).extracting(Change::toString).containsExactly("~ view weather: ttl: PT1H -> PT2H");
            assertThat(store.apply(defs(weather(Duration.ofHours(2), true), FeatureService.of("rides", 1, "weather:x"))).toVersion())
                    .isEqualTo(2);
        }
    }

    @Test
    void aggregations_arePersisted_andAReopenedStoreComputesThem() throws Exception {
        Random rnd = new Random(8);
        Table features = BruteForcePit.randomFeatures(rnd, 3, 40, true);
        CsvWriter.builder().build().write(features, dir.resolve("weather.csv"));
        FeatureView v = FeatureView.builder("weather").entity(station).feature("x", ColumnType.DOUBLE)
                .aggregation("x_max", "x", Aggregation.Kind.MAX, Duration.ofSeconds(10))
                .source(BatchSource.csv(dir.resolve("weather.csv"))).build();
        Definitions d = Definitions.builder().entity(station).view(v).service(FeatureService.of("s", 1, "weather:x_max")).build();
        Table entities = BruteForcePit.randomEntities(rnd, 3, 20, true, features);
        Table first;
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            store.apply(d);
            first = store.historical(entities, "s", 1, false);
        }
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            assertThat(store.plan(d).isEmpty()).isTrue();
            assertThat(store.historical(entities, "s", 1, false)).isEqualTo(first);
            FeatureView longer = FeatureView.builder("weather").entity(station).feature("x", ColumnType.DOUBLE)
                    .aggregation("x_max", "x", Aggregation.Kind.MAX, Duration.ofSeconds(20))
                    .source(BatchSource.csv(dir.resolve("weather.csv"))).build();
            assertThat(store.plan(Definitions.builder().entity(station).view(longer).service(FeatureService.of("s", 1, "weather:x_max"))
                    .build()).changes()).extracting(Change::toString).singleElement().asString()
                    .startsWith("~ view weather: aggregations:").contains("PT20S");
        }
        assertThat(first.column("weather__x_max").nullCount()).isLessThan(entities.rowCount());
    }

    @Test
    void apply_refusesBreakingAPinnedService_andWritesNothing() throws Exception {
        Path home = dir.resolve("home");
        try (FeatureStore store = FeatureStore.builder().home(home).build()) {
            store.apply(defs(weather(Duration.ZERO, true), FeatureService.of("rides", 1, "weather:x", "weather:label")));
            store.pin("rides", 1, "model churn v3");
            byte[] before = Files.readAllBytes(home.resolve("registry.json"));
            // removing 'label' (and the service's reference to it) breaks the pinned service
            Definitions broken = defs(weather(Duration.ZERO, false), FeatureService.of("rides", 2, "weather:x"));
            assertThatThrownBy(() -> store.apply(broken)).isInstanceOf(BreakingChangeException.class)
                    .hasMessageContaining("rides:1").hasMessageContaining("model churn v3").hasMessageContaining("would be removed");
            // changing an applied version's selection is refused too
            Definitions mutated = defs(weather(Duration.ZERO, true), FeatureService.of("rides", 1, "weather:x"));
            assertThatThrownBy(() -> store.apply(mutated)).isInstanceOf(BreakingChangeException.class)
                    .hasMessageContaining("immutable");
            assertThat(Files.readAllBytes(home.resolve("registry.json"))).isEqualTo(before);
            assertThat(store.version()).isEqualTo(1);
            // after unpinning, publishing v2 and dropping v1 is fine
            store.unpin("rides", 1, "model churn v3");
            assertThat(store.apply(broken).changes()).extracting(Change::toString)
                    .contains("- service rides:1", "+ service rides:2");
        }
    }

    @Test
    void definitions_withDanglingReferences_areRefused() {
        assertThatThrownBy(() -> Definitions.builder().entity(station).view(weather(Duration.ZERO, true))
                .service(FeatureService.of("s", 1, "weather:nope")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'weather:nope'");
        assertThatThrownBy(() -> Definitions.builder().view(weather(Duration.ZERO, true)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("entity 'station'");
    }

    @Test
    void historical_throughDefinitions_matchesBruteForce_andAppliesOnDemandFeaturesRowByRow() throws Exception {
        Random rnd = new Random(5);
        Table features = BruteForcePit.randomFeatures(rnd, 4, 60, true);
        CsvWriter.builder().build().write(features, dir.resolve("weather.csv"));
        Table entities = BruteForcePit.randomEntities(rnd, 5, 50, true, features);
        OnDemandFeature doubled = OnDemandFeature.builder("derived", "x_times_rid", ColumnType.DOUBLE)
                .input("weather:x").requestField("rid")
                .function(in -> in.get("weather:x") == null ? null : (Double) in.get("weather:x") * (Long) in.get("rid"))
                .build();
        Definitions d = Definitions.builder().entity(station).view(weather(Duration.ofSeconds(5), true)).onDemand(doubled).build();
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            store.apply(d);
            Table out = store.historical(entities, List.of("derived:x_times_rid", "weather:label"), false);
            assertThat(out.schema().names()).containsExactly("k", "event_timestamp", "rid", "derived__x_times_rid", "weather__label");
            int[] m = BruteForcePit.match(entities, features, 5_000_000L, false);
            for (int r = 0; r < entities.rowCount(); r++) {
                Double x = m[r] < 0 ? null : (Double) features.value(m[r], "x");
                assertThat(out.value(r, "derived__x_times_rid")).isEqualTo(x == null ? null : x * r);
                assertThat(out.value(r, "weather__label")).isEqualTo(m[r] < 0 ? null : features.value(m[r], "label"));
            }
            assertThatThrownBy(() -> store.historical(entities, List.of("weather:y"), false))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("'weather:y'").hasMessageContaining("weather:x");
        }
        // a process that did not apply the definitions knows the on-demand feature but not its code
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            assertThatThrownBy(() -> store.historical(entities, List.of("derived:x_times_rid"), false))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("function is not in this process");
            assertThat(store.historical(entities, List.of("weather:x"), false).rowCount()).isEqualTo(entities.rowCount());
        }
    }

    @Test
    void historical_missingSourceFile_isNotFound() {
        try (FeatureStore store = FeatureStore.builder().home(dir.resolve("home")).build()) {
            store.apply(defs(weather(Duration.ZERO, true)));
            Table entities = Table.of(dev.mlops.core.table.StringColumn.of("k", "a"),
                    dev.mlops.core.table.TimestampColumn.of("event_timestamp", Instant.parse("2024-01-01T00:00:00Z")));
            assertThatThrownBy(() -> store.historical(entities, List.of("weather:x"), false))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("weather.csv");
        }
        assertThat(Map.of()).isEmpty();
    }
}
