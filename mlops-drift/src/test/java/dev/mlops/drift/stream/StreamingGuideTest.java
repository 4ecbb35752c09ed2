package dev.mlops.drift.stream;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The snippet of {@code docs/drift-streaming.md}, run as written. */
class StreamingGuideTest {

    @Test
    void guideSnippetRuns() {
        SplittableRandom random = new SplittableRandom(7);
        List<Integer> retrainedAt = new ArrayList<>();
        List<Integer> warnedAt = new ArrayList<>();

        // --- snippet: docs/drift-streaming.md ---
        StreamingDetector adwin = Adwin.builder().build();               // River's defaults
        Ddm ddm = Ddm.builder().warmStart(30).build();
        Kswin kswin = Kswin.builder().seed(42).build();                   // seeded sampling
        for (int t = 0; t < 4000; t++) {
            boolean wrong = random.nextDouble() < (t < 2000 ? 0.1 : 0.4);   // the model gets worse at 2000
            double feature = random.nextGaussian() + (t < 3000 ? 0 : 2);    // a feature shifts at 3000
            if (adwin.update(wrong ? 1 : 0) == DetectorState.DRIFT) {
                retrainedAt.add(t);
            }
            if (ddm.update(wrong) == DetectorState.WARNING) {
                warnedAt.add(t);
            }
            kswin.update(feature);
            if (kswin.driftDetected()) {
                System.out.printf("feature drift at %d: D = %.3f, p = %.2e%n", t, kswin.statistic(), kswin.pValue());
            }
        }
        // --- end of snippet ---

        assertThat(Streams.firstAtOrAfter(retrainedAt, 2000)).isBetween(2000, 2160);
        assertThat(retrainedAt).allMatch(t -> t >= 2000);
        assertThat(warnedAt).isNotEmpty();
    }
}
