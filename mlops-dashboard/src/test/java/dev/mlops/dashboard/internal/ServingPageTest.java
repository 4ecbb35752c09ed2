package dev.mlops.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServingPageTest {

    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");

    private static PredictionRecord record(String model, String version, Instant at, long latencyNanos) {
        return new PredictionRecord(model, version, at, null, Map.of("x", 1.0), "1", latencyNanos);
    }

    @Test
    void percentiles_areNearestRank_likeNumpysInvertedCdf() {
        // numpy 2.4: np.percentile(np.arange(1, 101), [50, 90, 99], method="inverted_cdf") -> [50, 90, 99]
        long[] oneToHundred = new long[100];
        Arrays.setAll(oneToHundred, i -> i + 1);
        assertThat(ServingPage.nearestRank(oneToHundred, 0.50)).isEqualTo(50);
        assertThat(ServingPage.nearestRank(oneToHundred, 0.90)).isEqualTo(90);
        assertThat(ServingPage.nearestRank(oneToHundred, 0.99)).isEqualTo(99);
        // np.percentile([3, 1, 2], [50, 99], method="inverted_cdf") -> [2, 3]
        assertThat(ServingPage.nearestRank(new long[] {1, 2, 3}, 0.50)).isEqualTo(2);
        assertThat(ServingPage.nearestRank(new long[] {1, 2, 3}, 0.99)).isEqualTo(3);
        assertThat(ServingPage.nearestRank(new long[0], 0.5)).isNaN();
    }

    @Test
    void trafficAndLatency_perVersion_fromTheLogWindow() {
        PredictionLog log = PredictionLog.inMemory(10_000);
        SplittableRandom random = new SplittableRandom(7);
        long[] v1 = new long[300];
        long[] v2 = new long[100];
        int n1 = 0;
        int n2 = 0;
        // 400 requests, one per second from T0; every 4th goes to version 2
        for (int i = 0; i < 400; i++) {
            long latency = 1_000 + random.nextLong(5_000_000);
            boolean second = i % 4 == 3;
            if (second) {
                v2[n2++] = latency;
            } else {
                v1[n1++] = latency;
            }
            log.append(record("m", second ? "2" : "1", T0.plusSeconds(i), latency));
        }
        log.append(record("m", "1", T0.minusSeconds(3600 * 25), 1)); // before the window
        log.append(record("other", "1", T0, 1));                      // another model
        Clock clock = Clock.fixed(T0.plusSeconds(400), ZoneOffset.UTC);

        ServingPage page = ServingPage.of(log, java.util.List.of("m"), null, Duration.ofHours(24), clock);

        ServingPage.ModelTraffic m = page.models().get(0);
        assertThat(m.total()).isEqualTo(400);
        assertThat(m.versions()).extracting(ServingPage.VersionStats::version).containsExactly("1", "2");
        ServingPage.VersionStats s1 = m.versions().get(0);
        ServingPage.VersionStats s2 = m.versions().get(1);
        assertThat(s1.requests()).isEqualTo(300);
        assertThat(s1.share()).isEqualTo(0.75);
        // brute force: sort and take rank ceil(p * n)
        long[] sorted1 = v1.clone();
        Arrays.sort(sorted1);
        assertThat(s1.p50()).isEqualTo(sorted1[149]);
        assertThat(s1.p90()).isEqualTo(sorted1[269]);
        assertThat(s1.p99()).isEqualTo(sorted1[296]);
        assertThat(s1.max()).isEqualTo(sorted1[299]);
        long[] sorted2 = v2.clone();
        Arrays.sort(sorted2);
        assertThat(s2.p99()).isEqualTo(sorted2[98]);

        // 12 buckets over [0 s, 399 s]: bucket b holds the requests i with floor(i / 399 * 12) = b (the last closed)
        double[] expected1 = new double[12];
        double[] expected2 = new double[12];
        for (int i = 0; i < 400; i++) {
            int b = Math.min(11, (int) Math.floor(i / 399.0 * 12));
            (i % 4 == 3 ? expected2 : expected1)[b]++;
        }
        assertThat(m.perBucket().get("v1")).containsExactly(expected1);
        assertThat(m.perBucket().get("v2")).containsExactly(expected2);
        assertThat(Arrays.stream(m.perBucket().get("v1")).sum()).isEqualTo(300);

        String html = page.render(true, false);
        assertThat(html).contains("data-chart=\"traffic-m\"").contains("400 requests").contains("75 %");
    }

    @Test
    void liveMeters_showTheServersPublishedPercentiles() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        Timer t = Timer.builder("mlops.serving.latency").tags("model", "m", "version", "3", "role", "primary")
                .publishPercentiles(0.5, 0.9, 0.99).register(meters);
        t.record(2, TimeUnit.MILLISECONDS);
        t.record(4, TimeUnit.MILLISECONDS);
        meters.counter("mlops.serving.errors", "model", "m", "cause", "invalid_input").increment(3);

        ServingPage page = ServingPage.of(null, java.util.List.of(), meters, Duration.ofHours(1),
                Clock.fixed(T0, ZoneOffset.UTC));

        assertThat(page.meters()).singleElement().satisfies(row -> {
            assertThat(row.tags()).containsEntry("version", "3").containsEntry("role", "primary");
            assertThat(row.count()).isEqualTo(2);
            assertThat(row.mean()).isEqualTo(3e6);
            assertThat(row.max()).isEqualTo(4e6);
            assertThat(row.p99()).isNotNaN();
        });
        assertThat(page.errors()).containsEntry("m / invalid_input", 3.0);
        assertThat(page.render(false, true)).contains("serving-meters").contains("3.000 ms");
    }

    @Test
    void withoutASource_thePageSaysHowToConfigureIt() {
        ServingPage page = ServingPage.of(null, java.util.List.of(), null, Duration.ofHours(1),
                Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(page.render(false, false)).contains("is not configured").contains("serving(predictionLog");
    }
}
