package dev.mlops.registry.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.spi.RunStatus;
import dev.mlops.registry.Experiment;
import dev.mlops.registry.MetricPoint;
import dev.mlops.registry.RunInfo;
import dev.mlops.registry.spi.TrackingStore.NewRun;
import dev.mlops.registry.spi.TrackingStore.RunWrite;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link TrackingStore} must do. An implementation's test extends this class and supplies a fresh store.
 */
public abstract class TrackingStoreContract {

    @TempDir
    protected Path dir;
    protected TrackingStore store;
    static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");

    /** A new, empty store in {@code dir}. */
    protected abstract TrackingStore newStore(Path dir);

    @BeforeEach
    void open() {
        store = newStore(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String run(String id, Experiment e) {
        store.createRun(new NewRun(id, e.id(), "name-" + id, null, T0, Map.of("t", "v")));
        return id;
    }

    private static MetricPoint point(String key, double v, long step) {
        return new MetricPoint(key, v, step, T0.plusMillis(step));
    }

    @Test
    void experimentsAreCreatedOnceByName() {
        Experiment a = store.experiment("a", T0);
        assertThat(store.experiment("a", T0.plusSeconds(5))).isEqualTo(a);
        assertThat(store.findExperiment("a")).contains(a);
        assertThat(store.findExperiment("b")).isEmpty();
        assertThat(store.experiments()).containsExactly(a);
    }

    @Test
    void writesAreAllOrNothingAndParamsImmutable() {
        String id = run("r1", store.experiment("e", T0));
        store.write(id, new RunWrite(Map.of("p", "1"), List.of(point("m", 1, 0)), Map.of(), Map.of(), List.of()));
        assertThatThrownBy(() -> store.write(id, new RunWrite(Map.of("p", "2", "q", "x"), List.of(point("m", 2, 1)),
                Map.of("t", "changed"), Map.of(), List.of()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'1'").hasMessageContaining("'2'");
        RunInfo info = store.run(id);
        assertThat(info.params()).containsExactly(Map.entry("p", "1"));
        assertThat(info.tags()).containsEntry("t", "v");
        assertThat(store.metricHistory(id, "m")).hasSize(1);
    }

    @Test
    void latestMetricIsTheHighestStepLastLoggedAndNaNSurvives() {
        String id = run("r1", store.experiment("e", T0));
        store.write(id, RunWrite.metrics(List.of(point("m", 1, 3), point("m", 2, 1))));
        store.write(id, RunWrite.metrics(List.of(point("m", 5, 3), point("n", Double.NaN, 0))));
        assertThat(store.run(id).metrics().get("m").value()).isEqualTo(5);
        assertThat(store.run(id).metrics().get("n").value()).isNaN();
        assertThat(store.metricHistory(id, "m")).extracting(MetricPoint::value).containsExactly(1.0, 2.0, 5.0);
    }

    @Test
    void endRunIsACompareAndSet() {
        String id = run("r1", store.experiment("e", T0));
        assertThat(store.endRun(id, RunStatus.FAILED, T0.plusSeconds(1))).isEqualTo(RunStatus.FAILED);
        assertThat(store.endRun(id, RunStatus.FINISHED, T0.plusSeconds(2))).isEqualTo(RunStatus.FAILED);
        assertThat(store.run(id).endTime()).isEqualTo(T0.plusSeconds(1));
        assertThatThrownBy(() -> store.write(id, RunWrite.metrics(List.of(point("m", 1, 0)))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.run("nope")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void searchFiltersOrdersAndPages() {
        Experiment e = store.experiment("e", T0);
        for (int i = 0; i < 5; i++) {
            String id = run("r" + i, e);
            store.write(id, new RunWrite(Map.of("k", i % 2 == 0 ? "even" : "odd"), List.of(point("m", i, 0)), Map.of(),
                    Map.of(), List.of()));
        }
        Filter even = new Filter.Compare(Filter.Entity.PARAM, "k", Filter.Op.EQ, List.of("even"));
        List<Filter.OrderBy> byM = List.of(new Filter.OrderBy(Filter.Entity.METRIC, "m", false));
        assertThat(store.search(List.of(), even, byM, 0, 10)).extracting(RunInfo::runId).containsExactly("r4", "r2", "r0");
        assertThat(store.search(List.of(e.id()), Filter.ALL, byM, 1, 2)).extracting(RunInfo::runId)
                .containsExactly("r3", "r2");
    }

    @Test
    void artifactDigestsAreThoseOfEveryRunsCurrentEntries() {
        Experiment e = store.experiment("e", T0);
        dev.mlops.core.Fingerprint a = dev.mlops.core.Fingerprint.of(new byte[] {1});
        dev.mlops.core.Fingerprint b = dev.mlops.core.Fingerprint.of(new byte[] {2});
        dev.mlops.core.Fingerprint c = dev.mlops.core.Fingerprint.of(new byte[] {3});
        String r1 = run("r1", e);
        String r2 = run("r2", e);
        store.write(r1, new RunWrite(Map.of(), List.of(), Map.of(), Map.of(),
                List.of(new dev.mlops.registry.ArtifactEntry("x/a", a, 1), new dev.mlops.registry.ArtifactEntry("y", b, 1))));
        store.write(r2, new RunWrite(Map.of(), List.of(), Map.of(), Map.of(),
                List.of(new dev.mlops.registry.ArtifactEntry("z", a, 1))));
        assertThat(store.artifactDigests()).containsExactlyInAnyOrder(a.hex(), b.hex());
        // an entry replaced by path no longer references its old blob
        store.write(r1, new RunWrite(Map.of(), List.of(), Map.of(), Map.of(),
                List.of(new dev.mlops.registry.ArtifactEntry("y", c, 1))));
        assertThat(store.artifactDigests()).containsExactlyInAnyOrder(a.hex(), c.hex());
    }

    @Test
    void deletedRunsAndExperimentsAreHiddenRefuseWritesAndComeBack() {
        Experiment e = store.experiment("e", T0);
        Experiment f = store.experiment("f", T0);
        for (String id : List.of("a", "b")) {
            run(id, e);
        }
        run("c", f);
        java.util.function.Function<dev.mlops.registry.RunView, List<String>> ids = view -> store.search(List.of(),
                Filter.ALL, List.of(), 0, 10, view).stream().map(RunInfo::runId).sorted().toList();

        assertThat(store.setRunDeleted("a", true)).isTrue();
        assertThat(store.setRunDeleted("a", true)).as("idempotent").isFalse();
        assertThat(ids.apply(dev.mlops.registry.RunView.ACTIVE_ONLY)).containsExactly("b", "c");
        assertThat(store.search(List.of(), Filter.ALL, List.of(), 0, 10)).extracting(RunInfo::runId)
                .containsExactlyInAnyOrder("b", "c");
        assertThat(ids.apply(dev.mlops.registry.RunView.DELETED_ONLY)).containsExactly("a");
        assertThat(ids.apply(dev.mlops.registry.RunView.ALL)).containsExactly("a", "b", "c");
        assertThat(store.run("a").deleted()).isTrue();
        assertThatThrownBy(() -> store.write("a", RunWrite.metrics(List.of(point("m", 1, 0)))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deleted");
        assertThat(store.metricHistory("a", "m")).isEmpty();

        // deleting an experiment hides its runs; restoring it does not restore a run deleted on its own
        assertThat(store.setExperimentDeleted(e.id(), true)).isTrue();
        assertThat(store.findExperiment("e").orElseThrow().deleted()).isTrue();
        assertThat(ids.apply(dev.mlops.registry.RunView.ACTIVE_ONLY)).containsExactly("c");
        assertThat(store.run("b").deleted()).isTrue();
        assertThatThrownBy(() -> store.write("b", RunWrite.metrics(List.of(point("m", 1, 0)))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.setExperimentDeleted(e.id(), false)).isTrue();
        assertThat(ids.apply(dev.mlops.registry.RunView.ACTIVE_ONLY)).containsExactly("b", "c");
        assertThat(store.setRunDeleted("a", false)).isTrue();
        store.write("a", RunWrite.metrics(List.of(point("m", 1, 0))));
        assertThat(store.run("a").deleted()).isFalse();
        assertThat(ids.apply(dev.mlops.registry.RunView.DELETED_ONLY)).isEmpty();
        assertThatThrownBy(() -> store.setRunDeleted("nope", true)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store.setExperimentDeleted("999", true)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining(e.id());
    }
}
