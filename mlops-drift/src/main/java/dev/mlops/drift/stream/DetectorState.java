package dev.mlops.drift.stream;

/** What a {@link StreamingDetector} concluded from the value it was just given. */
public enum DetectorState {
    /** No change detected. */
    STABLE,
    /** The detector suspects a change but has not confirmed it (only detectors with a warning zone). */
    WARNING,
    /** A change was detected at this value. */
    DRIFT
}
