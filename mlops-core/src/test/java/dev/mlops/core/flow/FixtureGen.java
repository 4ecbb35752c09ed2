package dev.mlops.core.flow;

import dev.mlops.core.NonRetriableException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Wrote the committed fixture {@code src/test/resources/dev/mlops/core/flow/fixture-v1} (history journal and
 * cache entry, format version 1) that {@link FormatFixtureTest} must keep reading. Not part of the suite
 * (its name does not end in Test); to write a fixture of a new format version run:
 * {@code mvn -pl mlops-core test -Dtest=FixtureGen -Dsurefire.failIfNoSpecifiedTests=false} and copy
 * {@code mlops-core/target/fixture-home} (without {@code engine.lock}) to a new {@code fixture-vN} folder.
 */
class FixtureGen {
    static Flow<Long> flow() {
        Flow.Builder b = Flow.builder("fixture");
        Param<Long> n = b.param("n", Long.class, 6L);
        TaskHandle<Long> square = b.task("square").cache(CachePolicy.of(Serializers.longs())).run(n, x -> x * x);
        b.task("boom").run(() -> {
            throw new NonRetriableException("fixture failure");
        });
        return b.build(square);
    }

    @Test
    void generate() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
        try (FlowEngine engine = FlowEngine.builder().home(Path.of("target/fixture-home")).clock(clock).build()) {
            engine.run(flow());
        }
    }
}
