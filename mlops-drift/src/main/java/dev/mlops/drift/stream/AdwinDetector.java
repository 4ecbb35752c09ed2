package dev.mlops.drift.stream;

/**
 * The exponential histogram behind {@link Adwin}. Row {@code r} holds up to {@code maxBuckets + 1}
 * buckets of {@code 2^r} values each, oldest first; row 0 is the newest. A bucket keeps the sum of its
 * values and the sum of squared deviations from its own mean, so merging two buckets (and dropping the
 * oldest) updates the window's sum and variance exactly. Rows are allocated the first time the window
 * reaches them (at most 63 times in the detector's life), never again after {@link #reset()}.
 */
final class AdwinDetector implements Adwin {

    private static final int MAX_ROWS = 63;

    private final double delta;
    private final int clock;
    private final int maxBuckets;
    private final int minWindowLength;
    private final int gracePeriod;

    private final double[][] sums = new double[MAX_ROWS][];
    private final double[][] squares = new double[MAX_ROWS][];
    private final int[] rowLength = new int[MAX_ROWS];
    private int rows;

    private long width;
    private double total;
    private double variance; // sum of squared deviations from the window mean
    private long tick;
    private long count;
    private long detections;
    private boolean drift;

    AdwinDetector(double delta, int clock, int maxBuckets, int minWindowLength, int gracePeriod) {
        this.delta = delta;
        this.clock = clock;
        this.maxBuckets = maxBuckets;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        ensureRow(0);
        rows = 1;
    }

    @Override
    public DetectorState update(double value) {
        Inputs.requireFinite("ADWIN", count + 1, value);
        count++;
        insert(value);
        drift = detect();
        if (drift) {
            detections++;
        }
        return drift ? DetectorState.DRIFT : DetectorState.STABLE;
    }

    private void insert(double value) {
        append(0, value, 0.0);
        width++;
        if (width > 1) {
            double d = value - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += value;
        compress();
    }

    private void append(int row, double sum, double sq) {
        int k = rowLength[row]++;
        sums[row][k] = sum;
        squares[row][k] = sq;
    }

    /** Merges the two oldest buckets of a full row into one of the next row, as far up as needed. */
    private void compress() {
        for (int r = 0; rowLength[r] > maxBuckets; r++) {
            if (r + 1 == rows) {
                ensureRow(r + 1);
                rows++;
            }
            double n = bucketSize(r);
            double[] s = sums[r];
            double[] q = squares[r];
            double diff = s[0] / n - s[1] / n;
            append(r + 1, s[0] + s[1], q[0] + q[1] + n * n * diff * diff / (n + n));
            shiftLeft(r, 2);
        }
    }

    private boolean detect() {
        tick++;
        if (tick % clock != 0 || width <= gracePeriod) {
            return false;
        }
        boolean changed = false;
        while (cutExists()) {
            dropOldest();
            changed = true;
        }
        return changed;
    }

    /** Tries every bucket boundary as a split, oldest first; true at the first that exceeds eps_cut. */
    private boolean cutExists() {
        double n0 = 0;
        double n1 = width;
        double u0 = 0;
        double u1 = total;
        double windowVariance = Math.max(0.0, variance / width);
        double logTerm = Math.log(2.0 * Math.log(width) / delta);
        for (int r = rows - 1; r >= 0; r--) {
            double size = bucketSize(r);
            double[] s = sums[r];
            int len = rowLength[r];
            for (int k = 0; k < len; k++) {
                n0 += size;
                n1 -= size;
                u0 += s[k];
                u1 -= s[k];
                if (r == 0 && k == len - 1) {
                    return false; // W1 would be empty
                }
                if (n0 >= minWindowLength && n1 >= minWindowLength) {
                    double mRecip = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
                    double eps = Math.sqrt(2.0 * mRecip * windowVariance * logTerm)
                            + 2.0 / 3.0 * logTerm * mRecip;
                    if (Math.abs(u0 / n0 - u1 / n1) > eps) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void dropOldest() {
        int r = rows - 1;
        double n = bucketSize(r);
        double u = sums[r][0];
        double v = squares[r][0];
        width -= (long) n;
        total -= u;
        double diff = u / n - total / width;
        variance -= v + n * width * diff * diff / (n + width);
        shiftLeft(r, 1);
        while (rows > 1 && rowLength[rows - 1] == 0) {
            rows--;
        }
    }

    private void shiftLeft(int row, int by) {
        int len = rowLength[row] - by;
        System.arraycopy(sums[row], by, sums[row], 0, len);
        System.arraycopy(squares[row], by, squares[row], 0, len);
        rowLength[row] = len;
    }

    private void ensureRow(int row) {
        if (row >= MAX_ROWS) {
            throw new IllegalStateException("ADWIN window exceeds 2^63 values");
        }
        if (sums[row] == null) {
            sums[row] = new double[maxBuckets + 1];
            squares[row] = new double[maxBuckets + 1];
        }
    }

    private static double bucketSize(int row) {
        return (double) (1L << row);
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
    public long width() {
        return width;
    }

    @Override
    public double mean() {
        return width == 0 ? 0.0 : total / width;
    }

    @Override
    public double variance() {
        return width < 2 ? 0.0 : Math.max(0.0, variance / width);
    }

    @Override
    public long detections() {
        return detections;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(rowLength, 0);
        rows = 1;
        width = 0;
        total = 0;
        variance = 0;
        tick = 0;
        count = 0;
        detections = 0;
        drift = false;
    }

    @Override
    public String toString() {
        return "ADWIN(delta=" + delta + ", clock=" + clock + ", maxBuckets=" + maxBuckets
                + ", minWindowLength=" + minWindowLength + ", gracePeriod=" + gracePeriod
                + ", width=" + width + ")";
    }
}
