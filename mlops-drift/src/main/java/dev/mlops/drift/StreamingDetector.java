package dev.mlops.drift;

/**
 * A change detector on a stream of numbers (a metric, an error rate, a feature), fed one value at a time.
 * Implementations keep O(1) or bounded state and are not thread-safe: feed each from one thread.
 */
public interface StreamingDetector {

    /**
     * Feeds the next value.
     *
     * @return whether a change is detected at this value; the detector starts afresh with the next value
     */
    boolean update(double value);

    /** Whether the last {@link #update} detected a change. */
    boolean driftDetected();

    /** Values seen since the start or the last detection. */
    long count();
}
