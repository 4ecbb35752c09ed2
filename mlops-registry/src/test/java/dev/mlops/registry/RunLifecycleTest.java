package dev.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NotFoundException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Soft delete and restore of runs and experiments through {@link ModelRegistry}. */
class RunLifecycleTest {

    @TempDir
    Path home;

    @Test
    void deletedRunsAreHiddenFromSearchUnlessAskedAndRestorable() {
        try (ModelRegistry registry = ModelRegistry.open(home)) {
            String keep;
            String drop;
            try (RegistryRun a = registry.startRun("e", "keep"); RegistryRun b = registry.startRun("e", "drop")) {
                a.logMetric("acc", 0.9);
                b.logMetric("acc", 0.95);
                keep = a.runId();
                drop = b.runId();
            }
            registry.deleteRun(drop);
            RunQuery q = RunQuery.of("metrics.acc > 0.5");
            assertThat(registry.searchRuns(q).runs()).extracting(RunInfo::runId).containsExactly(keep);
            assertThat(registry.searchRuns(q.toBuilder().view(RunView.DELETED_ONLY).build()).runs())
                    .extracting(RunInfo::runId).containsExactly(drop);
            assertThat(registry.searchRuns(q.toBuilder().view(RunView.ALL).build()).runs()).hasSize(2);
            assertThat(registry.run(drop).deleted()).isTrue();
            assertThat(registry.run(drop).metric("acc")).contains(0.95); // still readable
            registry.restoreRun(drop);
            assertThat(registry.searchRuns(q).runs()).hasSize(2);

            registry.deleteExperiment("e");
            assertThat(registry.experiment("e").orElseThrow().deleted()).isTrue();
            assertThat(registry.searchRuns(q).runs()).isEmpty();
            assertThatThrownBy(() -> registry.startRun("e", "x")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'e' is deleted").hasMessageContaining("restoreExperiment");
            registry.restoreExperiment("e");
            try (RegistryRun c = registry.startRun("e", "after")) {
                c.logMetric("acc", 0.7);
            }
            assertThat(registry.searchRuns(q).runs()).hasSize(3);
            assertThatThrownBy(() -> registry.deleteExperiment("nope")).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("e");
        }
    }

    @Test
    void loggingIntoADeletedRunIsRefused() {
        try (ModelRegistry registry = ModelRegistry.open(home); RegistryRun run = registry.startRun("e", "r")) {
            registry.deleteRun(run.runId());
            assertThatThrownBy(() -> run.logMetric("m", 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("deleted").hasMessageContaining("restoreRun");
            registry.restoreRun(run.runId());
            run.logMetric("m", 1);
            assertThat(registry.run(run.runId()).metric("m")).contains(1.0);
        }
    }
}
