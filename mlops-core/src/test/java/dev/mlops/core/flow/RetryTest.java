package dev.mlops.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.NonRetriableException;
import dev.mlops.core.RetriableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryTest {

    @TempDir
    Path home;

    @Test
    void jitter_keepsTheMeanDelay_statistically() {
        // Delay d * U, U ~ Uniform[1 - j, 1 + j]: mean d, standard deviation d * j / sqrt(3).
        // With n samples the sample mean lies within 5 standard errors of d except with probability ~6e-7.
        Retry retry = Retry.exponential(3, Duration.ofMillis(100), 2.0, Duration.ofMillis(300)).withJitter(0.5);
        SplittableRandom random = new SplittableRandom(42);
        int n = 200_000;
        long[] configuredMs = {100, 200, 300}; // 100, 100*2, min(100*4, 300)
        for (int retryNo = 1; retryNo <= 3; retryNo++) {
            double d = configuredMs[retryNo - 1] * 1e6;
            double sum = 0;
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < n; i++) {
                double nanos = retry.delay(retryNo, random).toNanos();
                sum += nanos;
                min = Math.min(min, nanos);
                max = Math.max(max, nanos);
            }
            double mean = sum / n;
            double standardError = d * 0.5 / Math.sqrt(3) / Math.sqrt(n);
            assertThat(Math.abs(mean - d)).as("retry %d mean %.0f ns vs %.0f", retryNo, mean, d)
                    .isLessThan(5 * standardError);
            assertThat(min).isGreaterThanOrEqualTo(0.5 * d).isLessThan(0.51 * d);
            assertThat(max).isLessThanOrEqualTo(1.5 * d).isGreaterThan(1.49 * d);
        }
    }

    @Test
    void delays_fixedListedExponential() {
        assertThat(Retry.fixed(2, Duration.ofSeconds(3)).configuredDelay(2)).isEqualTo(Duration.ofSeconds(3));
        Retry listed = Retry.listed(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(listed.retries()).isEqualTo(2);
        assertThat(listed.configuredDelay(2)).isEqualTo(Duration.ofSeconds(5));
        Retry exp = Retry.exponential(5, Duration.ofSeconds(1), 3.0, Duration.ofSeconds(20));
        assertThat(List.of(1, 2, 3, 4, 5)).map(exp::configuredDelay).containsExactly(Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofSeconds(20), Duration.ofSeconds(20));
        assertThatThrownBy(() -> exp.configuredDelay(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Retry.fixed(1, Duration.ofSeconds(1)).withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Retry.exponential(1, Duration.ofSeconds(2), 0.5, Duration.ofSeconds(3)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void predicate_defaultsAndByType() {
        Retry r = Retry.fixed(3, Duration.ZERO);
        assertThat(r.shouldRetry(new RetriableException("busy"), 1)).isTrue();
        assertThat(r.shouldRetry(new IOException("reset"), 1)).isTrue();
        assertThat(r.shouldRetry(new NonRetriableException("bad"), 1)).isFalse();
        assertThat(r.shouldRetry(new AssertionError("bug"), 1)).isFalse();
        assertThat(r.shouldRetry(new RetriableException("busy"), 4)).isFalse();
        Retry io = r.retryOn(IOException.class);
        assertThat(io.shouldRetry(new IOException("reset"), 1)).isTrue();
        assertThat(io.shouldRetry(new IllegalStateException("x"), 1)).isFalse();
        assertThat(r.retryOn(t -> true).shouldRetry(new NonRetriableException("never"), 1)).isFalse();
    }

    @Test
    void engine_retriesOnTheInjectedScheduler_withoutSleeping() throws Exception {
        ManualScheduler scheduler = new ManualScheduler();
        AtomicInteger calls = new AtomicInteger();
        Flow.Builder b = Flow.builder("flaky");
        b.task("fetch").retry(Retry.listed(Duration.ofMinutes(1), Duration.ofMinutes(10))).run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new RetriableException("source briefly down");
            }
            return "data";
        });
        try (FlowEngine engine = FlowEngine.builder().home(home).scheduler(scheduler).build()) {
            long t0 = System.nanoTime();
            FlowExecution<Void> ex = engine.submit(b.build(), FlowParams.of());
            scheduler.awaitRequested(1);
            assertThat(ex.result()).isNotDone();
            assertThat(scheduler.fireAll()).isEqualTo(1);
            scheduler.awaitRequested(2);
            assertThat(scheduler.fireAll()).isEqualTo(1);
            FlowResult<Void> r = ex.await(Duration.ofSeconds(10));
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(30).toNanos());
            assertThat(r.task("fetch").state()).isEqualTo(TaskState.COMPLETED);
            assertThat(r.task("fetch").attempts()).isEqualTo(3);
            assertThat(scheduler.requested()).containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(10));
        }
    }

    @Test
    void engine_neverRetriesNonRetriable() {
        AtomicInteger calls = new AtomicInteger();
        Flow.Builder b = Flow.builder("bad");
        b.task("parse").retry(Retry.fixed(5, Duration.ZERO)).run(() -> {
            calls.incrementAndGet();
            throw new NonRetriableException("malformed row 3");
        });
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(b.build());
            assertThat(r.task("parse").state()).isEqualTo(TaskState.FAILED);
            assertThat(r.task("parse").attempts()).isEqualTo(1);
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void engine_exhaustedRetries_failWithTheLastError() {
        AtomicInteger calls = new AtomicInteger();
        Flow.Builder b = Flow.builder("exhaust");
        b.task("t").retry(Retry.fixed(2, Duration.ZERO)).run(() -> {
            throw new RetriableException("attempt " + calls.incrementAndGet());
        });
        try (FlowEngine engine = FlowEngine.builder().home(home).build()) {
            FlowResult<Void> r = engine.run(b.build());
            assertThat(r.task("t").attempts()).isEqualTo(3);
            assertThat(r.task("t").error()).endsWith("attempt 3");
            assertThat(r.failure().retriable()).isTrue();
        }
    }
}
