package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Page-Hinkley on synthetic streams with known change points. Expected detection points worked out from the
 * published recursion (Page 1954; Hinkley 1971; River's form with forgetting factor alpha):
 * <ul>
 *   <li>0 x 500 then 10: before the step the "up" sum sits at its minimum (about -500 delta); the k-th value
 *       after the step adds 10 * 500 / (500 + k) - delta, so after 5 values the excess is 49.7 < 50 and after 6
 *       it is 59.5: detection at index 505.</li>
 *   <li>5 x 300 then 0: the k-th value after the step deviates by -5 * 300 / (300 + k); the "down" excess first
 *       passes 50 after 11 values: index 310.</li>
 * </ul>
 */
class PageHinkleyTest {

    private static int firstDetection(StreamingDetector d, double[] stream) {
        for (int i = 0; i < stream.length; i++) {
            if (d.update(stream[i])) {
                return i;
            }
        }
        return -1;
    }

    private static double[] step(double before, int n1, double after, int n2) {
        double[] s = new double[n1 + n2];
        for (int i = 0; i < s.length; i++) {
            s[i] = i < n1 ? before : after;
        }
        return s;
    }

    @Test
    void detectsAnUpwardStepAtTheWorkedOutIndex() {
        assertThat(firstDetection(PageHinkley.builder().build(), step(0, 500, 10, 100))).isEqualTo(505);
    }

    @Test
    void detectsADownwardStepOnlyWhenAskedTo() {
        assertThat(firstDetection(PageHinkley.builder().build(), step(5, 300, 0, 100))).isEqualTo(310);
        assertThat(firstDetection(PageHinkley.builder().mode(PageHinkley.Mode.DOWN).build(), step(5, 300, 0, 100))).isEqualTo(310);
        assertThat(firstDetection(PageHinkley.builder().mode(PageHinkley.Mode.UP).build(), step(5, 300, 0, 100))).isEqualTo(-1);
    }

    @Test
    void staysQuietOnStationaryNoise_andFindsAShiftInNoise() {
        Random random = new Random(7);
        // sd 0.2: the cumulative deviations of 5000 values wander about 0.2 * sqrt(5000) = 14, well below 50
        // (with sd 1 they would reach 50 in a few thousand values: Page-Hinkley's threshold is in data units)
        double[] noise = new double[5000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = 0.2 * random.nextGaussian();
        }
        assertThat(firstDetection(PageHinkley.builder().build(), noise)).isEqualTo(-1);
        double[] shifted = noise.clone();
        for (int i = 3000; i < shifted.length; i++) {
            shifted[i] += 3;
        }
        int at = firstDetection(PageHinkley.builder().build(), shifted);
        assertThat(at).isBetween(3015, 3020); // a shift of 3 needs about 50 / 3 values
    }

    @Test
    void restartsAfterADetection_andWaitsForMinInstances() {
        PageHinkley ph = PageHinkley.builder().minInstances(30).threshold(5).build();
        for (int i = 0; i < 29; i++) {
            assertThat(ph.update(i % 2 == 0 ? 0 : 100)).isFalse(); // huge swings, but fewer than 30 values
        }
        double[] s = step(0, 100, 10, 10);
        PageHinkley fresh = PageHinkley.builder().threshold(5).build();
        int at = firstDetection(fresh, s);
        assertThat(at).isGreaterThanOrEqualTo(100);
        assertThat(fresh.driftDetected()).isTrue();
        fresh.update(10);
        assertThat(fresh.count()).isEqualTo(1); // started afresh
        assertThatThrownBy(() -> fresh.update(Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> PageHinkley.builder().alpha(0)).hasMessageContaining("alpha");
    }
}
