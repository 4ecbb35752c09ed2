package dev.mlops.drift.stream;

import dev.mlops.core.DataFormatException;

/** The running error rate and minimum of {@link Ddm}: O(1) time and memory per value. */
final class DdmDetector implements Ddm {

    private final int warmStart;
    private final double warningThreshold;
    private final double driftThreshold;

    private long count;
    private long n;
    private long errors;
    private double p;
    private double pMin;
    private double sMin;
    private double psMin;
    private boolean warning;
    private boolean drift;

    DdmDetector(int warmStart, double warningThreshold, double driftThreshold) {
        this.warmStart = warmStart;
        this.warningThreshold = warningThreshold;
        this.driftThreshold = driftThreshold;
        restart();
    }

    private void restart() {
        n = 0;
        errors = 0;
        p = 0;
        pMin = Double.NaN;
        sMin = Double.NaN;
        psMin = Double.POSITIVE_INFINITY;
        warning = false;
        drift = false;
    }

    @Override
    public DetectorState update(double value) {
        if (value != 0.0 && value != 1.0) {
            throw DataFormatException.builder("DDM takes 0 (right prediction) or 1 (error) only")
                    .source("DDM stream")
                    .line(count + 1)
                    .value(Double.toString(value))
                    .fix("feed the error indicator (prediction != label ? 1 : 0), or use ADWIN or Page-Hinkley for real values")
                    .build();
        }
        count++;
        if (drift) {
            restart();
        }
        n++;
        if (value == 1.0) {
            errors++;
        }
        p = (double) errors / n;
        double s = Math.sqrt(p * (1 - p) / n);
        if (n > warmStart) {
            double ps = p + s;
            if (ps <= psMin) {
                pMin = p;
                sMin = s;
                psMin = ps;
            }
            drift = ps > pMin + driftThreshold * sMin;
            warning = !drift && ps > pMin + warningThreshold * sMin;
        }
        return drift ? DetectorState.DRIFT : warning ? DetectorState.WARNING : DetectorState.STABLE;
    }

    @Override
    public double errorRate() {
        return p;
    }

    @Override
    public double minErrorRate() {
        return pMin;
    }

    @Override
    public double minStandardDeviation() {
        return sMin;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return warning;
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
        return "DDM(warmStart=" + warmStart + ", warningThreshold=" + warningThreshold
                + ", driftThreshold=" + driftThreshold + ")";
    }
}
