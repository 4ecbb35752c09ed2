package dev.mlops.drift.stream;

/** The recursions of {@link PageHinkley}: O(1) time and memory per value. */
final class PageHinkleyDetector implements PageHinkley {

    private final int minInstances;
    private final double delta;
    private final double threshold;
    private final double alpha;
    private final boolean up;
    private final boolean down;

    private long count;
    private long n;
    private double mean;
    private double sumUp;
    private double sumDown;
    private double minUp;
    private double maxDown;
    private boolean drift;

    PageHinkleyDetector(int minInstances, double delta, double threshold, double alpha, Mode mode) {
        this.minInstances = minInstances;
        this.delta = delta;
        this.threshold = threshold;
        this.alpha = alpha;
        this.up = mode != Mode.DOWN;
        this.down = mode != Mode.UP;
        restart();
    }

    private void restart() {
        n = 0;
        mean = 0;
        sumUp = 0;
        sumDown = 0;
        minUp = Double.POSITIVE_INFINITY;
        maxDown = Double.NEGATIVE_INFINITY;
        drift = false;
    }

    @Override
    public DetectorState update(double value) {
        Inputs.requireFinite("Page-Hinkley", count + 1, value);
        count++;
        if (drift) {
            restart();
        }
        n++;
        mean += (value - mean) / n;
        double dev = value - mean;
        sumUp = alpha * sumUp + dev - delta;
        sumDown = alpha * sumDown + dev + delta;
        if (sumUp < minUp) {
            minUp = sumUp;
        }
        if (sumDown > maxDown) {
            maxDown = sumDown;
        }
        drift = n >= minInstances
                && ((up && sumUp - minUp > threshold) || (down && maxDown - sumDown > threshold));
        return drift ? DetectorState.DRIFT : DetectorState.STABLE;
    }

    @Override
    public double increaseStatistic() {
        return n == 0 ? 0.0 : sumUp - minUp;
    }

    @Override
    public double decreaseStatistic() {
        return n == 0 ? 0.0 : maxDown - sumDown;
    }

    @Override
    public double mean() {
        return mean;
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
        count = 0;
        restart();
    }

    @Override
    public String toString() {
        return "PageHinkley(minInstances=" + minInstances + ", delta=" + delta + ", threshold=" + threshold
                + ", alpha=" + alpha + ", mode=" + (up && down ? "BOTH" : up ? "UP" : "DOWN") + ")";
    }
}
