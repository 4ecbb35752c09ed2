/**
 * Drift detection: statistical tests, detectors, reference profiles, reports and monitors.
 */
module dev.mlops.drift {
    requires transitive dev.mlops.core;
    requires commons.math3;

    exports dev.mlops.drift;
    exports dev.mlops.drift.stream;
}
