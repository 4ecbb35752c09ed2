package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryPredictionLogTest extends PredictionLogContract {

    @Override
    protected PredictionLog newLog() {
        return PredictionLog.inMemory(MIN_CAPACITY);
    }

    @Test
    void full_evictsTheEarliestAppended_andCountsDropped() {
        try (PredictionLog small = PredictionLog.inMemory(3)) {
            small.append(at("m", 10, "a"));
            small.append(at("m", 0, "b"));
            small.append(at("m", 5, "c"));
            small.append(at("m", 1, "d"));
            small.appendAll(List.of(at("other", 2, "e")));

            assertThat(ids(small.read("m", T0, T0.plusSeconds(60)))).containsExactly("d", "c");
            assertThat(ids(small.read("other", T0, T0.plusSeconds(60)))).containsExactly("e");
            assertThat(small.dropped()).isEqualTo(2);
        }
    }

    @Test
    void concurrentAppends_pastCapacity_keepExactlyCapacity_andCountTheRest() throws Exception {
        int capacity = 1000;
        int threads = 8;
        int perThread = 5000;
        try (PredictionLog small = PredictionLog.inMemory(capacity)) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(Thread.ofPlatform().start(() -> IntStream.range(0, perThread)
                        .forEach(i -> small.append(at("m", i, thread + "-" + i)))));
            }
            for (Thread w : workers) {
                w.join();
            }

            assertThat(small.read("m", T0, T0.plusSeconds(perThread))).hasSize(capacity);
            assertThat(small.dropped()).isEqualTo((long) threads * perThread - capacity);
        }
    }

    @Test
    void capacity_mustBePositive() {
        assertThatThrownBy(() -> PredictionLog.inMemory(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be >= 1, but was 0");
    }
}
