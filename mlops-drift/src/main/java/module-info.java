/**
 * Drift detection: statistical tests, detectors, reference profiles, reports and monitors.
 */
module dev.mlops.drift {
    requires dev.mlops.core;

    exports dev.mlops.drift.stream;

    // No exports yet: javac rejects exporting a package that holds only package-info.java
    // ("package is empty or does not exist"). Export dev.mlops.drift (and its .spi package)
    // when the first type lands there; dev.mlops.drift.internal is never exported.
}
