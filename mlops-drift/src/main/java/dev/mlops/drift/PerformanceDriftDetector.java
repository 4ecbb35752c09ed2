package dev.mlops.drift;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Performance drift: has a model-quality metric got worse between a reference window (e.g. the validation set)
 * and a current window of predictions whose truths have arrived?
 *
 * <pre>{@code
 * PerformanceDriftResult r = PerformanceDriftDetector.builder().metric(PerformanceMetric.AUC)
 *         .bootstrapSamples(1000).confidence(0.95).tolerance(0.01).seed(42).build()
 *         .compare(refTruth, refScores, curTruth, curScores);
 * }</pre>
 *
 * <p><b>Exact semantics.</b> The difference {@code metric(current) - metric(reference)}; its interval: each of
 * {@code bootstrapSamples} rounds resamples the reference rows and the current rows independently, with
 * replacement, from one {@code SplittableRandom(seed)} (reference first), and computes the difference; the
 * interval is the {@code (1 - confidence)/2} and {@code (1 + confidence)/2} quantiles of those differences
 * (linear interpolation, numpy's default). A resample of AUC with one class only is drawn again. Drift when
 * the whole interval is worse than {@code -tolerance} (higher-is-better metrics) or {@code +tolerance} (RMSE).
 *
 * <p><b>Bad input</b> ({@link DriftInputException}): arrays of different lengths, an empty window, a NaN or
 * infinity, labels other than 0/1 for F1 and AUC truths, a window with a single class for AUC.
 */
public final class PerformanceDriftDetector {

    private final PerformanceMetric metric;
    private final int bootstrapSamples;
    private final double confidence;
    private final double tolerance;
    private final long seed;

    private PerformanceDriftDetector(Builder b) {
        this.metric = b.metric;
        this.bootstrapSamples = b.bootstrapSamples;
        this.confidence = b.confidence;
        this.tolerance = b.tolerance;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The metric compared. */
    public PerformanceMetric metric() {
        return metric;
    }

    /** Compares the metric of the current window with the reference window's. */
    public PerformanceDriftResult compare(double[] referenceTruth, double[] referencePredicted, double[] currentTruth,
                                          double[] currentPredicted) {
        check("reference", referenceTruth, referencePredicted);
        check("current", currentTruth, currentPredicted);
        int[] allRef = identity(referenceTruth.length);
        int[] allCur = identity(currentTruth.length);
        double ref = metric.of(referenceTruth, referencePredicted, allRef);
        double cur = metric.of(currentTruth, currentPredicted, allCur);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] diffs = new double[bootstrapSamples];
        for (int b = 0; b < bootstrapSamples; b++) {
            double r = metric.of(referenceTruth, referencePredicted, resample(referenceTruth, rnd));
            double c = metric.of(currentTruth, currentPredicted, resample(currentTruth, rnd));
            diffs[b] = c - r;
        }
        Arrays.sort(diffs);
        double lower = dev.mlops.drift.internal.DefaultPcaDriftDetector.quantile(diffs, (1 - confidence) / 2);
        double upper = dev.mlops.drift.internal.DefaultPcaDriftDetector.quantile(diffs, (1 + confidence) / 2);
        boolean drift = metric.higherIsBetter() ? upper < -tolerance : lower > tolerance;
        return new PerformanceDriftResult(metric, ref, cur, cur - ref, lower, upper, drift);
    }

    private int[] resample(double[] truth, SplittableRandom rnd) {
        int n = truth.length;
        while (true) {
            int[] rows = new int[n];
            boolean pos = false;
            boolean neg = false;
            for (int i = 0; i < n; i++) {
                rows[i] = rnd.nextInt(n);
                pos |= truth[rows[i]] == 1;
                neg |= truth[rows[i]] == 0;
            }
            if (metric != PerformanceMetric.AUC || (pos && neg)) {
                return rows;
            }
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private void check(String side, double[] truth, double[] predicted) {
        Objects.requireNonNull(truth, side + " truth");
        Objects.requireNonNull(predicted, side + " predicted");
        if (truth.length != predicted.length) {
            throw new DriftInputException(null, "the " + side + " window has " + truth.length + " truths but "
                    + predicted.length + " predictions", "pass one prediction per truth");
        }
        if (truth.length == 0) {
            throw new DriftInputException(null, "the " + side + " window is empty", "check a window with joined truths");
        }
        boolean pos = false;
        boolean neg = false;
        for (int i = 0; i < truth.length; i++) {
            if (!Double.isFinite(truth[i]) || !Double.isFinite(predicted[i])) {
                throw new DriftInputException(null, "the " + side + " window has a non-finite value at row " + i
                        + " (truth " + truth[i] + ", prediction " + predicted[i] + ")", "drop rows without a truth or prediction");
            }
            if ((metric == PerformanceMetric.F1 || metric == PerformanceMetric.AUC) && truth[i] != 0 && truth[i] != 1) {
                throw new DriftInputException(null, "the " + side + " window has truth " + truth[i] + " at row " + i
                        + "; " + metric + " needs labels 0 or 1", "map the positive class to 1 and the rest to 0");
            }
            pos |= truth[i] == 1;
            neg |= truth[i] == 0;
        }
        if (metric == PerformanceMetric.AUC && !(pos && neg)) {
            throw new DriftInputException(null, "the " + side + " window has only " + (pos ? "positive" : "negative")
                    + " truths; AUC needs both", "use a longer window");
        }
    }

    /** Settings of a {@link PerformanceDriftDetector}. */
    public static final class Builder {
        private PerformanceMetric metric = PerformanceMetric.ACCURACY;
        private int bootstrapSamples = 1000;
        private double confidence = 0.95;
        private double tolerance = 0;
        private long seed = 42;

        private Builder() {
        }

        /** The metric; default accuracy. */
        public Builder metric(PerformanceMetric metric) {
            this.metric = Objects.requireNonNull(metric, "metric");
            return this;
        }

        /** Bootstrap rounds, {@code >= 20}; default 1000. */
        public Builder bootstrapSamples(int n) {
            if (n < 20) {
                throw new IllegalArgumentException("bootstrapSamples must be >= 20, was " + n);
            }
            this.bootstrapSamples = n;
            return this;
        }

        /** Confidence of the interval, in (0, 1); default 0.95. */
        public Builder confidence(double c) {
            if (!(c > 0 && c < 1)) {
                throw new IllegalArgumentException("confidence must be in (0, 1), was " + c);
            }
            this.confidence = c;
            return this;
        }

        /** How much worse is still acceptable, {@code >= 0}, in the metric's units; default 0. */
        public Builder tolerance(double t) {
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("tolerance must be a finite number >= 0, was " + t);
            }
            this.tolerance = t;
            return this;
        }

        /** Seed of the bootstrap; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public PerformanceDriftDetector build() {
            return new PerformanceDriftDetector(this);
        }
    }
}
