package dev.mlops.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PredictionLog} that keeps records must show. An implementation's test extends
 * this class and supplies a fresh, empty log that holds at least {@value #MIN_CAPACITY} records.
 */
public abstract class PredictionLogContract {

    /** The fewest records {@link #newLog()} must be able to hold without dropping any. */
    protected static final int MIN_CAPACITY = 20_000;

    protected static final Instant T0 = Instant.parse("2024-05-01T00:00:00Z");

    protected PredictionLog log;

    protected PredictionLogContract() {
    }

    /** A new, empty log holding at least {@link #MIN_CAPACITY} records. */
    protected abstract PredictionLog newLog();

    @BeforeEach
    void open() {
        log = newLog();
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    protected static PredictionRecord at(String model, long second, String requestId) {
        return new PredictionRecord(model, "1", T0.plusSeconds(second), requestId, Map.of("x", 1.0), 0.5, 10);
    }

    protected static List<String> ids(List<PredictionRecord> records) {
        return records.stream().map(PredictionRecord::requestId).toList();
    }

    protected List<PredictionRecord> readAll(String model) {
        log.flush();
        return log.read(model, Instant.MIN, Instant.MAX);
    }

    @Test
    void read_isHalfOpen() {
        log.appendAll(List.of(at("m", 0, "a"), at("m", 1, "b"), at("m", 2, "c")));
        log.flush();

        assertThat(ids(log.read("m", T0, T0.plusSeconds(2)))).containsExactly("a", "b");
        assertThat(ids(log.read("m", T0.plusSeconds(1), T0.plusSeconds(3)))).containsExactly("b", "c");
        assertThat(log.read("m", T0.plusSeconds(1), T0.plusSeconds(1))).isEmpty();
        assertThat(ids(log.read("m", T0.plusNanos(1), T0.plusSeconds(1).plusNanos(1)))).containsExactly("b");
    }

    @Test
    void read_ordersByTimestamp_keepingAppendOrderForTies() {
        log.append(at("m", 2, "late"));
        log.append(at("m", 0, "early"));
        log.append(at("m", 1, "tie-1"));
        log.append(at("m", 1, "tie-2"));

        assertThat(ids(readAll("m"))).containsExactly("early", "tie-1", "tie-2", "late");
    }

    @Test
    void read_returnsOneModel_allVersions() {
        log.append(at("churn", 0, "a"));
        log.append(at("fraud", 1, "b"));
        log.append(new PredictionRecord("churn", "2", T0.plusSeconds(2), "c", Map.of(), new double[] {1}, 0));

        assertThat(ids(readAll("churn"))).containsExactly("a", "c");
        assertThat(readAll("nobody")).isEmpty();
    }

    @Test
    void read_returnsRecordsAsAppended_inAnUnmodifiableList() {
        PredictionRecord r = at("m", 0, "a");
        log.append(r);

        List<PredictionRecord> read = readAll("m");
        assertThat(read).containsExactly(r);
        assertThatThrownBy(() -> read.add(r)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void read_rejectsAReversedRange() {
        assertThatThrownBy(() -> log.read("m", T0.plusSeconds(1), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(T0.toString()).hasMessageContaining("swap");
    }

    @Test
    void appendAll_withANullElement_addsNothing() {
        List<PredictionRecord> batch = Arrays.asList(at("m", 0, "a"), null);

        assertThatThrownBy(() -> log.appendAll(batch)).isInstanceOf(NullPointerException.class);
        assertThat(readAll("m")).isEmpty();
    }

    @Test
    void closedLog_rejectsUse_andCloseIsIdempotent() {
        log.close();

        assertThatCode(log::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> log.append(at("m", 0, "a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.read("m", T0, T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(log::flush).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentAppends_loseNothing() throws Exception {
        int threads = 16;
        int perThread = MIN_CAPACITY / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        PredictionRecord r = at("m", i, thread + "-" + i);
                        if (i % 10 == 0) {
                            log.appendAll(List.of(r));
                        } else {
                            log.append(r);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<PredictionRecord> all = readAll("m");
        assertThat(all).hasSize(threads * perThread);
        assertThat(ids(all)).doesNotHaveDuplicates();
        assertThat(all).isSortedAccordingTo((a, b) -> a.timestamp().compareTo(b.timestamp()));
        assertThat(log.dropped()).isZero();
    }
}
