package dev.mlops.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void bucketStartsFull_refillsContinuously_perCaller() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        RateLimiter rl = RateLimiter.builder().capacity(3).refillPerSecond(2).clock(clock).meterRegistry(reg).build();
        assertThat(rl.tryAcquire("alice")).isTrue();
        assertThat(rl.tryAcquire("alice")).isTrue();
        assertThat(rl.tryAcquire("alice")).isTrue();
        assertThat(rl.tryAcquire("alice")).isFalse();
        assertThat(rl.tryAcquire("bob")).isTrue(); // own bucket
        clock.advance(Duration.ofMillis(499)); // 0.998 tokens
        assertThat(rl.tryAcquire("alice")).isFalse();
        clock.advance(Duration.ofMillis(1)); // 1.0 token
        assertThat(rl.tryAcquire("alice")).isTrue();
        clock.advance(Duration.ofHours(1)); // capped at 3
        assertThat(rl.available("alice")).isEqualTo(3.0);
        assertThat(reg.get("mlops.rag.ratelimit").tag("result", "allowed").counter().count()).isEqualTo(5);
        assertThat(reg.get("mlops.rag.ratelimit").tag("result", "rejected").counter().count()).isEqualTo(2);
    }

    @Test
    void acquire_throwsWithTheExactWait() {
        RateLimiter rl = RateLimiter.builder().capacity(2).refillPerSecond(4).clock(clock).build();
        rl.acquire("c", 2);
        clock.advance(Duration.ofMillis(125)); // 0.5 token; 1.5 missing at 4/s = 375 ms
        assertThatThrownBy(() -> rl.acquire("c", 2)).isInstanceOfSatisfying(RateLimitedException.class, e -> {
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(375));
            assertThat(e.caller()).isEqualTo("c");
            assertThat(e.retriable()).isTrue();
        });
        assertThat(rl.available("c")).isEqualTo(0.5); // a rejection takes nothing
        clock.advance(Duration.ofMillis(375));
        rl.acquire("c", 2);
    }

    @Test
    void clockGoingBack_addsNothing() {
        RateLimiter rl = RateLimiter.builder().capacity(1).refillPerSecond(1).clock(clock).build();
        rl.acquire("c", 1);
        clock.advance(Duration.ofSeconds(-10));
        assertThat(rl.tryAcquire("c")).isFalse();
    }

    @Test
    void matchesABruteForceSimulation() {
        // Reference: time in whole milliseconds, tokens in thousandths (exact integers), same rule.
        RateLimiter rl = RateLimiter.builder().capacity(5).refillPerSecond(3).clock(clock).build();
        Random rnd = new Random(42);
        long capacity = 5000;
        long tokens = capacity;
        List<Boolean> expected = new ArrayList<>();
        List<Boolean> actual = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int dt = rnd.nextInt(400);
            clock.advance(Duration.ofMillis(dt));
            tokens = Math.min(capacity, tokens + 3L * dt); // 3 tokens/s = 3 thousandths per ms
            int permits = 1 + rnd.nextInt(2);
            boolean ok = tokens >= permits * 1000L;
            if (ok) {
                tokens -= permits * 1000L;
            }
            expected.add(ok);
            actual.add(rl.tryAcquire("x", permits));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected).contains(true, false);
    }

    @Test
    void manyThreads_neverGrantMoreThanCapacityWithoutRefill() throws Exception {
        RateLimiter rl = RateLimiter.builder().capacity(100).refillPerSecond(1).clock(clock).build();
        AtomicInteger granted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 100; i++) {
                    if (rl.tryAcquire("shared")) {
                        granted.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(granted.get()).isEqualTo(100);
    }

    @Test
    void builder_validates() {
        assertThatThrownBy(() -> RateLimiter.builder().capacity(0)).hasMessageContaining("was 0.0");
        assertThatThrownBy(() -> RateLimiter.builder().capacity(1).build()).isInstanceOf(IllegalStateException.class);
        RateLimiter rl = RateLimiter.builder().capacity(1).refillPerSecond(1).build();
        assertThatThrownBy(() -> rl.tryAcquire("a", 2)).hasMessageContaining("capacity = 1.0");
    }
}
