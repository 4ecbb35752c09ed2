package dev.mlops.drift.stream;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The ring buffer, sampler and KS test of {@link Kswin}; all buffers are allocated once, at build. */
final class KswinDetector implements Kswin {

    private final double alpha;
    private final int windowSize;
    private final int statSize;
    private final int older; // windowSize - statSize: the part W is drawn from
    private final double minStatistic;
    private final long seed;

    private final double[] window;
    private final int[] indices;
    private final int[] swaps;
    private final double[] sampleW;
    private final double[] sampleR;
    private SplittableRandom random;

    private int start;
    private int length;
    private long count;
    private double statistic;
    private double pValue;
    private boolean drift;

    KswinDetector(double alpha, int windowSize, int statSize, double minStatistic, long seed) {
        this.alpha = alpha;
        this.windowSize = windowSize;
        this.statSize = statSize;
        this.older = windowSize - statSize;
        this.minStatistic = minStatistic;
        this.seed = seed;
        this.window = new double[windowSize];
        this.indices = new int[older];
        this.swaps = new int[statSize];
        this.sampleW = new double[statSize];
        this.sampleR = new double[statSize];
        for (int i = 0; i < older; i++) {
            indices[i] = i;
        }
        reset();
    }

    @Override
    public DetectorState update(double value) {
        Inputs.requireFinite("KSWIN", count + 1, value);
        count++;
        drift = false;
        if (length < windowSize) {
            window[(start + length) % windowSize] = value;
            length++;
        } else {
            window[start] = value;
            start = (start + 1) % windowSize;
        }
        if (length == windowSize) {
            test();
        }
        return drift ? DetectorState.DRIFT : DetectorState.STABLE;
    }

    private void test() {
        // W: statSize distinct indices of the older part, partial Fisher-Yates from the identity
        for (int i = 0; i < statSize; i++) {
            int j = i + random.nextInt(older - i);
            swaps[i] = j;
            int t = indices[i];
            indices[i] = indices[j];
            indices[j] = t;
            sampleW[i] = window[(start + indices[i]) % windowSize];
        }
        for (int i = statSize - 1; i >= 0; i--) { // undo, back to the identity
            int j = swaps[i];
            int t = indices[i];
            indices[i] = indices[j];
            indices[j] = t;
        }
        for (int i = 0; i < statSize; i++) {
            sampleR[i] = window[(start + older + i) % windowSize];
        }
        Arrays.sort(sampleW);
        Arrays.sort(sampleR);
        int h = TwoSampleKs.scaledStatistic(sampleW, sampleR, statSize);
        statistic = (double) h / statSize;
        pValue = TwoSampleKs.pValue(statSize, h);
        if (pValue <= alpha && statistic > minStatistic) {
            drift = true;
            start = (start + older) % windowSize; // keep R only
            length = statSize;
        }
    }

    @Override
    public double statistic() {
        return statistic;
    }

    @Override
    public double pValue() {
        return pValue;
    }

    @Override
    public int windowLength() {
        return length;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public void reset() {
        random = new SplittableRandom(seed);
        start = 0;
        length = 0;
        count = 0;
        statistic = Double.NaN;
        pValue = Double.NaN;
        drift = false;
    }

    @Override
    public String toString() {
        return "KSWIN(alpha=" + alpha + ", windowSize=" + windowSize + ", statSize=" + statSize
                + ", minStatistic=" + minStatistic + ", seed=" + seed + ")";
    }
}
