package dev.mlops.drift.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthetic metric streams with known change points, from fixed seeds, and helpers to run detectors. */
final class Streams {

    private Streams() {
    }

    /** 0/1 errors: rate {@code p0} before index {@code change}, {@code p1} from it on. */
    static double[] bernoulli(long seed, int length, int change, double p0, double p1) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = r.nextDouble() < (i < change ? p0 : p1) ? 1.0 : 0.0;
        }
        return x;
    }

    /** Normal values: mean {@code m0} and sd {@code s0} before {@code change}, {@code m1}, {@code s1} from it on. */
    static double[] gaussian(long seed, int length, int change, double m0, double s0, double m1, double s1) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[length];
        for (int i = 0; i < length; i++) {
            x[i] = i < change ? m0 + s0 * gauss(r) : m1 + s1 * gauss(r);
        }
        return x;
    }

    /** A standard normal draw by Box-Muller (one of the pair), so the stream depends only on the seed. */
    private static double gauss(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** Indexes (0-based) of the values at which the detector reported a drift. */
    static List<Integer> detections(StreamingDetector d, double[] x) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (d.update(x[i]) == DetectorState.DRIFT) {
                out.add(i);
            }
        }
        return out;
    }

    /** The first detection at or after {@code from}, or -1. */
    static int firstAtOrAfter(List<Integer> detections, int from) {
        for (int i : detections) {
            if (i >= from) {
                return i;
            }
        }
        return -1;
    }
}
