package dev.mlops.drift.stream;

/**
 * A change detector fed one value of a metric stream at a time: a model's error indicator (1 for a
 * wrong prediction, 0 for a right one), a loss, a latency, one feature's values.
 *
 * <p>Four algorithms, each with River's default parameters and its own builder:
 * <table>
 *   <caption>detectors</caption>
 *   <tr><th>detector</th><th>input</th><th>detects</th><th>warning</th><th>randomness</th></tr>
 *   <tr><td>{@link Adwin#builder()}</td><td>any real values (bounded works best)</td><td>a change of the mean</td><td>no</td><td>none</td></tr>
 *   <tr><td>{@link PageHinkley#builder()}</td><td>any real values</td><td>a sustained shift of the mean (up, down or both)</td><td>no</td><td>none</td></tr>
 *   <tr><td>{@link Kswin#builder()}</td><td>any real values</td><td>a change of the distribution</td><td>no</td><td>seeded</td></tr>
 *   <tr><td>{@link Ddm#builder()}</td><td>0 or 1 only (1 = error)</td><td>a rise of the error rate</td><td>yes</td><td>none</td></tr>
 * </table>
 *
 * <pre>{@code
 * StreamingDetector adwin = Adwin.builder().build();           // delta 0.002, clock 32, ...
 * for (double error : errors) {
 *     if (adwin.update(error) == DetectorState.DRIFT) {
 *         retrain();
 *     }
 * }
 * }</pre>
 *
 * <p>Semantics shared by all detectors: {@link #update(double)} returns the state caused by that value
 * and {@link #driftDetected()} / {@link #warningDetected()} repeat it until the next update. After a
 * drift, the next update starts from the state the algorithm prescribes (ADWIN keeps its shrunk window,
 * KSWIN keeps the most recent values, Page-Hinkley and DDM start over). A value that is NaN or infinite
 * (or, for DDM, not 0 or 1) is refused with a {@link dev.mlops.core.DataFormatException} and changes
 * nothing. {@link #update(double)} allocates nothing.
 *
 * <p>Detectors are stateful and not thread-safe: use one per stream, from one thread at a time (or
 * guard it with a lock).
 */
public interface StreamingDetector {

    /**
     * Adds the next value of the stream and returns what the detector concludes at this value.
     *
     * @throws dev.mlops.core.DataFormatException if the value is NaN or infinite, or outside the
     *         detector's input domain; the detector is then unchanged
     */
    DetectorState update(double value);

    /** Whether the last {@link #update(double)} detected a drift. */
    boolean driftDetected();

    /** Whether the last {@link #update(double)} put the detector in its warning zone; always {@code false}
     * for detectors that have none. */
    default boolean warningDetected() {
        return false;
    }

    /** The state returned by the last {@link #update(double)}; {@link DetectorState#STABLE} before any. */
    default DetectorState state() {
        return driftDetected() ? DetectorState.DRIFT
                : warningDetected() ? DetectorState.WARNING : DetectorState.STABLE;
    }

    /** Values accepted since the detector was built or last {@link #reset()}. */
    long count();

    /** Forgets everything seen, as if newly built with the same parameters (and the same seed). */
    void reset();
}
