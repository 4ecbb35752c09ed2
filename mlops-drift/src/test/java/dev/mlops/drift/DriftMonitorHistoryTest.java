package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.spi.PredictionLog;
import dev.mlops.core.spi.PredictionRecord;
import dev.mlops.core.table.ColumnType;
import dev.mlops.core.table.Schema;
import dev.mlops.core.table.Table;
import dev.mlops.core.table.TableBuilder;
import dev.mlops.drift.DriftMonitorTest.CountingTrigger;
import dev.mlops.drift.DriftMonitorTest.ManualClock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DriftMonitor} with multivariate checks and a persisted history. The data: x1 and x2, each N(0, 1),
 * correlated +0.9 in the reference; a drifting hour flips the correlation to -0.9 and leaves both marginals
 * alone, so the univariate tests (at p < 1e-4) see nothing while the PCA reconstruction error doubles (the
 * {@code PcaDriftDetectorTest} fixture checks the same flip against numpy).
 */
class DriftMonitorHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private static double[] pair(Random rnd, double rho) {
        double a = rnd.nextGaussian();
        double b = rnd.nextGaussian();
        return new double[] {a, rho * a + Math.sqrt(1 - rho * rho) * b};
    }

    private static Table reference() {
        Schema schema = Schema.builder().add("x1", ColumnType.DOUBLE).add("x2", ColumnType.DOUBLE).build();
        TableBuilder b = Table.builder(schema);
        Random rnd = new Random(1);
        for (int i = 0; i < 600; i++) {
            double[] p = pair(rnd, 0.9);
            b.addRow(p[0], p[1]);
        }
        return b.build();
    }

    private static void hour(PredictionLog log, int h, boolean flip, Random rnd) {
        Instant start = T0.plus(HOUR.multipliedBy(h));
        for (int i = 0; i < 200; i++) {
            double[] p = pair(rnd, flip ? -0.9 : 0.9);
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("x1", p[0]);
            in.put("x2", p[1]);
            log.append(new PredictionRecord("churn", "1", start.plusSeconds(i * 18L), "r" + h + "-" + i, in, 0.5, 1000));
        }
    }

    private static DriftMonitor.Builder monitor(PredictionLog log, ManualClock clock, CountingTrigger trigger) {
        return DriftMonitor.builder().log(log).model("churn").reference(reference())
                .detector(DriftDetector.builder().pValueThreshold(1e-4).build())
                .pca(PcaDriftDetector.builder().bootstrapSamples(200).alpha(0.01).seed(42).build())
                .window(HOUR).clock(clock).trigger(trigger);
    }

    private static List<MonitorResult> run(DriftMonitor m, PredictionLog log, ManualClock clock, Random rnd, int firstHour,
                                           boolean... flips) {
        List<MonitorResult> out = new ArrayList<>();
        for (int i = 0; i < flips.length; i++) {
            int h = firstHour + i;
            hour(log, h, flips[i], rnd);
            clock.now = T0.plus(HOUR.multipliedBy(h + 1));
            out.add(m.checkNow());
        }
        return out;
    }

    @Test
    void pcaInsideTheMonitor_catchesACorrelationFlipTheUnivariateTestsMiss() {
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DriftMonitor m = monitor(log, clock, trigger)
                .domainClassifier(DomainClassifierDriftDetector.builder().folds(3).permutations(19).alpha(0.1).seed(7).build())
                .meterRegistry(meters).build();
        List<MonitorResult> rs = run(m, log, clock, new Random(5), 0, false, false, true, true, true);

        assertThat(rs).extracting(r -> r.report().orElseThrow().datasetDrift()).containsOnly(false);
        assertThat(rs).extracting(r -> r.pca().orElseThrow().drift()).containsExactly(false, false, true, true, true);
        assertThat(rs).extracting(MonitorResult::drift).containsExactly(false, false, true, true, true);
        // the classifier sees the products x1*x2: p = 1/20 (no permutation reaches the observed AUC) on flipped hours
        assertThat(rs.get(2).domainClassifier().orElseThrow().auc()).isGreaterThan(0.8);
        assertThat(rs.get(2).domainClassifier().orElseThrow().pValue()).isEqualTo(0.05);
        assertThat(rs.get(0).domainClassifier().orElseThrow().drift()).isFalse();
        assertThat(trigger.reasons).hasSize(1);
        assertThat(trigger.reasons.get(0)).contains("PCA error", "outside");
        assertThat(rs.get(2).triggered()).isTrue();
        assertThat(meters.get("mlops.drift.monitor.pca_error").gauge().value()).isEqualTo(rs.get(4).pca().orElseThrow().currentError());
        assertThat(meters.get("mlops.drift.monitor.domain_auc").gauge().value())
                .isEqualTo(rs.get(4).domainClassifier().orElseThrow().auc());
        assertThat(meters.get("mlops.drift.monitor.windows").tag("result", "drift").counter().count()).isEqualTo(3);

        assertThatThrownBy(() -> DriftMonitor.builder().log(log).model("churn")
                .reference(ReferenceProfile.of(reference(), List.of())).pca(PcaDriftDetector.builder().build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pass the reference as a Table");
    }

    @Test
    void aRestartedMonitor_resumesItsHistoryAndEpisode() throws Exception {
        Path file = dir.resolve("churn.history.jsonl");
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        Random rnd = new Random(9);
        DriftMonitor first = monitor(log, clock, trigger).historyFile(file).build();
        List<MonitorResult> before = run(first, log, clock, rnd, 0, false, true, true);
        assertThat(trigger.reasons).hasSize(1);
        first.close();

        // the process restarts in the middle of the drift episode
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DriftMonitor second = monitor(log, clock, trigger).historyFile(file).meterRegistry(meters).build();
        List<MonitorResult> restored = second.history();
        assertThat(restored).hasSize(3);
        for (int i = 0; i < 3; i++) {
            MonitorResult a = before.get(i);
            MonitorResult b = restored.get(i);
            assertThat(b.to()).isEqualTo(a.to());
            assertThat(b.from()).isEqualTo(a.from());
            assertThat(b.rows()).isEqualTo(a.rows());
            assertThat(b.triggered()).isEqualTo(a.triggered());
            assertThat(b.runId()).isEqualTo(a.runId());
            assertThat(b.report()).isEqualTo(a.report());            // every column, test, histogram
            assertThat(b.report().orElseThrow().toJson()).isEqualTo(a.report().orElseThrow().toJson());
            assertThat(b.pca().orElseThrow().currentError()).isEqualTo(a.pca().orElseThrow().currentError());
            assertThat(b.pca().orElseThrow().explainedVarianceRatio()).isEqualTo(a.pca().orElseThrow().explainedVarianceRatio());
            assertThat(b.drift()).isEqualTo(a.drift());
        }
        assertThat(meters.get("mlops.drift.monitor.pca_error").gauge().value()).isEqualTo(before.get(2).pca().orElseThrow().currentError());

        // the episode goes on after the restart: no second firing; a clean hour ends it, the next drift fires
        List<MonitorResult> after = run(second, log, clock, rnd, 3, true, false, true);
        assertThat(after).extracting(MonitorResult::triggered).containsExactly(false, false, true);
        assertThat(trigger.reasons).hasSize(2);
        assertThat(second.history()).hasSize(6);
        assertThat(second.history(T0.plus(HOUR.multipliedBy(3)), T0.plus(HOUR.multipliedBy(5)))).hasSize(2);

        // without the file, a restarted monitor would have fired again at once (the test can fail)
        CountingTrigger fresh = new CountingTrigger();
        DriftMonitor forgetful = monitor(log, clock, fresh).build();
        clock.now = T0.plus(HOUR.multipliedBy(4));
        forgetful.checkNow();
        assertThat(fresh.reasons).hasSize(1);
    }

    @Test
    void aTornLastRecord_isDropped_andTheFileStaysBounded() throws Exception {
        Path file = dir.resolve("h.jsonl");
        PredictionLog log = PredictionLog.inMemory(100_000);
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        Random rnd = new Random(3);
        DriftMonitor m = monitor(log, clock, trigger).historyFile(file).historySize(4).build();
        run(m, log, clock, rnd, 0, new boolean[11]);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.size()).as("compacted at 2 x historySize").isBetween(4, 8);
        assertThat(m.history()).hasSize(4);
        // a crash in the middle of an append: half a record, no newline
        String half = lines.get(lines.size() - 1).substring(0, lines.get(lines.size() - 1).length() / 2);
        Files.writeString(file, half, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        DriftMonitor reopened = monitor(log, clock, trigger).historyFile(file).historySize(4).build();
        assertThat(reopened.history()).extracting(MonitorResult::to).isEqualTo(m.history().stream().map(MonitorResult::to).toList());
        assertThat(Files.readString(file)).endsWith("}\n").doesNotContain(half + "{");
        assertThat(Files.readAllLines(file)).hasSize(4);
        clock.now = T0.plus(HOUR.multipliedBy(12));
        hour(log, 11, false, rnd);
        reopened.checkNow();
        assertThat(monitor(log, clock, trigger).historyFile(file).historySize(4).build().latest().orElseThrow().to())
                .isEqualTo(clock.now);

        // another model's file, or a damaged record in the middle, is refused with the file and line
        assertThatThrownBy(() -> DriftMonitor.builder().log(log).model("fraud").reference(reference()).historyFile(file).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'churn'").hasMessageContaining("'fraud'");
        List<String> now = new ArrayList<>(Files.readAllLines(file));
        now.set(1, "{\"model\": \"churn\", \"garbage\"");
        Files.write(file, now);
        assertThatThrownBy(() -> monitor(log, clock, trigger).historyFile(file).build())
                .isInstanceOf(StoreCorruptedException.class).hasMessageContaining("line 2").hasMessageContaining("h.jsonl");
    }

    // ------------------------------------------------------------------ performance inside the monitor

    /** A model's score for a truth: good (AUC ~0.97) or useless (uniform noise, AUC ~0.5). */
    private static double score(Random rnd, double truth, boolean good) {
        return good ? Math.min(1, Math.max(0, (truth == 1 ? 0.7 : 0.3) + 0.15 * rnd.nextGaussian())) : rnd.nextDouble();
    }

    @Test
    void performanceInsideTheMonitor_usesLateLabelsByRequestId_andDrivesTheTrigger() throws Exception {
        Random rnd = new Random(11);
        double[] refTruth = new double[400];
        double[] refScore = new double[400];
        for (int i = 0; i < refTruth.length; i++) {
            refTruth[i] = rnd.nextBoolean() ? 1 : 0;
            refScore[i] = score(rnd, refTruth[i], true);
        }
        PredictionLog log = PredictionLog.inMemory(100_000);
        Map<String, Double> labels = new java.util.HashMap<>();
        boolean[] good = {true, true, true, false, false};
        for (int h = 0; h < good.length; h++) {
            Instant start = T0.plus(HOUR.multipliedBy(h));
            for (int i = 0; i < 200; i++) {
                double[] p = pair(rnd, 0.9);
                double truth = rnd.nextBoolean() ? 1 : 0;
                String id = "r" + h + "-" + i;
                log.append(new PredictionRecord("churn", "1", start.plusSeconds(i * 18L), id, Map.of("x1", p[0], "x2", p[1]),
                        score(rnd, truth, good[h]), 1000));
                if (h != 1 || i < 10) { // hour 1: only 10 labels have arrived
                    labels.put(id, truth);
                }
            }
        }
        List<Integer> askedFor = new ArrayList<>();
        GroundTruth truths = (model, ids) -> {
            askedFor.add(ids.size());
            Map<String, Double> out = new LinkedHashMap<>();
            ids.forEach(id -> {
                if (labels.containsKey(id)) {
                    out.put(id, labels.get(id));
                }
            });
            return out;
        };
        ManualClock clock = new ManualClock(T0);
        CountingTrigger trigger = new CountingTrigger();
        Path file = dir.resolve("perf.jsonl");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DriftMonitor.Builder b = DriftMonitor.builder().log(log).model("churn").reference(reference())
                .detector(DriftDetector.builder().pValueThreshold(1e-4).build()).window(HOUR).clock(clock).trigger(trigger)
                .performance(PerformanceDriftDetector.builder().metric(PerformanceMetric.AUC).bootstrapSamples(300)
                        .tolerance(0.05).seed(3).build(), truths, refTruth, refScore)
                .minLabels(50).historyFile(file);
        DriftMonitor m = b.meterRegistry(meters).build();
        List<MonitorResult> rs = new ArrayList<>();
        for (int h = 0; h < good.length; h++) {
            clock.now = T0.plus(HOUR.multipliedBy(h + 1));
            rs.add(m.checkNow());
        }
        assertThat(askedFor).containsOnly(200);
        assertThat(rs).extracting(r -> r.report().orElseThrow().datasetDrift()).containsOnly(false);
        assertThat(rs.get(1).performance()).as("10 labels < minLabels").isEmpty();
        for (int h : new int[] {0, 2, 3, 4}) {
            PerformanceDriftResult p = rs.get(h).performance().orElseThrow();
            // the window's AUC, recomputed here by brute force over the labelled records
            assertThat(p.current()).isCloseTo(bruteForceAuc(log, labels, h), within(1e-12));
            assertThat(p.drift()).as("hour %d", h).isEqualTo(!good[h]);
        }
        assertThat(rs).extracting(MonitorResult::drift).containsExactly(false, false, false, true, true);
        assertThat(trigger.reasons).hasSize(1);
        assertThat(trigger.reasons.get(0)).contains("auc");
        assertThat(meters.get("mlops.drift.monitor.performance").tag("metric", "auc").gauge().value())
                .isEqualTo(rs.get(4).performance().orElseThrow().current());
        // the performance results survive a restart
        DriftMonitor again = b.meterRegistry(new SimpleMeterRegistry()).build();
        assertThat(again.history()).extracting(MonitorResult::performance)
                .isEqualTo(rs.stream().map(MonitorResult::performance).toList());

        assertThatThrownBy(() -> DriftMonitor.builder().performance(PerformanceDriftDetector.builder().build(), truths,
                new double[] {1, 0}, new double[] {0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 1");
    }

    /** Pair counting over the labelled records of hour h: P(score of a 1 > score of a 0) + half the ties. */
    private static double bruteForceAuc(PredictionLog log, Map<String, Double> labels, int h) {
        List<double[]> rows = new ArrayList<>();
        for (PredictionRecord r : log.read("churn", T0.plus(HOUR.multipliedBy(h)), T0.plus(HOUR.multipliedBy(h + 1)))) {
            if (labels.containsKey(r.requestId())) {
                rows.add(new double[] {labels.get(r.requestId()), (Double) r.output()});
            }
        }
        double wins = 0;
        long pairs = 0;
        for (double[] a : rows) {
            for (double[] c : rows) {
                if (a[0] == 1 && c[0] == 0) {
                    wins += a[1] > c[1] ? 1 : a[1] == c[1] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return wins / pairs;
    }
}
